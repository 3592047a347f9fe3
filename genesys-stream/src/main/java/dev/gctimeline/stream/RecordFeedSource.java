package dev.gctimeline.stream;

import dev.gctimeline.core.EventSource;
import dev.gctimeline.core.RejectReason;
import dev.gctimeline.core.TimelinePipeline;
import dev.gctimeline.stream.internal.IncrementalJsonDecoder;
import dev.gctimeline.stream.internal.Backoff;
import dev.gctimeline.stream.internal.sources.RecordFeedWorker;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An {@link EventSource} for the bulk path: Genesys Cloud's events delivered in bulk through its
 * AWS EventBridge integration (at least once, unordered), or any topic of records (Kafka), read
 * through the small {@link RecordFeed} SPI.
 *
 * <p>One thread polls the feed, decodes each record with a {@link NotificationDecoder} (EventBridge
 * records, bare notification envelopes and seed-shape documents alike; each record on its own, so
 * a broken record is rejected alone), and offers its events to the pipeline. While the pipeline is
 * full it stops polling and waits for {@link TimelinePipeline#whenWritable}.
 *
 * <p><b>At least once.</b> A record's position is committed only after every event decoded from it
 * and from every earlier record of its partition was accepted by the pipeline. Records not
 * committed when the process stops (or the source closes mid-record) are delivered again by the
 * feed; the pipeline's dedup and the store's idempotent append make the repeat harmless, because
 * event ids are deterministic (docs/event-mapping.md). A rejected record counts as done: it is
 * committed, not retried forever.
 *
 * <p><b>Several instances.</b> With {@link Builder#ownership} an instance offers only the events of
 * conversations it owns and counts the rest as skipped. A record's key (the conversation id)
 * decides when it has one, so a skipped record is not even decoded; a record without a key is
 * decoded and each event decided by its own conversation id.
 *
 * <pre>{@code
 * try (RecordFeedSource source = RecordFeedSource.builder(feed)
 *         .ownership(ConversationOwnership.hashed(instance, instances)).build()) {
 *     source.start(pipeline);
 *     ...
 * }
 * }</pre>
 */
public final class RecordFeedSource implements EventSource {
    private static final AtomicInteger THREADS = new AtomicInteger();

    /**
     * A snapshot of a {@link RecordFeedSource}'s counters (cumulative except {@code running}).
     *
     * <pre>{@code RecordFeedSource.Metrics m = source.metrics(); gauge("bulk.skipped", m.recordsSkipped());}</pre>
     *
     * @param running          the polling thread runs
     * @param recordsPolled    records the feed returned
     * @param recordsDone      records finished: decoded, every owned event accepted (rejected ones too)
     * @param recordsSkipped   keyed records of conversations another instance owns (not decoded)
     * @param eventsDecoded    events decoded
     * @param eventsOffered    events the pipeline accepted
     * @param eventsSkipped    events of unkeyed records whose conversation another instance owns
     * @param rejected         rejected documents or batch elements, all reasons
     * @param rejectedByReason rejections per reason, every reason present
     * @param waits            times the pipeline was full and polling stopped until it had room
     * @param commits          successful {@link RecordFeed#commit} calls
     * @param pollFailures     polls that threw
     * @param commitFailures   commits that threw (retried with the next commit)
     */
    public record Metrics(boolean running, long recordsPolled, long recordsDone, long recordsSkipped, long eventsDecoded,
                          long eventsOffered, long eventsSkipped, long rejected, Map<RejectReason, Long> rejectedByReason,
                          long waits, long commits, long pollFailures, long commitFailures) {
        public Metrics {
            rejectedByReason = Map.copyOf(rejectedByReason);
        }

        /** Rejections of one reason. */
        public long rejected(RejectReason reason) {
            return rejectedByReason.getOrDefault(reason, 0L);
        }
    }

    private final RecordFeedWorker.Settings settings;
    private final Object lifecycle = new Object();
    private RecordFeedWorker worker;
    private Thread thread;
    private boolean closed;

    private RecordFeedSource(Builder b) {
        this.settings = new RecordFeedWorker.Settings(b.feed, b.ownership, b.pollTimeout, b.commitInterval,
                b.maxDocumentBytes, Backoff.fullJitter(b.retryInitial, b.retryMax));
    }

    /** A builder reading {@code feed}. */
    public static Builder builder(RecordFeed feed) {
        return new Builder(feed);
    }

    /**
     * Starts the polling thread feeding {@code pipeline}; returns at once.
     *
     * @throws IllegalStateException if already started or closed
     */
    @Override
    public RecordFeedSource start(TimelinePipeline pipeline) {
        Objects.requireNonNull(pipeline, "pipeline");
        synchronized (lifecycle) {
            if (closed) {
                throw new IllegalStateException("this RecordFeedSource is closed; build a new one");
            }
            if (worker != null) {
                throw new IllegalStateException("this RecordFeedSource is already started");
            }
            worker = new RecordFeedWorker(settings, pipeline);
            thread = new Thread(worker, "record-feed-source-" + THREADS.incrementAndGet());
            // A daemon: what it has not committed is redelivered, so nothing is lost if the JVM exits.
            thread.setDaemon(true);
            thread.start();
        }
        return this;
    }

    /** The counters now (all zero before {@link #start}). */
    public Metrics metrics() {
        RecordFeedWorker w;
        synchronized (lifecycle) {
            w = worker;
        }
        if (w == null) {
            Map<RejectReason, Long> none = new java.util.EnumMap<>(RejectReason.class);
            for (RejectReason r : RejectReason.values()) {
                none.put(r, 0L);
            }
            return new Metrics(false, 0, 0, 0, 0, 0, 0, 0, none, 0, 0, 0, 0);
        }
        return w.metrics();
    }

    /** What stopped the polling thread unexpectedly (a bug, not bad input), if anything did. */
    public Optional<Throwable> failure() {
        RecordFeedWorker w;
        synchronized (lifecycle) {
            w = worker;
        }
        return Optional.ofNullable(w == null ? null : w.failure());
    }

    /**
     * Stops polling: {@link RecordFeed#wakeup()}, then waits for the thread to commit what it
     * finished and end (at most the current poll's {@code max} when the feed ignores wakeups). A
     * record half offered when the pipeline was full is abandoned uncommitted, for the feed to
     * deliver again. Neither the feed nor the pipeline is closed. Idempotent.
     */
    @Override
    public void close() {
        RecordFeedWorker w;
        Thread t;
        synchronized (lifecycle) {
            if (closed) {
                return;
            }
            closed = true;
            w = worker;
            t = thread;
        }
        if (w == null) {
            return;
        }
        w.stop();
        boolean interrupted = false;
        while (true) {
            try {
                t.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "RecordFeedSource[" + settings.ownership() + "]";
    }

    /**
     * Options of a {@link RecordFeedSource}; only the feed is required.
     *
     * <pre>{@code RecordFeedSource.builder(feed).pollTimeout(Duration.ofMillis(500)).commitInterval(Duration.ofSeconds(1)).build()}</pre>
     */
    public static final class Builder {
        private final RecordFeed feed;
        private ConversationOwnership ownership = ConversationOwnership.all();
        private Duration pollTimeout = Duration.ofMillis(500);
        private Duration commitInterval = Duration.ofSeconds(1);
        private Duration retryInitial = Duration.ofMillis(100);
        private Duration retryMax = Duration.ofSeconds(30);
        private int maxDocumentBytes = IncrementalJsonDecoder.DEFAULT_MAX_DOCUMENT_BYTES;

        private Builder(RecordFeed feed) {
            this.feed = Objects.requireNonNull(feed, "feed");
        }

        /** Which conversations this instance offers. Default {@link ConversationOwnership#all()}. */
        public Builder ownership(ConversationOwnership ownership) {
            this.ownership = Objects.requireNonNull(ownership, "ownership");
            return this;
        }

        /** The longest a poll waits for records (and so the longest {@link #close} may wait). Default 500 ms. */
        public Builder pollTimeout(Duration timeout) {
            Objects.requireNonNull(timeout, "pollTimeout");
            if (timeout.isNegative()) {
                throw new IllegalArgumentException("pollTimeout must not be negative, was " + timeout);
            }
            this.pollTimeout = timeout;
            return this;
        }

        /**
         * The least time between commits after polled batches; commits before waiting for a full
         * pipeline and at close happen regardless. Default 1 s; zero commits after every batch.
         */
        public Builder commitInterval(Duration interval) {
            Objects.requireNonNull(interval, "commitInterval");
            if (interval.isNegative()) {
                throw new IllegalArgumentException("commitInterval must not be negative, was " + interval);
            }
            this.commitInterval = interval;
            return this;
        }

        /** Backoff after a failing poll: full jitter from {@code initial} up to {@code max}. Defaults 100 ms, 30 s. */
        public Builder pollRetryBackoff(Duration initial, Duration max) {
            Backoff.fullJitter(initial, max); // validates
            this.retryInitial = initial;
            this.retryMax = max;
            return this;
        }

        /** The largest accepted JSON document, in UTF-8 bytes. Default 1 MiB (EventBridge records are at most 256 KB). */
        public Builder maxDocumentBytes(int maxDocumentBytes) {
            if (maxDocumentBytes < 64) {
                throw new IllegalArgumentException("maxDocumentBytes must be at least 64, was " + maxDocumentBytes);
            }
            this.maxDocumentBytes = maxDocumentBytes;
            return this;
        }

        public RecordFeedSource build() {
            return new RecordFeedSource(this);
        }
    }
}
