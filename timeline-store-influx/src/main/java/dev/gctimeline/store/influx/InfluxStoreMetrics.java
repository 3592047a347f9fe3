package dev.gctimeline.store.influx;

import dev.gctimeline.store.influx.internal.Counters;

/**
 * Live counters of one {@link InfluxTimelineStore}, as plain getters to export to any metrics
 * system. Every value only grows. Reading is cheap and thread-safe; values read together are not an
 * atomic snapshot.
 *
 * <pre>{@code InfluxStoreMetrics m = store.metrics(); gauge("influx.retryable", m.retryableFailures());}</pre>
 */
public final class InfluxStoreMetrics {
    private final Counters c;

    InfluxStoreMetrics(Counters c) {
        this.c = c;
    }

    /** HTTP write requests sent (each 413 half and each retry of a batch counts again). */
    public long writeRequests() {
        return c.writeRequests.sum();
    }

    /** Lines InfluxDB accepted (a retried batch counts again: points are idempotent, requests are not). */
    public long pointsWritten() {
        return c.pointsWritten.sum();
    }

    /** Request body bytes sent (after gzip). */
    public long bytesSent() {
        return c.bytesSent.sum();
    }

    /** 429 Too Many Requests answers (retryable). */
    public long throttled() {
        return c.throttled.sum();
    }

    /** 5xx answers (retryable). */
    public long serverErrors() {
        return c.serverErrors.sum();
    }

    /** Writes that failed to connect or lost the connection before an answer (retryable). */
    public long connectionErrors() {
        return c.connectionErrors.sum();
    }

    /** Writes with no answer within the request timeout (retryable). */
    public long timeouts() {
        return c.timeouts.sum();
    }

    /** Sum of the four retryable kinds: each one became a retryable {@code StoreException}. */
    public long retryableFailures() {
        return throttled() + serverErrors() + connectionErrors() + timeouts();
    }

    /** Batches split in two after a 413 (body too large). */
    public long splits() {
        return c.splits.sum();
    }

    /** Writes InfluxDB accepted only in part (v1 400 / v2 422 / v3 400 "partial write"). */
    public long partialWrites() {
        return c.partialWrites.sum();
    }

    /** Points InfluxDB refused inside partial writes, plus single lines still too large after splitting. */
    public long rejectedPoints() {
        return c.rejectedPoints.sum();
    }

    /** Events refused before sending (invalid conversation id, time outside InfluxDB's range). */
    public long rejectedEvents() {
        return c.rejectedEvents.sum();
    }

    /** Writes that failed for good (401, 403, 404, a 400 that is not a partial write, ...). */
    public long permanentFailures() {
        return c.permanentFailures.sum();
    }

    /** Completed-conversation summaries written. */
    public long summariesWritten() {
        return c.summariesWritten.sum();
    }

    /** Query requests sent (playback and listing). */
    public long queries() {
        return c.queries.sum();
    }

    /** Query requests that failed. */
    public long queryFailures() {
        return c.queryFailures.sum();
    }

    @Override
    public String toString() {
        return "InfluxStoreMetrics{writeRequests=" + writeRequests() + ", pointsWritten=" + pointsWritten()
                + ", bytesSent=" + bytesSent() + ", throttled=" + throttled() + ", serverErrors=" + serverErrors()
                + ", connectionErrors=" + connectionErrors() + ", timeouts=" + timeouts() + ", splits=" + splits()
                + ", partialWrites=" + partialWrites() + ", rejectedPoints=" + rejectedPoints()
                + ", rejectedEvents=" + rejectedEvents() + ", permanentFailures=" + permanentFailures()
                + ", summariesWritten=" + summariesWritten() + ", queries=" + queries()
                + ", queryFailures=" + queryFailures() + '}';
    }
}
