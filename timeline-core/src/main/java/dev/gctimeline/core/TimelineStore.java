package dev.gctimeline.core;

import java.util.List;

/**
 * Where timelines are kept: the storage SPI. Implementations ship in core ({@code memory}), in
 * {@code timeline-store-influx} ({@code influx}), or in a user's own module, and are found by name
 * through {@link TimelineStoreProvider} and {@link TimelineStores}.
 *
 * <p>Contract: {@link #append} is idempotent (an event with an event id already stored for its
 * conversation is stored once, however often it is appended, in one batch or across batches), and
 * {@link #timeline} returns events in canonical order. Implementations must be safe for concurrent
 * use by several pipeline shards. Failures are {@link StoreException}s, which say whether a retry
 * may help; the pipeline's {@link StoreWriter} does the retrying, so a store should not.
 *
 * <pre>{@code
 * try (TimelineStore store = TimelineStores.open("memory", Map.of())) {
 *     store.append(events);
 *     Timeline t = store.timeline("c-1");
 * }
 * }</pre>
 */
public interface TimelineStore extends AutoCloseable {

    /** Stores {@code events} (any conversations, any order). Idempotent per event id. */
    void append(List<TimelineEvent> events);

    /** Records a completed conversation's final state (a summary). The default keeps nothing. */
    default void completed(ConversationState state) {
    }

    /** The stored timeline of a conversation; an empty timeline when the store has none. */
    Timeline timeline(String conversationId);

    /**
     * Conversations with events between {@code fromMillis} (inclusive) and {@code toMillis}
     * (exclusive), most recent first, at most {@code limit}.
     */
    List<ConversationSummary> conversations(long fromMillis, long toMillis, int limit);

    /** Releases resources; no further calls are made. */
    @Override
    void close();
}
