package dev.gctimeline.stream;

import dev.gctimeline.core.TimelineEvent;

/**
 * Where a {@link NotificationDecoder} hands each decoded event, typically
 * {@code TimelinePipeline::offer}.
 *
 * <p>Returning {@code false} refuses the event for now (the pipeline is full): the decoder keeps
 * it, stops decoding, and offers it again on {@link NotificationDecoder#retryPending()}. Nothing is
 * dropped. Called on the decoding thread; must not block for long, must not call back into the
 * decoder, and must not throw (a sink that throws leaves the decoder unusable: discard it).
 *
 * <pre>{@code DecodedEventSink sink = pipeline::offer;}</pre>
 */
@FunctionalInterface
public interface DecodedEventSink {

    /**
     * Takes one event.
     *
     * @return true if the event was taken, false to have it offered again later
     */
    boolean accept(TimelineEvent event);
}
