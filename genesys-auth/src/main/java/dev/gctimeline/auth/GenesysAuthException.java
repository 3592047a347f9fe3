package dev.gctimeline.auth;

import java.util.Optional;
import java.util.OptionalInt;

/**
 * No valid access token could be had. The subtypes say why ({@link BadCredentialsException},
 * {@link MissingPermissionException}, {@link RateLimitedException}, {@link ServerErrorException},
 * {@link UnreachableException}); this type itself covers the rest (an answer that is not a token,
 * an unexpected status, an interrupted wait). Messages say what to check next and never contain a
 * client secret or a token.
 *
 * <pre>{@code
 * try { tokens.token(); }
 * catch (RateLimitedException e) { retryIn(e.retryAfter()); }
 * catch (GenesysAuthException e) { log.error("no Genesys token: {}", e.getMessage()); }
 * }</pre>
 */
public class GenesysAuthException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int statusCode;
    private final String correlationId;

    /** A failure without an HTTP answer. */
    public GenesysAuthException(String message, Throwable cause) {
        this(message, -1, null, cause);
    }

    /**
     * @param statusCode    the HTTP status that caused it, or -1 when there was no answer
     * @param correlationId the server's {@code ININ-Correlation-Id}, or null
     */
    public GenesysAuthException(String message, int statusCode, String correlationId, Throwable cause) {
        super(message, cause);
        this.statusCode = statusCode;
        this.correlationId = correlationId;
    }

    /** The HTTP status of the answer that caused this, if there was one. */
    public OptionalInt statusCode() {
        return statusCode < 0 ? OptionalInt.empty() : OptionalInt.of(statusCode);
    }

    /** Genesys's {@code ININ-Correlation-Id} of that answer, for a support case, if it sent one. */
    public Optional<String> correlationId() {
        return Optional.ofNullable(correlationId);
    }
}
