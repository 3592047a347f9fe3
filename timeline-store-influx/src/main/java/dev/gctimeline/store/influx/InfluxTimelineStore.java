package dev.gctimeline.store.influx;

import dev.gctimeline.core.ConversationState;
import dev.gctimeline.core.ConversationSummary;
import dev.gctimeline.core.Timeline;
import dev.gctimeline.core.TimelineEvent;
import dev.gctimeline.core.TimelineStore;
import dev.gctimeline.store.influx.internal.Counters;
import dev.gctimeline.store.influx.internal.EventCodec;
import dev.gctimeline.store.influx.internal.FluxReader;
import dev.gctimeline.store.influx.internal.InfluxHttp;
import dev.gctimeline.store.influx.internal.InfluxQlReader;
import dev.gctimeline.store.influx.internal.QueryReader;
import dev.gctimeline.store.influx.internal.SqlReader;
import dev.gctimeline.store.influx.internal.WritePath;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A {@link TimelineStore} on InfluxDB 1.x, 2.x or 3: events become line-protocol points with a
 * deterministic identity, written over HTTP in gzipped batches; playback reads them back exactly
 * (InfluxQL, Flux or SQL). See the module README for the schema and the failure behaviour.
 *
 * <p>{@link #append} sends at once (batches of {@link InfluxConfig#batchSize()} lines per request)
 * and does not retry: a 429, 5xx, lost connection or timeout throws a retryable
 * {@code StoreException} (with the server's Retry-After) for the caller to retry, which is safe
 * because a retried event rewrites the same point. A 413 is split and partial writes are reported
 * to the {@link InfluxStoreListener} here, since no retry could change them. For batching with
 * linger and retries outside a pipeline, wrap the store in an {@link InfluxBatchWriter}.
 *
 * <p>Thread-safe; several pipeline shards may append concurrently.
 *
 * <pre>{@code
 * InfluxConfig config = InfluxConfig.builder().url("http://127.0.0.1:8086").database("timeline").build();
 * try (InfluxTimelineStore store = InfluxTimelineStore.builder(config).build()) {
 *     store.append(events);
 *     Timeline t = store.timeline("c-1");
 * }
 * }</pre>
 */
public final class InfluxTimelineStore implements TimelineStore {
    private final InfluxConfig config;
    private final Counters counters = new Counters();
    private final InfluxStoreMetrics metrics = new InfluxStoreMetrics(counters);
    private final WritePath writer;
    private final QueryReader reader;
    private volatile boolean closed;

    private InfluxTimelineStore(Builder b) {
        this.config = b.config;
        InfluxConfig c = b.config;
        InfluxHttp http = new InfluxHttp(c.url(), c.version(), c.authorization(),
                c.database(), c.retentionPolicy(), c.org(), c.bucket(), c.connectTimeout(), c.requestTimeout(),
                c.gzip(), counters);
        EventCodec codec = new EventCodec(c.measurement(), c.summaryMeasurement());
        InfluxStoreListener listener = b.listener;
        this.writer = new WritePath(http, codec, counters, c.batchSize(), c.maxBatchBytes(), listener::onPartialWrite);
        this.reader = switch (c.version()) {
            case V1 -> new InfluxQlReader(http, c.measurement(), c.retentionPolicy());
            case V2 -> new FluxReader(http, c.bucket(), c.measurement());
            case V3 -> new SqlReader(http, c.database(), c.measurement());
        };
    }

    /** A builder for a store with {@code config}. */
    public static Builder builder(InfluxConfig config) {
        return new Builder(config);
    }

    /** A store with {@code config} and no listener. */
    public static InfluxTimelineStore create(InfluxConfig config) {
        return builder(config).build();
    }

    public InfluxConfig config() {
        return config;
    }

    /** Live counters. */
    public InfluxStoreMetrics metrics() {
        return metrics;
    }

    /**
     * Writes the events (any conversations, any order); idempotent per event. An event that cannot
     * be stored (invalid conversation id, time outside 1677..2262) is counted, logged and reported,
     * and the rest are written.
     *
     * @throws dev.gctimeline.core.StoreException retryable for 429/5xx/connection/timeout, permanent
     *                                            for 401/403/404 and other refusals
     */
    @Override
    public void append(List<TimelineEvent> events) {
        checkOpen();
        writer.append(events);
    }

    /** Writes the conversation's summary point (measurement {@link InfluxConfig#summaryMeasurement()}). */
    @Override
    public void completed(ConversationState state) {
        checkOpen();
        writer.summary(state);
    }

    /**
     * The stored timeline, canonical order, one event per event id.
     *
     * @throws IllegalArgumentException if the id cannot be a conversation id (empty, over 256
     *                                  characters, a control character, a backslash)
     */
    @Override
    public Timeline timeline(String conversationId) {
        checkOpen();
        String problem = EventCodec.conversationIdProblem(conversationId);
        if (problem != null) {
            throw new IllegalArgumentException("invalid conversation id: " + problem);
        }
        List<TimelineEvent> events = reader.events(conversationId);
        List<TimelineEvent> own = new ArrayList<>(events.size());
        for (TimelineEvent e : events) {
            // the query asked for exactly this id; anything else would be a query bug, never shown
            if (e.conversationId().equals(conversationId)) {
                own.add(e);
            }
        }
        Timeline t = Timeline.of(conversationId, own);
        Set<Long> seen = new HashSet<>();
        List<TimelineEvent> unique = new ArrayList<>(t.size());
        for (TimelineEvent e : t.events()) {
            if (seen.add(e.eventId())) {
                unique.add(e);
            }
        }
        return unique.size() == t.size() ? t : new Timeline(conversationId, unique);
    }

    /**
     * Conversations with events in [fromMillis, toMillis): the {@code limit} whose latest event in
     * the window is most recent (ties by id), in that order, each summarised over all its stored
     * events.
     */
    @Override
    public List<ConversationSummary> conversations(long fromMillis, long toMillis, int limit) {
        checkOpen();
        return reader.conversations(fromMillis, toMillis, limit);
    }

    @Override
    public void close() {
        closed = true;
        writer.close();
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("the influx store is closed");
        }
    }

    @Override
    public String toString() {
        return "InfluxTimelineStore{" + config + '}';
    }

    /** Builds an {@link InfluxTimelineStore}. */
    public static final class Builder {
        private final InfluxConfig config;
        private InfluxStoreListener listener = InfluxStoreListener.none();

        private Builder(InfluxConfig config) {
            this.config = Objects.requireNonNull(config, "config");
        }

        /** Hears partial writes and rejected events (default: none; the store logs them anyway). */
        public Builder listener(InfluxStoreListener listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        public InfluxTimelineStore build() {
            return new InfluxTimelineStore(this);
        }
    }
}
