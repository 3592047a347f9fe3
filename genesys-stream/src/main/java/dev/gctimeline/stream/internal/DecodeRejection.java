package dev.gctimeline.stream.internal;

import dev.gctimeline.core.RejectReason;

/**
 * A document (or one element of a batch) a decoder cannot turn into events: a required field is
 * missing or a value is unusable. Thrown on bad input and caught by the interpreter, which rolls
 * back what the document had emitted and reports the rejection; so it carries no stack trace.
 */
final class DecodeRejection extends RuntimeException {
    private static final long serialVersionUID = 1L;

    final RejectReason reason;

    DecodeRejection(RejectReason reason, String detail) {
        super(detail, null, false, false);
        this.reason = reason;
    }

    static DecodeRejection invalid(String detail) {
        return new DecodeRejection(RejectReason.INVALID_VALUE, detail);
    }

    static DecodeRejection missing(String detail) {
        return new DecodeRejection(RejectReason.MISSING_FIELD, detail);
    }
}
