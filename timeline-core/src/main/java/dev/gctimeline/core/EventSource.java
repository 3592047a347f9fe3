package dev.gctimeline.core;

/**
 * Where a pipeline's events come from: the Genesys WebSocket stream, a seed-shape feed, an
 * EventBridge/Kafka consumer, a backfill, or a user's own. A source offers events with
 * {@link TimelinePipeline#offer} (stopping its input while that returns false, resuming from
 * {@link TimelinePipeline#whenWritable}), reports input it turns away with
 * {@link TimelinePipeline#reject}, and never drops an event it decoded.
 *
 * <p>Several sources may feed one pipeline at once (make-before-break, a backfill beside the live
 * stream); the pipeline's dedup absorbs their overlap.
 *
 * <pre>{@code try (EventSource source = GenesysEventStream.builder()...build()) { source.start(pipeline); ... }}</pre>
 */
public interface EventSource extends AutoCloseable {

    /** Starts feeding {@code pipeline}; returns at once (the source runs on its own threads). */
    EventSource start(TimelinePipeline pipeline);

    /** Stops reading input; events already offered stay in the pipeline. */
    @Override
    void close();
}
