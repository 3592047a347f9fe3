package dev.gctimeline.store.influx.internal;

import java.util.concurrent.atomic.LongAdder;

/** The store's live counters; read through the public {@code InfluxStoreMetrics} view. */
public final class Counters {
    public final LongAdder writeRequests = new LongAdder();
    public final LongAdder pointsWritten = new LongAdder();
    public final LongAdder bytesSent = new LongAdder();
    public final LongAdder throttled = new LongAdder();
    public final LongAdder serverErrors = new LongAdder();
    public final LongAdder connectionErrors = new LongAdder();
    public final LongAdder timeouts = new LongAdder();
    public final LongAdder splits = new LongAdder();
    public final LongAdder partialWrites = new LongAdder();
    public final LongAdder rejectedPoints = new LongAdder();
    public final LongAdder rejectedEvents = new LongAdder();
    public final LongAdder permanentFailures = new LongAdder();
    public final LongAdder queries = new LongAdder();
    public final LongAdder queryFailures = new LongAdder();
    public final LongAdder summariesWritten = new LongAdder();
}
