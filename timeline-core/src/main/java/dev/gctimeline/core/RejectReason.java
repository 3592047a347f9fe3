package dev.gctimeline.core;

/**
 * Why a source turned input away before it became a {@link TimelineEvent}. Sources report each
 * rejection through {@link TimelinePipeline#reject(RejectReason, String)}, which counts it per
 * reason (see {@link PipelineMetrics#rejectedByReason()}) and logs it at a limited rate: bad input
 * is always visible, never fatal, and never silently lost.
 *
 * <pre>{@code pipeline.reject(RejectReason.OVERSIZE, "message of 2,100,000 bytes on v2.users.x.conversations");}</pre>
 */
public enum RejectReason {
    /** The bytes were not well-formed JSON. */
    MALFORMED_JSON,
    /** A message over the configured size bound. */
    OVERSIZE,
    /** Valid JSON of a shape no decoder recognises. */
    UNKNOWN_SHAPE,
    /** A recognised shape without a field the event needs (no conversation id, no event time, ...). */
    MISSING_FIELD,
    /** A field whose value cannot be used (an unparsable time, a number where text belongs, ...). */
    INVALID_VALUE,
    /** Recognised but deliberately not handled (a topic or version we do not support). */
    UNSUPPORTED
}
