package dev.gctimeline.stream;

import java.time.Duration;

/**
 * Told about the connection lifecycle of a {@link GenesysEventStream}. Every method has a no-op
 * default; override what you need. Called from the stream's control thread: return quickly.
 * Exceptions thrown here are logged and ignored.
 *
 * <pre>{@code .listener(new StreamListener() {
 *     public void gap(StreamGap gap) { backfill(gap.from(), gap.to()); }
 * })}</pre>
 */
public interface StreamListener {

    /** A socket of channel slot {@code slot} is open and subscribed. */
    default void connected(int slot, String channel) {
    }

    /** Slot {@code slot} moved make-before-break from one channel to a new one (socket_closing, expiry). */
    default void rotated(int slot, String fromChannel, String toChannel, String why) {
    }

    /** Slot {@code slot} lost its socket and will try again after {@code delay}. */
    default void reconnecting(int slot, int attempt, Duration delay, Throwable cause) {
    }

    /** Events sent while no socket was open are lost to the stream: this window needs a backfill. */
    default void gap(StreamGap gap) {
    }

    /** The stream stopped for good (bad credentials, missing permission): it will not retry. */
    default void failed(Throwable cause) {
    }
}
