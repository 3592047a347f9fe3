package dev.gctimeline.stream;

import dev.gctimeline.core.RejectReason;

/**
 * Where a {@link NotificationDecoder} reports input it turned away, typically
 * {@code TimelinePipeline::reject}. The decoder has already counted and logged the rejection.
 *
 * <p>{@code detail} says what was wrong and where (topic, field, byte offset); it never contains
 * payload text, tokens or channel ids. Called on the decoding thread; must not block.
 *
 * <pre>{@code RejectSink rejects = (reason, detail) -> metrics.increment(reason.name());}</pre>
 */
@FunctionalInterface
public interface RejectSink {

    /** One rejected document, or one rejected element of a document. */
    void reject(RejectReason reason, String detail);
}
