package dev.gctimeline.stream.internal;

/**
 * What a socket's listener feeds its text into: the incremental decoder of one WebSocket
 * connection, already bound to the pipeline and the control signals. Called by one thread at a time
 * (the WebSocket delivers messages sequentially, and no new frame is requested while events are
 * held), so implementations need no locking for their own state.
 */
public interface SocketDecoder {

    /**
     * Feeds one part of a text message.
     *
     * @return true when every event decoded so far was accepted by the pipeline; false when some
     *         are held because the pipeline is full (the caller then stops requesting frames and
     *         calls {@link #retryPending()} once the pipeline has room)
     */
    boolean onText(CharSequence part, boolean last);

    /** Offers held events again; true once none are left. */
    boolean retryPending();

    /** The socket ended, possibly mid-message: forget partial document state. Held events are kept. */
    void socketEnded();
}
