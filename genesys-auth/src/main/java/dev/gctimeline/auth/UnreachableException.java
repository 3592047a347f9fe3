package dev.gctimeline.auth;

/**
 * No answer at all through every retry: the connection was refused, timed out, or broke before a
 * response arrived. The cause holds the last I/O failure. Trying again later may succeed.
 *
 * <pre>{@code
 * catch (UnreachableException e) { log.warn("Genesys login unreachable: {}", e.getMessage()); }
 * }</pre>
 */
public class UnreachableException extends GenesysAuthException {
    private static final long serialVersionUID = 1L;

    private final int attempts;

    /**
     * @param attempts how many requests were tried in all
     */
    public UnreachableException(String message, int attempts, Throwable cause) {
        super(message, -1, null, cause);
        this.attempts = attempts;
    }

    /** How many requests were tried before giving up. */
    public int attempts() {
        return attempts;
    }
}
