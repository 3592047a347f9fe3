package dev.gctimeline.stream;

import dev.gctimeline.stream.internal.sources.HashedOwnership;

/**
 * Which conversations one instance of a service handles when several share one organisation's
 * traffic: a {@link RecordFeedSource} offers only the events of conversations it owns and counts
 * the rest as skipped (not rejected). Ownership must be by conversation, so that one instance sees
 * every event of a conversation and reconstructs it whole.
 *
 * <p>{@link #hashed(int, int)} splits by a stable hash of the conversation id, for feeds every
 * instance reads in full (a fan-out queue per instance). A Kafka topic keyed by conversation id
 * needs none of this: the producer's partitioner puts a conversation in one partition and the
 * consumer group's assignment gives each instance whole partitions, so use {@link #all()} there.
 *
 * <pre>{@code RecordFeedSource.builder(feed).ownership(ConversationOwnership.hashed(instance, instances)).build()}</pre>
 */
@FunctionalInterface
public interface ConversationOwnership {

    /** Whether this instance handles {@code conversationId}. Must be a pure function of the id. */
    boolean owns(String conversationId);

    /** Every conversation: a single instance, or a feed already partitioned by conversation. */
    static ConversationOwnership all() {
        return HashedOwnership.ALL;
    }

    /**
     * Instance {@code instance} of {@code instances} owns the conversations whose
     * {@code EventIds.of(conversationId)}, as an unsigned number modulo {@code instances}, is
     * {@code instance}. The hash is timeline-core's stable event-id hash, the same on every machine
     * and in every release, so instances (and a restarted one) always agree; every conversation has
     * exactly one owner.
     *
     * @throws IllegalArgumentException unless {@code 0 <= instance < instances}
     */
    static ConversationOwnership hashed(int instance, int instances) {
        return new HashedOwnership(instance, instances);
    }
}
