package dev.gctimeline.auth;

import java.time.Instant;
import java.util.Objects;

/**
 * An OAuth access token and the instant it stops being valid. {@link #toString()} never shows the
 * token itself, so an {@code AccessToken} can be logged or put in an exception message safely;
 * only {@link #value()} and {@link #authorization()} reveal it, for the {@code Authorization}
 * header of a request.
 *
 * <pre>{@code
 * AccessToken token = tokens.token();
 * request.header("Authorization", token.authorization());   // "Bearer <value>"
 * }</pre>
 *
 * @param value     the bearer token as issued (secret)
 * @param expiresAt when the server said it expires (issue time plus {@code expires_in})
 */
public record AccessToken(String value, Instant expiresAt) {

    /** Rejects a blank token or a missing expiry. */
    public AccessToken {
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(expiresAt, "expiresAt");
        if (value.isBlank()) {
            throw new IllegalArgumentException("An access token must not be blank");
        }
    }

    /** The {@code Authorization} header value: {@code "Bearer " + value()}. */
    public String authorization() {
        return "Bearer " + value;
    }

    /** True once {@code now} is at or past {@link #expiresAt()}. */
    public boolean isExpiredAt(Instant now) {
        return !now.isBefore(expiresAt);
    }

    /** Redacted: {@code AccessToken[***, expires 2024-11-22T03:00:00Z]}. */
    @Override
    public String toString() {
        return "AccessToken[***, expires " + expiresAt + "]";
    }
}
