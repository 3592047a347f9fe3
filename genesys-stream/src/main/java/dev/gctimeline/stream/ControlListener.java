package dev.gctimeline.stream;

/**
 * What a {@link NotificationDecoder} tells the connection lifecycle besides timeline events:
 * channel and system messages, and the conversations snapshots reveal (for subscribing their
 * per-conversation topics). None of these produce timeline events.
 *
 * <p>Every method has a no-op default, so a listener overrides only what it needs. Called on the
 * decoding thread; implementations hand work elsewhere and return at once, must not call back
 * into the decoder, and must not throw.
 *
 * <pre>{@code
 * ControlListener control = new ControlListener() {
 *     public void socketClosing() { lifecycle.rotateSoon(); }
 * };
 * }</pre>
 */
public interface ControlListener {

    /** {@code channel.metadata} heartbeat: the socket is alive. */
    default void heartbeat() {
    }

    /** {@code channel.metadata} answer to our {@code {"message":"ping"}}. */
    default void pong() {
    }

    /** {@code v2.system.socket_closing}: the server closes this socket in about a minute. */
    default void socketClosing() {
    }

    /**
     * {@code v2.system.no_longer_subscribed.{id}}: the channel lost its subscriptions.
     *
     * @param channelId the id from the topic; it is the channel's secret, never log it
     */
    default void noLongerSubscribed(String channelId) {
    }

    /**
     * {@code v2.system.token_revoked.{id}}: the token behind the subscriptions was revoked.
     *
     * @param channelId the id from the topic; it is the channel's secret, never log it
     */
    default void tokenRevoked(String channelId) {
    }

    /** A snapshot topic showed a conversation this decoder was not tracking yet. */
    default void conversationSeen(String conversationId) {
    }

    /** A snapshot showed every participant of a conversation with an end time (reported once). */
    default void conversationEnded(String conversationId) {
    }
}
