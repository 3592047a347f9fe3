package dev.gctimeline.stream.internal;

import java.time.Duration;

/**
 * A call to the notifications REST API failed. {@link #terminal()} failures (403, a 400 that will
 * not change) stop the stream with an error the caller sees; the others are retried with backoff.
 */
public final class NotificationsApiException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final boolean terminal;
    private final transient Duration retryAfter;

    public NotificationsApiException(String message, int status, boolean terminal, Duration retryAfter,
                                     Throwable cause) {
        super(message, cause);
        this.status = status;
        this.terminal = terminal;
        this.retryAfter = retryAfter;
    }

    /** The HTTP status, or 0 when no answer came (connect failure, timeout). */
    public int status() {
        return status;
    }

    public boolean terminal() {
        return terminal;
    }

    /** The server's Retry-After, or null. */
    public Duration retryAfter() {
        return retryAfter;
    }
}
