package dev.gctimeline.stream.internal;

/**
 * What a socket's decoder tells the connection lifecycle: channel and system messages, and the
 * conversations it discovers for auto-follow. Called on the socket's delivery thread; implementations
 * hand work to the control thread and return at once.
 */
public interface ControlSignals {

    /** {@code channel.metadata} heartbeat or pong: the socket is alive. */
    default void alive() {
    }

    /** {@code v2.system.socket_closing}: the server will close this socket in about a minute. */
    default void socketClosing() {
    }

    /** {@code v2.system.no_longer_subscribed.*}: the channel lost its subscriptions. */
    default void noLongerSubscribed() {
    }

    /** {@code v2.system.token_revoked.*}: the token behind the subscriptions was revoked. */
    default void tokenRevoked() {
    }

    /** A snapshot topic showed this conversation: follow its per-conversation topics. */
    default void conversationSeen(String conversationId) {
    }

    /** A snapshot showed this conversation ended (every participant has an end time). */
    default void conversationEnded(String conversationId) {
    }
}
