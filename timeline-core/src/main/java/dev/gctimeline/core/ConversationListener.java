package dev.gctimeline.core;

/**
 * Told when a conversation leaves the live set: completed (it ended and its grace period passed) or
 * evicted before completing. Methods have no-op defaults, so a listener overrides what it needs.
 *
 * <p>Called on the consumer thread of the shard that owns the conversation: return quickly and do
 * not block, or the shard stalls (which is backpressure, not loss, but still a stall). Exceptions
 * thrown here are caught, logged and counted; they never stop the pipeline.
 *
 * <pre>{@code ConversationListener l = new ConversationListener() {
 *     public void completed(ConversationState s, Timeline t) { report(s); }
 * };}</pre>
 */
public interface ConversationListener {

    /** The conversation ended and nothing new arrived for the grace period: this is its final state. */
    default void completed(ConversationState state, Timeline timeline) {
    }

    /** The conversation left the live set before completing, for {@code reason}; state as known then. */
    default void evicted(ConversationState state, Timeline timeline, EvictionReason reason) {
    }
}
