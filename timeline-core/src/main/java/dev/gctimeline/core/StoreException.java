package dev.gctimeline.core;

import java.time.Duration;
import java.util.Optional;

/**
 * A store operation failed. {@link #retryable()} tells the {@link StoreWriter} whether trying the
 * same batch again can succeed (a 503, a 429, a dropped connection) or never will (bad credentials,
 * a malformed point); {@link #retryAfter()} carries the server's own hint when it gave one.
 * Messages never contain credentials.
 */
public class StoreException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final boolean retryable;
    private final transient Duration retryAfter;

    public StoreException(String message, boolean retryable, Duration retryAfter, Throwable cause) {
        super(message, cause);
        this.retryable = retryable;
        this.retryAfter = retryAfter;
    }

    /** A failure that trying again may cure. */
    public static StoreException retryable(String message, Duration retryAfter, Throwable cause) {
        return new StoreException(message, true, retryAfter, cause);
    }

    /** A failure that trying again will not cure. */
    public static StoreException permanent(String message, Throwable cause) {
        return new StoreException(message, false, null, cause);
    }

    public boolean retryable() {
        return retryable;
    }

    /** How long the store asked us to wait before trying again, if it said. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
