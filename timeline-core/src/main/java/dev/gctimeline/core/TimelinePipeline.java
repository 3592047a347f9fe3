package dev.gctimeline.core;

import dev.gctimeline.core.internal.RateLimitedLog;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Wires sources to a store: ring -> dedup -> Lamport stamp -> reconstructor -> store writer.
 *
 * <p><b>Flow.</b> Events are routed by conversation id to one of {@code shards} rings, so every
 * event of a conversation is handled by the same consumer thread, in the order its producer
 * offered it. Each shard's consumer drains its ring in batches and, per event: drops repeats
 * ({@link Deduplicator}, counted as {@code duplicates}); stamps it
 * ({@link LamportClock#receive(long)} with the source's sequence when it has one, else
 * {@link LamportClock#tick()}); folds it into its conversation ({@link ConversationReconstructor};
 * an event of an already completed conversation is counted {@code late} and still stored); and
 * hands it to the {@link StoreWriter}. It also calls {@link ConversationReconstructor#advance} at
 * least every 100 ms, busy or idle; a conversation that completes goes to
 * {@link TimelineStore#completed} through the writer (after its events) and to the user's
 * {@link ConversationListener}.
 *
 * <p><b>Backpressure, not loss.</b> A slow or failing store fills the writer's queue, which blocks
 * the consumer, which lets its ring fill, which makes {@link #offer} return false (counted as a
 * backpressure pause). A source then stops reading and calls {@link #whenWritable} to resume.
 * Nothing on the way drops an accepted event; what the store refuses for good is counted and
 * reported to the store listener.
 *
 * <p><b>Threads.</b> {@link #offer}, {@link #publish}, {@link #reject}, {@link #whenWritable},
 * {@link #metrics} and {@link #close} are safe from any thread. Listener callbacks and
 * {@code whenWritable} tasks run on a shard's consumer thread (a task may run on the caller's
 * thread when the rings are already writable): keep them short and non-blocking.
 *
 * <pre>{@code
 * try (TimelineStore store = TimelineStores.open("memory", Map.of());
 *      TimelinePipeline pipeline = TimelinePipeline.builder().store(store).shards(2).listener(listener).build()) {
 *     pipeline.start();
 *     if (!pipeline.offer(event)) { pipeline.whenWritable(source::resume); }
 * }   // close(): drains, completes, flushes; the store is closed by its own try
 * }</pre>
 */
public final class TimelinePipeline implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(TimelinePipeline.class.getName());
    private static final long ADVANCE_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final int DRAIN_LIMIT = 256;
    private static final int MAX_DETAIL = 200;

    private static final int NEW = 0;
    private static final int STARTED = 1;
    private static final int CLOSING = 2;
    private static final int CLOSED = 3;

    private final Shard[] shards;
    private final StoreWriter.Builder writerBuilder;
    private final ConversationListener userListener;
    private final LongSupplier clock;
    private final WaitStrategy wait;
    private final int lowWater;
    private final boolean daemon;
    private final ConcurrentLinkedQueue<Runnable> writableWaiters = new ConcurrentLinkedQueue<>();
    private final LongAdder backpressurePauses = new LongAdder();
    private final AtomicLongArray rejected = new AtomicLongArray(RejectReason.values().length);
    private final RateLimitedLog rateLimited = new RateLimitedLog(LOG, TimeUnit.SECONDS.toNanos(10));
    private final Object lifecycle = new Object();
    private volatile int state = NEW;
    private volatile StoreWriter writer;

    private TimelinePipeline(Builder b) {
        this.userListener = b.listener;
        this.clock = b.clock;
        this.wait = b.wait;
        this.daemon = b.daemon;
        this.lowWater = (int) Math.max(1, Math.min(b.ringCapacity, Math.ceil(b.ringCapacity * b.lowWaterMark)));
        StoreWriter.Builder w = StoreWriter.builder(b.store)
                .batchSize(b.batchSize).linger(b.linger).maxPendingBatches(b.maxPendingBatches)
                .retryBackoff(b.retryBase, b.retryCap).daemon(b.daemon);
        if (b.storeListener != null) {
            w.listener(b.storeListener);
        }
        if (b.sleeper != null) {
            w.sleeper(b.sleeper);
        }
        this.writerBuilder = w;
        int n = b.shards;
        this.shards = new Shard[n];
        int dedupPerShard = (int) Math.min(Deduplicator.MAX_CAPACITY, ((long) b.dedupCapacity + n - 1) / n);
        for (int i = 0; i < n; i++) {
            ConversationReconstructor.Builder r = ConversationReconstructor.builder();
            if (b.gracePeriod != null) {
                r.gracePeriod(b.gracePeriod);
            }
            if (b.idleTimeout != null) {
                r.idleTimeout(b.idleTimeout);
            }
            if (b.maxLiveConversations > 0) {
                r.maxLiveConversations((b.maxLiveConversations + n - 1) / n);
            }
            shards[i] = new Shard(i, new MpscRingBuffer<>(b.ringCapacity), new Deduplicator(dedupPerShard, b.dedupTtl), r);
        }
    }

    /** A builder; {@link Builder#store} is required. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Starts the consumer threads (one per shard) and the store writer thread. Events offered
     * before wait in the rings. Idempotent.
     *
     * @throws IllegalStateException after {@link #close()}
     */
    public void start() {
        synchronized (lifecycle) {
            if (state == STARTED) {
                return;
            }
            if (state != NEW) {
                throw new IllegalStateException("TimelinePipeline is closed; build a new one");
            }
            writer = writerBuilder.build();
            for (Shard s : shards) {
                s.thread.setDaemon(daemon);
                s.thread.start();
            }
            state = STARTED;
        }
    }

    /**
     * Hands {@code event} to its shard's ring without blocking.
     *
     * @return true if accepted (it will be stored, or reported as failed by the store listener);
     *         false if the ring is full (counted in {@code backpressurePauses}; stop reading and use
     *         {@link #whenWritable}) or the pipeline is closed (see {@link #isClosed()})
     */
    public boolean offer(TimelineEvent event) {
        Objects.requireNonNull(event, "event");
        if (state >= CLOSING) {
            return false;
        }
        if (shardOf(event).ring.offer(event)) {
            return true;
        }
        if (state < CLOSING) {
            backpressurePauses.increment();
        }
        return false;
    }

    /**
     * Hands {@code event} to its shard's ring, waiting (spin, yield, park) while the ring is full;
     * one wait counts as one backpressure pause.
     *
     * @throws IllegalStateException if the pipeline is closed (also when it closes while waiting:
     *                               the event was then not accepted)
     * @throws InterruptedException  if interrupted while waiting; the event was not accepted
     */
    public void publish(TimelineEvent event) throws InterruptedException {
        Objects.requireNonNull(event, "event");
        MpscRingBuffer<TimelineEvent> ring = shardOf(event).ring;
        int rounds = 0;
        while (true) {
            if (state >= CLOSING) {
                throw new IllegalStateException("TimelinePipeline is closed; event not accepted");
            }
            if (ring.offer(event)) {
                return;
            }
            if (rounds == 0) {
                backpressurePauses.increment();
            }
            if (Thread.interrupted()) {
                throw new InterruptedException("interrupted while waiting for room in the ring; event not accepted");
            }
            wait.idle(++rounds);
        }
    }

    /**
     * Counts a source-side rejection and logs it (at most one line per reason every 10 s, with the
     * number held back). {@code detail} is the caller's text, truncated to 200 characters with line
     * breaks flattened; it must not contain secrets.
     */
    public void reject(RejectReason reason, String detail) {
        Objects.requireNonNull(reason, "reason");
        rejected.incrementAndGet(reason.ordinal());
        rateLimited.log(System.Logger.Level.WARNING, reason.name(), () -> "rejected input (" + reason + "): " + clean(detail));
    }

    /**
     * Runs {@code task} once, when every ring is below the low-water mark: at once on this thread
     * if they already are, else on the consumer thread whose drain brought the last ring below it.
     * This is how a paused source resumes (the WebSocket calls {@code request(n)} again). Tasks
     * registered after {@link #close()} began never run. A task that throws is logged.
     */
    public void whenWritable(Runnable task) {
        Objects.requireNonNull(task, "task");
        if (state >= CLOSING) {
            return;
        }
        writableWaiters.add(task);
        // The add above is a full fence, so either this check sees the consumers' progress or the
        // consumers' check (after their own fence) sees the task: no wake-up is lost.
        if (allBelowLowWater()) {
            runWritableWaiters();
        }
    }

    /** True once {@link #close()} began: offers are refused for good, not for backpressure. */
    public boolean isClosed() {
        return state >= CLOSING;
    }

    /** A snapshot of the counters. */
    public PipelineMetrics metrics() {
        long received = 0;
        long duplicates = 0;
        long late = 0;
        long queued = 0;
        long live = 0;
        long completed = 0;
        long evicted = 0;
        long errors = 0;
        for (Shard s : shards) {
            received += s.received.get();
            duplicates += s.duplicates.get();
            late += s.late.get();
            queued += s.ring.size();
            live += s.live.get();
            completed += s.completed.get();
            evicted += s.evicted.get();
            errors += s.errors.get();
        }
        Map<RejectReason, Long> byReason = new EnumMap<>(RejectReason.class);
        long rejectedTotal = 0;
        for (RejectReason r : RejectReason.values()) {
            long n = rejected.get(r.ordinal());
            byReason.put(r, n);
            rejectedTotal += n;
        }
        StoreWriter w = writer;
        return new PipelineMetrics(received, duplicates, rejectedTotal, byReason, late,
                w == null ? 0 : w.storedEvents(),
                w == null ? 0 : w.retries(),
                w == null ? 0 : w.failedPermanently() + w.failedCompleted() - w.abandonedCompleted(),
                w == null ? 0 : w.failedEvents(),
                w == null ? 0 : w.abandonedEvents(),
                backpressurePauses.sum(),
                w == null ? 0 : w.stalls(),
                queued, live, completed, evicted, errors);
    }

    /**
     * Stops accepting ({@link #offer} returns false, {@link #publish} throws), lets every shard
     * drain its ring, reports still-live conversations as evicted ({@link EvictionReason#SHUTDOWN}),
     * and waits until the writer has stored everything accepted (or reported what the store
     * refused for good). With a store that stays down, this waits until it comes back: use
     * {@link #close(Duration)} to bound that. Does not close the store: its owner does.
     * Idempotent; concurrent callers all wait for the end.
     */
    @Override
    public void close() {
        close((Duration) null);
    }

    /**
     * Like {@link #close()}, but if the store is still failing when {@code timeout} has passed,
     * stops waiting for it: everything accepted and not yet stored is handed to the
     * {@link Builder#storeListener store listener}'s {@code failed}/{@code completedFailed} (with a
     * non-retryable {@link StoreException} saying so) and counted in
     * {@link PipelineMetrics#storeAbandonedEvents()}, so the caller can keep it elsewhere. Nothing
     * accepted goes unaccounted for.
     *
     * <pre>{@code if (!pipeline.close(Duration.ofSeconds(30))) log.warn("{} events not stored", pipeline.metrics().storeAbandonedEvents());}</pre>
     *
     * @return true if everything accepted was stored or refused by the store itself; false if the
     *         deadline made the pipeline give up on some (a second call returns the first one's answer)
     */
    public boolean close(Duration timeout) {
        Deadline deadline = Deadline.in(timeout);
        synchronized (lifecycle) {
            if (state == CLOSED) {
                return !writer.abandonedAny();
            }
            if (state == NEW) {
                start(); // events offered before start are still drained and stored
            }
            state = CLOSING;
            for (Shard s : shards) {
                s.ring.seal(); // from here on no offer succeeds, so "sealed and empty" means done
            }
            for (Shard s : shards) {
                s.stop = true;
                LockSupport.unpark(s.thread);
            }
            boolean interrupted = false;
            for (Shard s : shards) {
                // Shards blocked on a writer whose store is down drain once the writer gives up on
                // the store: each event then reported, not stored.
                interrupted |= deadline.join(s.thread, writer::abandonAtDeadline);
            }
            boolean clean = writer.closeBy(deadline);
            writableWaiters.clear();
            state = CLOSED;
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            return clean;
        }
    }

    private Shard shardOf(TimelineEvent event) {
        if (shards.length == 1) {
            return shards[0];
        }
        int h = event.conversationId().hashCode();
        h ^= h >>> 16;
        return shards[(h & Integer.MAX_VALUE) % shards.length];
    }

    private boolean allBelowLowWater() {
        for (Shard s : shards) {
            if (s.ring.size() >= lowWater) {
                return false;
            }
        }
        return true;
    }

    private void runWritableWaiters() {
        Runnable task;
        while ((task = writableWaiters.poll()) != null) {
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "whenWritable task threw; the pipeline carries on", e);
            }
        }
    }

    private static String clean(String detail) {
        if (detail == null) {
            return "(no detail)";
        }
        String d = detail.length() > MAX_DETAIL ? detail.substring(0, MAX_DETAIL) + "..." : detail;
        StringBuilder sb = new StringBuilder(d.length());
        for (int i = 0; i < d.length(); i++) {
            char c = d.charAt(i);
            sb.append(Character.isISOControl(c) ? ' ' : c); // one log line, whatever the input held
        }
        return sb.toString();
    }

    /** One ring, its consumer thread and everything that thread owns. */
    private final class Shard implements Runnable, Consumer<TimelineEvent>, ConversationListener {
        final MpscRingBuffer<TimelineEvent> ring;
        final Deduplicator dedup;
        final LamportClock lamport = new LamportClock();
        final ConversationReconstructor reconstructor;
        final Thread thread;
        /** Drained events waiting to go to the writer in one call. Consumer thread only. */
        final List<TimelineEvent> toStore = new ArrayList<>(DRAIN_LIMIT);
        // Written by the consumer thread only (lazySet), read by metrics().
        final AtomicLong received = new AtomicLong();
        final AtomicLong duplicates = new AtomicLong();
        final AtomicLong late = new AtomicLong();
        final AtomicLong live = new AtomicLong();
        final AtomicLong completed = new AtomicLong();
        final AtomicLong evicted = new AtomicLong();
        final AtomicLong errors = new AtomicLong();
        volatile boolean stop;
        private long now;
        private long receivedCount;
        private long duplicateCount;
        private long lateCount;
        private long errorCount;

        Shard(int index, MpscRingBuffer<TimelineEvent> ring, Deduplicator dedup, ConversationReconstructor.Builder r) {
            this.ring = ring;
            this.dedup = dedup;
            this.reconstructor = r.listener(this).build();
            this.thread = new Thread(this, "gctimeline-shard-" + index);
        }

        @Override
        public void run() {
            long nextAdvance = System.nanoTime() + ADVANCE_INTERVAL_NANOS;
            int idle = 0;
            while (true) {
                now = clock.getAsLong();
                int n = ring.drain(this, DRAIN_LIMIT);
                if (n > 0) {
                    idle = 0;
                    storeDrained();
                    publishCounters();
                    VarHandle.fullFence(); // pairs with whenWritable's add: see there
                    if (!writableWaiters.isEmpty() && allBelowLowWater()) {
                        runWritableWaiters();
                    }
                }
                long t = System.nanoTime();
                if (t - nextAdvance >= 0) {
                    nextAdvance = t + ADVANCE_INTERVAL_NANOS;
                    advance();
                    if (!writableWaiters.isEmpty() && allBelowLowWater()) {
                        runWritableWaiters();
                    }
                }
                if (n == 0) {
                    if (stop && ring.isEmpty()) {
                        break; // sealed before stop was set, so nothing more can arrive
                    }
                    wait.idle(++idle);
                }
            }
            try {
                reconstructor.closeAll(clock.getAsLong());
            } catch (RuntimeException e) {
                errors.lazySet(++errorCount);
                LOG.log(System.Logger.Level.ERROR, "closing the live conversations failed", e);
            }
            publishCounters();
        }

        /** One drained event: dedup, stamp, fold, queue for the store. */
        @Override
        public void accept(TimelineEvent event) {
            receivedCount++;
            if (!dedup.firstSeen(event.eventId(), event.eventTime())) {
                duplicateCount++;
                return;
            }
            long stamp = event.sequence() >= 0 ? lamport.receive(event.sequence()) : lamport.tick();
            TimelineEvent stamped = event.withLamport(stamp);
            try {
                if (reconstructor.accept(stamped, now) == ConversationReconstructor.Outcome.LATE) {
                    lateCount++;
                }
            } catch (RuntimeException e) {
                // A bug in folding must not cost the event: it is still stored below.
                errorCount++;
                rateLimited.log(System.Logger.Level.ERROR, "reconstructor", () ->
                        "reconstructor failed on an event of conversation " + stamped.conversationId()
                                + " (" + e + "); the event is still stored");
            }
            toStore.add(stamped);
        }

        private void storeDrained() {
            if (toStore.isEmpty()) {
                return;
            }
            try {
                writer.submitUninterruptibly(toStore);
            } catch (RuntimeException e) {
                // Only if the writer thread died: already logged there; count what it cost.
                errorCount += toStore.size();
                LOG.log(System.Logger.Level.ERROR, toStore.size() + " events could not be handed to the store writer", e);
            }
            toStore.clear();
        }

        private void advance() {
            try {
                reconstructor.advance(clock.getAsLong());
            } catch (RuntimeException e) {
                errorCount++;
                rateLimited.log(System.Logger.Level.ERROR, "advance", () -> "reconstructor advance failed: " + e);
            }
            publishCounters();
        }

        private void publishCounters() {
            received.lazySet(receivedCount);
            duplicates.lazySet(duplicateCount);
            late.lazySet(lateCount);
            errors.lazySet(errorCount);
            live.lazySet(reconstructor.liveCount());
        }

        /** Called by the reconstructor on this thread. */
        @Override
        public void completed(ConversationState state, Timeline timeline) {
            completed.lazySet(completed.get() + 1);
            storeDrained(); // keep the store's order: a conversation's events before its summary
            writer.completedUninterruptibly(state);
            userListener.completed(state, timeline);
        }

        @Override
        public void evicted(ConversationState state, Timeline timeline, EvictionReason reason) {
            evicted.lazySet(evicted.get() + 1);
            userListener.evicted(state, timeline, reason);
        }
    }

    /**
     * Options of a {@link TimelinePipeline}. Only {@link #store} is required.
     *
     * <pre>{@code
     * TimelinePipeline p = TimelinePipeline.builder().store(store).shards(2).ringCapacity(1 << 16)
     *     .dedup(1_000_000, Duration.ofHours(2)).gracePeriod(Duration.ofSeconds(60)).listener(l).build();
     * }</pre>
     */
    public static final class Builder {
        private TimelineStore store;
        private int shards = 1;
        private int ringCapacity = 65_536;
        private int dedupCapacity = 1_000_000;
        private Duration dedupTtl = Duration.ofHours(2);
        private Duration gracePeriod;
        private Duration idleTimeout;
        private int maxLiveConversations;
        private int batchSize = 1_000;
        private Duration linger = Duration.ofMillis(200);
        private int maxPendingBatches = 4;
        private Duration retryBase = Duration.ofMillis(100);
        private Duration retryCap = Duration.ofSeconds(30);
        private StoreWriter.Listener storeListener;
        private StoreWriter.Sleeper sleeper;
        private ConversationListener listener = new ConversationListener() {
        };
        private LongSupplier clock = System::currentTimeMillis;
        private double lowWaterMark = 0.5;
        private WaitStrategy wait = WaitStrategy.backoff();
        private boolean daemon;

        private Builder() {
        }

        /** Where events go (required). The pipeline never closes it. */
        public Builder store(TimelineStore store) {
            this.store = Objects.requireNonNull(store, "store");
            return this;
        }

        /** Consumer threads, each with its own ring, dedup, clock and reconstructor; default 1. */
        public Builder shards(int shards) {
            if (shards < 1 || shards > 1024) {
                throw new IllegalArgumentException("shards must be between 1 and 1024, got " + shards);
            }
            this.shards = shards;
            return this;
        }

        /** Ring slots per shard, a power of two; default 65,536. */
        public Builder ringCapacity(int ringCapacity) {
            this.ringCapacity = ringCapacity;
            return this;
        }

        /** Event ids remembered (split evenly over the shards) and for how much event time; defaults 1,000,000 and 2 h. */
        public Builder dedup(int capacity, Duration ttl) {
            if (capacity < 1) {
                throw new IllegalArgumentException("dedup capacity must be >= 1, got " + capacity);
            }
            this.dedupCapacity = capacity;
            this.dedupTtl = Objects.requireNonNull(ttl, "ttl");
            return this;
        }

        /** The reconstructor's wait after a conversation ended before completing it (its default if unset). */
        public Builder gracePeriod(Duration gracePeriod) {
            this.gracePeriod = Objects.requireNonNull(gracePeriod, "gracePeriod");
            return this;
        }

        /** The reconstructor's idle eviction timeout (its default if unset). */
        public Builder idleTimeout(Duration idleTimeout) {
            this.idleTimeout = Objects.requireNonNull(idleTimeout, "idleTimeout");
            return this;
        }

        /** Live conversations at most, split evenly over the shards (the reconstructor's default if unset). */
        public Builder maxLiveConversations(int max) {
            if (max < 1) {
                throw new IllegalArgumentException("maxLiveConversations must be >= 1, got " + max);
            }
            this.maxLiveConversations = max;
            return this;
        }

        /** Store batch size (events and completed states); default 1,000. */
        public Builder batchSize(int batchSize) {
            this.batchSize = batchSize;
            return this;
        }

        /** How long a partial store batch waits to fill; default 200 ms. */
        public Builder linger(Duration linger) {
            this.linger = Objects.requireNonNull(linger, "linger");
            return this;
        }

        /** Sealed store batches that may wait before shards block; default 4. */
        public Builder maxPendingBatches(int maxPendingBatches) {
            this.maxPendingBatches = maxPendingBatches;
            return this;
        }

        /** Retry backoff base and cap; defaults 100 ms and 30 s. */
        public Builder retryBackoff(Duration base, Duration cap) {
            this.retryBase = Objects.requireNonNull(base, "base");
            this.retryCap = Objects.requireNonNull(cap, "cap");
            return this;
        }

        /** Hears store batches refused for good, and retries. */
        public Builder storeListener(StoreWriter.Listener storeListener) {
            this.storeListener = Objects.requireNonNull(storeListener, "storeListener");
            return this;
        }

        /** How the writer waits between retries (tests); default {@link Thread#sleep}. */
        public Builder retrySleeper(StoreWriter.Sleeper sleeper) {
            this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
            return this;
        }

        /** Hears completed and evicted conversations, on consumer threads. */
        public Builder listener(ConversationListener listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /** Processing time in epoch ms for grace periods and idle timeouts; default {@link System#currentTimeMillis}. */
        public Builder clock(LongSupplier clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Fill fraction every ring must be below for {@link #whenWritable} tasks to run; default 0.5. */
        public Builder lowWaterMark(double fraction) {
            if (!(fraction > 0 && fraction <= 1)) {
                throw new IllegalArgumentException("lowWaterMark must be in (0, 1], got " + fraction);
            }
            this.lowWaterMark = fraction;
            return this;
        }

        /** How idle consumers and waiting publishers wait; default {@link WaitStrategy#backoff()}. */
        public Builder waitStrategy(WaitStrategy wait) {
            this.wait = Objects.requireNonNull(wait, "wait");
            return this;
        }

        /**
         * Whether the pipeline's threads are daemons; default false, so the JVM cannot exit with
         * accepted events unstored because {@link TimelinePipeline#close()} was forgotten.
         */
        public Builder daemonThreads(boolean daemon) {
            this.daemon = daemon;
            return this;
        }

        /**
         * A pipeline, not yet started.
         *
         * @throws IllegalStateException    without a store
         * @throws IllegalArgumentException naming an option out of range
         */
        public TimelinePipeline build() {
            if (store == null) {
                throw new IllegalStateException("TimelinePipeline needs a store: builder().store(...)");
            }
            StoreWriter.builder(store).batchSize(batchSize).maxPendingBatches(maxPendingBatches).linger(linger)
                    .retryBackoff(retryBase, retryCap); // validates the writer options now, not at start()
            return new TimelinePipeline(this);
        }
    }
}
