package dev.gctimeline.stream.internal;

import dev.gctimeline.core.RejectReason;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The counters of one decoder: written by the decoding thread only, read from any thread.
 *
 * <p>Single writer, so an increment is a plain read-add-write; opaque access keeps 64-bit values
 * untorn and visible to a metrics thread without the cost of a volatile write per event.
 *
 * <pre>{@code counters.increment(Counters.DOCUMENTS); long n = counters.get(Counters.DOCUMENTS);}</pre>
 */
public final class Counters {
    public static final int DOCUMENTS = 0;
    public static final int MESSAGES = 1;
    public static final int BYTES = 2;
    public static final int PARSER_RESTARTS = 3;
    public static final int PARSER_RECYCLES = 4;
    public static final int EVENTS_DECODED = 5;
    public static final int EVENTS_DELIVERED = 6;
    public static final int UNKNOWN_TOPICS = 7;
    public static final int UNKNOWN_FIELDS = 8;
    public static final int INTERIM_SKIPPED = 9;
    public static final int HEARTBEATS = 10;
    public static final int PONGS = 11;
    public static final int SYSTEM_MESSAGES = 12;
    public static final int STALE_TRANSITIONS = 13;
    public static final int CONVERSATIONS_EVICTED = 14;
    public static final int PAUSES = 15;
    public static final int REJECTED = 16;
    private static final int REJECTED_BY_REASON = 17;
    private static final int SIZE = REJECTED_BY_REASON + RejectReason.values().length;

    private static final VarHandle LONGS = MethodHandles.arrayElementVarHandle(long[].class);

    private final long[] values = new long[SIZE];

    public void increment(int counter) {
        add(counter, 1);
    }

    public void add(int counter, long delta) {
        LONGS.setOpaque(values, counter, (long) LONGS.getOpaque(values, counter) + delta);
    }

    public void reject(RejectReason reason) {
        increment(REJECTED);
        increment(REJECTED_BY_REASON + reason.ordinal());
    }

    public long get(int counter) {
        return (long) LONGS.getOpaque(values, counter);
    }

    public long rejected(RejectReason reason) {
        return get(REJECTED_BY_REASON + reason.ordinal());
    }
}
