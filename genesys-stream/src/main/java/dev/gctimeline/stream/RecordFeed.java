package dev.gctimeline.stream;

import java.time.Duration;
import java.util.List;

/**
 * The poll-style SPI a {@link RecordFeedSource} drains: Genesys's AWS EventBridge integration
 * (through whatever queue or stream the records land in), a Kafka topic, a file replay. Shaped
 * after Kafka's consumer so that an adapter is a few lines: {@code poll} maps
 * {@code consumer.poll(max)}, {@code commit} maps {@code commitSync} with {@code offset + 1},
 * {@code wakeup} maps {@code consumer.wakeup()}.
 *
 * <p><b>Threads.</b> {@link #poll} and {@link #commit} are called by the source's one thread only
 * (a Kafka consumer is not thread-safe); {@link #wakeup} may be called from any thread. The source
 * does not close the feed: its owner does, after {@link RecordFeedSource#close()}.
 *
 * <p><b>Delivery.</b> At least once is enough: the source commits a position only after every event
 * of every record up to it was accepted by the pipeline, and whatever is redelivered collapses in
 * the pipeline's dedup and the store's idempotent append.
 *
 * <pre>{@code
 * RecordFeed feed = new RecordFeed() {
 *     public List<FeedRecord> poll(Duration max) { return map(consumer.poll(max)); }
 *     public void commit(List<RecordPosition> done) { consumer.commitSync(offsetsPlusOne(done)); }
 *     public void wakeup() { consumer.wakeup(); }
 * };
 * }</pre>
 */
public interface RecordFeed {

    /**
     * The next records, waiting up to {@code max} for the first; an empty list when none came.
     * Records of one partition come in offset order. May throw (a broker down): the source logs it,
     * backs off and polls again; records not committed are expected again.
     */
    List<FeedRecord> poll(Duration max);

    /**
     * Every record up to and including each position (per partition) is done. One position per
     * partition that advanced since the last commit. May throw: the source logs it and commits the
     * same (or later) positions next time.
     */
    void commit(List<RecordPosition> done);

    /** Called from another thread by {@link RecordFeedSource#close()}: make a blocked {@link #poll} return soon. */
    default void wakeup() {
    }
}
