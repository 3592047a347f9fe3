package dev.gctimeline.auth;

import java.time.Duration;
import java.util.Objects;

/**
 * Too many requests (HTTP 429). {@link #retryAfter()} is how long the server asked us to wait
 * (its {@code Retry-After}); a token provider does not ask again before that.
 *
 * <pre>{@code
 * catch (RateLimitedException e) { scheduler.schedule(this::connect, e.retryAfter().toMillis(), MILLISECONDS); }
 * }</pre>
 */
public class RateLimitedException extends GenesysAuthException {
    private static final long serialVersionUID = 1L;

    private final Duration retryAfter;

    /**
     * @param retryAfter how long to wait before asking again (never negative)
     */
    public RateLimitedException(String message, Duration retryAfter, String correlationId, Throwable cause) {
        super(message, 429, correlationId, cause);
        Objects.requireNonNull(retryAfter, "retryAfter");
        this.retryAfter = retryAfter.isNegative() ? Duration.ZERO : retryAfter;
    }

    /** How long to wait before the next request. */
    public Duration retryAfter() {
        return retryAfter;
    }
}
