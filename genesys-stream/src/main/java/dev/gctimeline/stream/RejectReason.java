package dev.gctimeline.stream;

/**
 * Why the decoder turned input away before it became a {@code TimelineEvent}.
 *
 * <p>Temporary: timeline-core's {@code RejectReason} (same constants, for
 * {@code TimelinePipeline.reject}) replaces this enum once it is on main; until then the stream
 * module carries its own copy so the decoders can be built and tested. Every rejection is counted
 * per reason ({@link NotificationDecoder#rejected(RejectReason)}), logged at a limited rate, and
 * passed to the {@link RejectSink}.
 *
 * <pre>{@code NotificationDecoder.builder(pipeline::offer).rejects((reason, detail) -> log(reason, detail))}</pre>
 */
public enum RejectReason {
    /** The bytes were not well-formed JSON. */
    MALFORMED_JSON,
    /** A document over the configured size bound (or a string, number or nesting over jackson's bounds). */
    OVERSIZE,
    /** Valid JSON of a shape no decoder recognises. */
    UNKNOWN_SHAPE,
    /** A recognised shape without a field the event needs (no conversation id, no event time, ...). */
    MISSING_FIELD,
    /** A field whose value cannot be used (an unparsable time, ...). */
    INVALID_VALUE,
    /** Recognised but deliberately not handled. */
    UNSUPPORTED
}
