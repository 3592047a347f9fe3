package dev.gctimeline.stream.internal.sources;

import dev.gctimeline.stream.internal.Backoff;

import dev.gctimeline.core.RejectReason;
import dev.gctimeline.core.TimelineEvent;
import dev.gctimeline.core.TimelinePipeline;
import dev.gctimeline.stream.ConversationOwnership;
import dev.gctimeline.stream.FeedRecord;
import dev.gctimeline.stream.NotificationDecoder;
import dev.gctimeline.stream.RecordFeed;
import dev.gctimeline.stream.RecordFeedSource;
import dev.gctimeline.stream.RecordPosition;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The loop behind {@link RecordFeedSource}, on one thread: poll, decode each record, offer its
 * events, commit.
 *
 * <p><b>Commit rule.</b> Records are finished one at a time, in poll order: the next record is not
 * touched until every event of this one was accepted by the pipeline (while the pipeline is full
 * the loop waits for {@code whenWritable} and does not poll). A record's position joins the
 * to-commit set only then, so a committed position never runs ahead of acceptance. Work on a
 * record interrupted by {@link #stop()} is abandoned uncommitted: the feed delivers it again.
 *
 * <p><b>Isolation.</b> Each record is one input to the decoder ({@code onBytes(..., last=true)}
 * followed by {@code socketEnded()}), so a truncated or malformed record is rejected on its own and
 * can never swallow the next record.
 *
 * <pre>{@code RecordFeedWorker w = new RecordFeedWorker(settings, pipeline); new Thread(w).start(); ...; w.stop();}</pre>
 */
public final class RecordFeedWorker implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(RecordFeedSource.class);
    private static final long PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    /**
     * @param feed             the records
     * @param ownership        which conversations this instance offers
     * @param pollTimeout      the {@code max} of each poll
     * @param commitInterval   least time between commits at batch ends (commits before a wait and at the end always happen)
     * @param maxDocumentBytes the decoder's document bound
     * @param pollRetry        backoff after a failing poll
     */
    public record Settings(RecordFeed feed, ConversationOwnership ownership, Duration pollTimeout,
                           Duration commitInterval, int maxDocumentBytes, Backoff pollRetry) {
        public Settings {
            Objects.requireNonNull(feed, "feed");
            Objects.requireNonNull(ownership, "ownership");
            Objects.requireNonNull(pollTimeout, "pollTimeout");
            Objects.requireNonNull(commitInterval, "commitInterval");
            Objects.requireNonNull(pollRetry, "pollRetry");
        }
    }

    private final Settings settings;
    private final TimelinePipeline pipeline;
    private final NotificationDecoder decoder;
    private final Runnable wake = this::wake;
    /** Processed, not yet committed: partition -> last offset done. Worker thread only. */
    private final TreeMap<Integer, Long> done = new TreeMap<>();
    /** Worker thread only: the record being decoded had a key, which decided its ownership. */
    private boolean keyed;
    private long lastCommitNanos = System.nanoTime();

    private volatile Thread thread;
    private volatile boolean stopping;
    private volatile boolean writable;
    private volatile boolean running;
    private volatile Throwable failure;

    private final AtomicLong recordsPolled = new AtomicLong();
    private final AtomicLong recordsDone = new AtomicLong();
    private final AtomicLong recordsSkipped = new AtomicLong();
    private final AtomicLong eventsOffered = new AtomicLong();
    private final AtomicLong eventsSkipped = new AtomicLong();
    private final AtomicLong waits = new AtomicLong();
    private final AtomicLong commits = new AtomicLong();
    private final AtomicLong pollFailures = new AtomicLong();
    private final AtomicLong commitFailures = new AtomicLong();

    public RecordFeedWorker(Settings settings, TimelinePipeline pipeline) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.pipeline = Objects.requireNonNull(pipeline, "pipeline");
        this.decoder = NotificationDecoder.builder(this::offer).rejects(pipeline::reject)
                .maxDocumentBytes(settings.maxDocumentBytes()).build();
        this.running = true;
    }

    @Override
    public void run() {
        thread = Thread.currentThread();
        int pollFailuresInARow = 0;
        try {
            while (!stopping) {
                List<FeedRecord> batch;
                try {
                    batch = settings.feed().poll(settings.pollTimeout());
                    pollFailuresInARow = 0;
                } catch (RuntimeException e) {
                    if (stopping) {
                        break;
                    }
                    pollFailures.incrementAndGet();
                    Duration d = settings.pollRetry().delay(pollFailuresInARow++, null);
                    LOG.warn("record feed poll failed ({}); polling again in {} ms", e.toString(), d.toMillis());
                    sleep(d);
                    continue;
                }
                if (batch == null) {
                    continue;
                }
                recordsPolled.addAndGet(batch.size());
                for (FeedRecord r : batch) {
                    if (stopping || !process(r)) {
                        break;
                    }
                    done.put(r.partition(), r.offset());
                    recordsDone.incrementAndGet();
                }
                if (System.nanoTime() - lastCommitNanos >= settings.commitInterval().toNanos()) {
                    commit();
                }
            }
        } catch (RuntimeException | Error e) {
            failure = e;
            LOG.error("record feed source stopped: unexpected failure", e);
        } finally {
            commit(); // everything in `done` was accepted: safe even after a failure
            running = false;
        }
    }

    /** Decodes one record and offers its events; false when stopped before they were all accepted. */
    private boolean process(FeedRecord r) {
        String key = r.key();
        keyed = key != null && !key.isEmpty();
        if (keyed && !settings.ownership().owns(key)) {
            recordsSkipped.incrementAndGet();
            return true;
        }
        boolean took = decoder.onBytes(r.value(), 0, r.value().length, true);
        decoder.socketEnded(); // this record is all there is: a document still open is truncated
        while (!took) {
            waits.incrementAndGet();
            commit(); // the records before this one are done: do not hold their commit while we wait
            if (!awaitWritable()) {
                return false;
            }
            took = decoder.retryPending();
        }
        return true;
    }

    /** The decoder's sink. */
    private boolean offer(TimelineEvent event) {
        if (!keyed && !settings.ownership().owns(event.conversationId())) {
            eventsSkipped.incrementAndGet();
            return true;
        }
        if (pipeline.offer(event)) {
            eventsOffered.incrementAndGet();
            return true;
        }
        return false;
    }

    private boolean awaitWritable() {
        writable = false;
        pipeline.whenWritable(wake);
        while (!writable) {
            if (stopping) {
                return false;
            }
            if (pipeline.isClosed()) {
                LOG.warn("the pipeline is closed; the record feed source stops (uncommitted records will be redelivered)");
                stopping = true;
                return false;
            }
            LockSupport.parkNanos(this, PARK_NANOS);
        }
        return true;
    }

    /** Runs on a pipeline consumer thread: just wake the worker. */
    private void wake() {
        writable = true;
        Thread t = thread;
        if (t != null) {
            LockSupport.unpark(t);
        }
    }

    private void commit() {
        lastCommitNanos = System.nanoTime();
        if (done.isEmpty()) {
            return;
        }
        List<RecordPosition> positions = new ArrayList<>(done.size());
        done.forEach((partition, offset) -> positions.add(new RecordPosition(partition, offset)));
        try {
            settings.feed().commit(List.copyOf(positions));
            commits.incrementAndGet();
            done.clear();
        } catch (RuntimeException e) {
            commitFailures.incrementAndGet();
            LOG.warn("record feed commit of {} failed ({}); committing again later", positions, e.toString());
        }
    }

    private void sleep(Duration d) {
        long until = System.nanoTime() + d.toNanos();
        long left;
        while (!stopping && (left = until - System.nanoTime()) > 0) {
            LockSupport.parkNanos(this, left);
        }
    }

    /** Asks the loop to end soon (it commits what is done, then returns). Any thread. */
    public void stop() {
        stopping = true;
        try {
            settings.feed().wakeup();
        } catch (RuntimeException e) {
            LOG.warn("record feed wakeup failed ({}); the source stops after the current poll", e.toString());
        }
        Thread t = thread;
        if (t != null) {
            LockSupport.unpark(t);
        }
    }

    public boolean isRunning() {
        return running;
    }

    public Throwable failure() {
        return failure;
    }

    public RecordFeedSource.Metrics metrics() {
        Map<RejectReason, Long> byReason = new EnumMap<>(RejectReason.class);
        for (RejectReason r : RejectReason.values()) {
            byReason.put(r, decoder.rejected(r));
        }
        return new RecordFeedSource.Metrics(running, recordsPolled.get(), recordsDone.get(), recordsSkipped.get(),
                decoder.eventsDecoded(), eventsOffered.get(), eventsSkipped.get(), decoder.rejected(), byReason,
                waits.get(), commits.get(), pollFailures.get(), commitFailures.get());
    }
}
