package dev.gctimeline.auth;

/**
 * The server kept failing (HTTP 5xx) through every retry. Trying again later may succeed.
 *
 * <pre>{@code
 * catch (ServerErrorException e) { backOffAndRetry(); }   // e.attempts() requests were made
 * }</pre>
 */
public class ServerErrorException extends GenesysAuthException {
    private static final long serialVersionUID = 1L;

    private final int attempts;

    /**
     * @param statusCode the last 5xx status seen
     * @param attempts   how many requests were made in all
     */
    public ServerErrorException(String message, int statusCode, int attempts, String correlationId, Throwable cause) {
        super(message, statusCode, correlationId, cause);
        this.attempts = attempts;
    }

    /** How many requests were made before giving up. */
    public int attempts() {
        return attempts;
    }
}
