package dev.gctimeline.core;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import java.util.random.RandomGenerator;

/**
 * Writes events to a {@link TimelineStore} in batches on one writer thread, retrying what may
 * succeed later and reporting what never will.
 *
 * <p><b>Batching.</b> Submitted events collect in an open batch, which is sealed when it holds
 * {@code batchSize} items (default 1,000) or when its first item is {@code linger} old (default
 * 200 ms). Sealed batches wait in a queue of at most {@code maxPendingBatches} (default 4).
 * {@link #completed(ConversationState)} rides in the open batch too and is written after that
 * batch's events, so a conversation's summary never reaches the store before events submitted
 * ahead of it.
 *
 * <p><b>Backpressure.</b> {@link #submit} blocks while the queue is full (each such wait is
 * counted in {@link #stalls()}). Nothing is ever dropped to make room: a store that stays down
 * stalls the pipeline's consumer, whose ring then fills, whose {@code offer} then returns false to
 * the source.
 *
 * <p><b>Retries.</b> A {@link StoreException} with {@link StoreException#retryable()} is retried
 * for as long as it takes, waiting the store's {@link StoreException#retryAfter()} when it gave one
 * (at most 5 minutes) and otherwise an exponential backoff with full jitter: a uniformly random
 * time between 0 and {@code min(retryCap, retryBase x 2^attempt)} (defaults 100 ms and 30 s). A
 * non-retryable failure, or any other exception from the store, fails that call for good: it is
 * logged, counted ({@link #failedPermanently()}, {@link #failedEvents()}, {@link #failedCompleted()})
 * and handed to the {@link Listener}, never silently dropped; the writer carries on with the next
 * batch. {@code completed} calls get the same policy.
 *
 * <p><b>Threads.</b> {@code submit}, {@code completed}, {@code flush} and {@code close} are safe
 * from any number of threads; the store is only ever called from the writer thread. Everything a
 * thread did before {@code submit} happens-before the store sees the event.
 *
 * <pre>{@code
 * try (StoreWriter writer = StoreWriter.builder(store).batchSize(5_000).linger(Duration.ofMillis(500)).build()) {
 *     writer.submit(event);   // blocks only while maxPendingBatches sealed batches wait
 *     writer.flush();         // everything submitted so far is written (or reported failed)
 * }
 * }</pre>
 */
public final class StoreWriter implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(StoreWriter.class.getName());
    private static final long MAX_RETRY_AFTER_MILLIS = TimeUnit.MINUTES.toMillis(5);

    /**
     * Hears what the writer could not do. Called on the writer thread; keep it short. Exceptions it
     * throws are logged and ignored.
     */
    public interface Listener {
        /** The store refused {@code events} for good (a non-retryable failure). */
        default void failed(List<TimelineEvent> events, StoreException error) {
        }

        /** The store refused a completed conversation's state for good. */
        default void completedFailed(ConversationState state, StoreException error) {
        }

        /** A retryable failure; the call is retried after {@code delay}. {@code attempt} counts from 1. */
        default void retrying(int attempt, Duration delay, StoreException error) {
        }
    }

    /** Waits between retries; tests replace it to run backoff without waiting. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;
    }

    private final TimelineStore store;
    private final int batchSize;
    private final long lingerNanos;
    private final int maxPendingBatches;
    private final long retryBaseMillis;
    private final long retryCapMillis;
    private final Listener listener;
    private final Sleeper sleeper;
    private final LongSupplier nanoClock;
    private final RandomGenerator random;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notFull = lock.newCondition();
    private final Condition work = lock.newCondition();
    private final Condition done = lock.newCondition();
    // Guarded by lock:
    private final ArrayDeque<Batch> queue;
    private Batch open;
    private long openedAtNanos;
    private long sealedSeq;
    private long doneSeq;
    private boolean closing;
    private Throwable died;
    private long stalls;
    // Set once a close deadline passed: the writer thread stops calling the store and hands every
    // batch still unwritten to the listener as failed, so close(timeout) can end without losing
    // track of a single event.
    private volatile boolean abandoning;

    private final AtomicLong storedEvents = new AtomicLong();
    private final AtomicLong storedCompleted = new AtomicLong();
    private final AtomicLong retries = new AtomicLong();
    private final AtomicLong failedPermanently = new AtomicLong();
    private final AtomicLong failedEvents = new AtomicLong();
    private final AtomicLong failedCompleted = new AtomicLong();
    private final AtomicLong abandonedEvents = new AtomicLong();
    private final AtomicLong abandonedCompleted = new AtomicLong();
    private final Thread thread;

    private StoreWriter(Builder b) {
        this.store = b.store;
        this.batchSize = b.batchSize;
        this.lingerNanos = b.linger.toNanos();
        this.maxPendingBatches = b.maxPendingBatches;
        this.retryBaseMillis = Math.max(1, b.retryBase.toMillis());
        this.retryCapMillis = Math.max(retryBaseMillis, b.retryCap.toMillis());
        this.listener = b.listener;
        this.sleeper = b.sleeper;
        this.nanoClock = b.nanoClock;
        this.random = b.random;
        this.queue = new ArrayDeque<>(maxPendingBatches);
        this.thread = new Thread(this::run, b.threadName);
        thread.setDaemon(b.daemon);
    }

    /** A builder writing to {@code store}. */
    public static Builder builder(TimelineStore store) {
        return new Builder(store);
    }

    /**
     * Accepts {@code event} for writing. Blocks while {@code maxPendingBatches} sealed batches are
     * waiting (counted in {@link #stalls()}).
     *
     * @throws IllegalStateException after {@link #close()} began, or if the writer thread died
     * @throws InterruptedException  if interrupted while blocked; the event was then not accepted
     *                               (nothing accepted earlier is lost)
     */
    public void submit(TimelineEvent event) throws InterruptedException {
        Objects.requireNonNull(event, "event");
        lock.lockInterruptibly();
        try {
            Batch b = batchWithRoom(true);
            b.events.add(event);
            sealIfFull(b);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Accepts all of {@code events} (in order) for writing; the same as submitting each, in fewer
     * lock round trips. If interrupted part-way, the events before the interruption were accepted.
     */
    public void submit(List<TimelineEvent> events) throws InterruptedException {
        lock.lockInterruptibly();
        try {
            for (TimelineEvent event : events) {
                Objects.requireNonNull(event, "event");
                Batch b = batchWithRoom(true);
                b.events.add(event);
                sealIfFull(b);
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * For the pipeline's consumer threads: like {@link #submit(List)}, but an interrupt does not end
     * the wait (it stays set), so the caller always knows every event was accepted.
     */
    void submitUninterruptibly(List<TimelineEvent> events) {
        lock.lock();
        try {
            for (TimelineEvent event : events) {
                Batch b = uninterruptibly();
                b.events.add(event);
                sealIfFull(b);
            }
        } finally {
            lock.unlock();
        }
    }

    /** For the pipeline's consumer threads: {@link #completed} without giving up on interrupt. */
    void completedUninterruptibly(ConversationState state) {
        lock.lock();
        try {
            Batch b = uninterruptibly();
            b.completed.add(state);
            sealIfFull(b);
        } finally {
            lock.unlock();
        }
    }

    private Batch uninterruptibly() {
        try {
            return batchWithRoom(false);
        } catch (InterruptedException e) {
            throw new AssertionError("uninterruptible wait was interrupted", e);
        }
    }

    /**
     * Accepts a completed conversation's state for {@link TimelineStore#completed}, written after
     * every event submitted before it. Blocks like {@link #submit(TimelineEvent)}.
     */
    public void completed(ConversationState state) throws InterruptedException {
        Objects.requireNonNull(state, "state");
        lock.lockInterruptibly();
        try {
            Batch b = batchWithRoom(true);
            b.completed.add(state);
            sealIfFull(b);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits until everything accepted before this call has been written, or has failed for good and
     * been reported. With a store that stays down this waits until it comes back.
     */
    public void flush() throws InterruptedException {
        lock.lockInterruptibly();
        try {
            while (open != null && queue.size() >= maxPendingBatches) {
                checkAlive();
                notFull.await();
            }
            if (open != null) {
                enqueue(open);
                open = null;
            }
            long target = sealedSeq;
            while (doneSeq < target) {
                checkAlive();
                done.await();
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Stops accepting, writes everything accepted (retrying as usual, so with a store that stays
     * down this waits until it comes back), and stops the writer thread. Does not close the store.
     * Idempotent; an interrupt while waiting is kept for the caller and the wait goes on. Use
     * {@link #close(Duration)} to bound the wait.
     */
    @Override
    public void close() {
        closeBy(Deadline.in(null));
    }

    /**
     * Like {@link #close()}, but gives up on a store that is still failing once {@code timeout}
     * has passed: the store call in flight is interrupted, nothing more is sent to the store, and
     * every event and completed state not yet written is handed to {@link Listener#failed} /
     * {@link Listener#completedFailed} with a non-retryable {@link StoreException} that says so,
     * and counted in {@link #abandonedEvents()} (and {@link #failedEvents()}). Nothing accepted
     * goes unaccounted for: it was either stored or reported.
     *
     * <p>Returns once the writer thread has ended: at the deadline, or a little after it if the
     * store ignores the interrupt and finishes its call first.
     *
     * @return true if nothing had to be abandoned
     */
    public boolean close(Duration timeout) {
        return closeBy(Deadline.in(timeout));
    }

    /** {@link #close(Duration)} against a deadline the caller already started (the pipeline's). */
    boolean closeBy(Deadline deadline) {
        boolean interrupted = false;
        lock.lock();
        try {
            if (!closing) {
                closing = true;
                // A dead writer thread cannot write the open batch; its death was logged.
                while (open != null && died == null && queue.size() >= maxPendingBatches) {
                    if (deadline.passed()) {
                        abandonAtDeadline(); // the writer thread now drains the queue without the store
                    }
                    try {
                        notFull.awaitNanos(abandoning ? Long.MAX_VALUE : deadline.nanosLeft());
                    } catch (InterruptedException e) {
                        interrupted = true;
                    }
                }
                if (open != null && died == null) {
                    enqueue(open);
                    open = null;
                }
                work.signalAll();
            }
        } finally {
            lock.unlock();
        }
        interrupted |= deadline.join(thread, this::abandonAtDeadline);
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        return !abandonedAny();
    }

    /** True once a close deadline made this writer give up on an event or completed state. */
    boolean abandonedAny() {
        return abandonedEvents.get() != 0 || abandonedCompleted.get() != 0;
    }

    /** Gives up on the store now (see {@link #close(Duration)}); package-private for the pipeline. */
    void abandonAtDeadline() {
        if (!abandoning) {
            abandoning = true;
            LOG.log(System.Logger.Level.WARNING, "store writer close deadline passed while the store was failing;"
                    + " reporting every unwritten event to the listener as failed instead of waiting");
            thread.interrupt(); // a retry sleep or an interruptible store call ends now
        }
    }

    /** Events the store accepted. */
    public long storedEvents() {
        return storedEvents.get();
    }

    /** Completed-conversation states the store accepted. */
    public long storedCompleted() {
        return storedCompleted.get();
    }

    /** Store calls retried after a retryable failure. */
    public long retries() {
        return retries.get();
    }

    /** Event batches that failed for good (a non-retryable failure); their events are in {@link #failedEvents()}. */
    public long failedPermanently() {
        return failedPermanently.get();
    }

    /** Events in batches that failed for good. */
    public long failedEvents() {
        return failedEvents.get();
    }

    /** Completed-conversation states that failed for good. */
    public long failedCompleted() {
        return failedCompleted.get();
    }

    /**
     * Events never written because {@link #close(Duration)}'s deadline passed while the store was
     * failing; they are also in {@link #failedEvents()} and were reported to {@link Listener#failed}.
     */
    public long abandonedEvents() {
        return abandonedEvents.get();
    }

    /** Completed states never written because a close deadline passed; also in {@link #failedCompleted()}. */
    public long abandonedCompleted() {
        return abandonedCompleted.get();
    }

    /** Times a submitter had to wait because {@code maxPendingBatches} batches were waiting. */
    public long stalls() {
        lock.lock();
        try {
            return stalls;
        } finally {
            lock.unlock();
        }
    }

    /** Sealed batches waiting for the writer thread now. */
    public int pendingBatches() {
        lock.lock();
        try {
            return queue.size();
        } finally {
            lock.unlock();
        }
    }

    // ---- submit side, all under lock ----

    private void checkAccepting() {
        if (closing) {
            throw new IllegalStateException("StoreWriter is closed");
        }
        checkAlive();
    }

    private void checkAlive() {
        if (died != null) {
            throw new IllegalStateException("StoreWriter's writer thread died; nothing more can be written", died);
        }
    }

    private Batch openBatch() {
        if (open == null) {
            open = new Batch(batchSize);
            openedAtNanos = nanoClock.getAsLong();
            work.signal(); // the writer thread now has a linger deadline to wait for
        }
        return open;
    }

    /**
     * The open batch, once one more item fits: either the batch stays below {@code batchSize}
     * or the queue has room to take it when full. Waiting happens before the item is added, so an
     * interrupt loses nothing.
     */
    private Batch batchWithRoom(boolean interruptible) throws InterruptedException {
        boolean stalled = false;
        while (true) {
            checkAccepting();
            Batch b = openBatch();
            if (b.size() + 1 < batchSize || queue.size() < maxPendingBatches) {
                return b;
            }
            if (!stalled) {
                stalled = true;
                stalls++;
            }
            if (interruptible) {
                notFull.await();
            } else {
                notFull.awaitUninterruptibly();
            }
        }
    }

    private void sealIfFull(Batch b) {
        if (b.size() >= batchSize) {
            open = null;
            enqueue(b); // batchWithRoom made sure the queue has room
        }
    }

    private void enqueue(Batch b) {
        b.seq = ++sealedSeq;
        queue.addLast(b);
        work.signal();
    }

    // ---- writer thread ----

    private void run() {
        try {
            while (true) {
                Batch b = take();
                if (b == null) {
                    return;
                }
                write(b);
                lock.lock();
                try {
                    doneSeq = b.seq;
                    done.signalAll();
                } finally {
                    lock.unlock();
                }
            }
        } catch (Throwable t) {
            LOG.log(System.Logger.Level.ERROR, "store writer thread died; submitters will be told", t);
            lock.lock();
            try {
                died = t;
                notFull.signalAll();
                done.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }

    /** The next batch to write, or null when closing and nothing is left. */
    private Batch take() {
        lock.lock();
        try {
            while (true) {
                Batch b = queue.pollFirst();
                if (b != null) {
                    notFull.signalAll();
                    return b;
                }
                if (open != null) {
                    long waited = nanoClock.getAsLong() - openedAtNanos;
                    if (closing || waited >= lingerNanos) {
                        b = open;
                        open = null;
                        b.seq = ++sealedSeq;
                        notFull.signalAll(); // submitters waiting on a full open batch may go on
                        return b;
                    }
                    awaitUninterruptibly(lingerNanos - waited);
                } else if (closing) {
                    return null;
                } else {
                    awaitUninterruptibly(Long.MAX_VALUE);
                }
            }
        } finally {
            lock.unlock();
        }
    }

    private void awaitUninterruptibly(long nanos) {
        try {
            if (nanos == Long.MAX_VALUE) {
                work.await();
            } else {
                work.awaitNanos(nanos);
            }
        } catch (InterruptedException e) {
            // Nobody but this class should interrupt the writer thread; losing batches would be
            // worse than ignoring it.
        }
    }

    private void write(Batch b) {
        if (!b.events.isEmpty()) {
            List<TimelineEvent> events = Collections.unmodifiableList(b.events);
            StoreException failure = attempt(() -> store.append(events), "append of " + events.size() + " events");
            if (failure == null) {
                storedEvents.addAndGet(events.size());
            } else {
                failedEvents.addAndGet(events.size());
                if (failure instanceof Abandoned) {
                    abandonedEvents.addAndGet(events.size());
                    LOG.log(System.Logger.Level.WARNING, events.size()
                            + " events not written: close deadline passed (counted, reported to the listener)");
                } else {
                    failedPermanently.incrementAndGet();
                    LOG.log(System.Logger.Level.WARNING, "store refused a batch of " + events.size()
                            + " events for good (counted, reported to the listener): " + failure.getMessage(), failure);
                }
                try {
                    listener.failed(events, failure);
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.WARNING, "StoreWriter.Listener.failed threw", e);
                }
            }
        }
        for (ConversationState state : b.completed) {
            StoreException failure = attempt(() -> store.completed(state), "completed(" + state.conversationId() + ")");
            if (failure == null) {
                storedCompleted.incrementAndGet();
            } else {
                failedCompleted.incrementAndGet();
                if (failure instanceof Abandoned) {
                    abandonedCompleted.incrementAndGet();
                } else {
                    LOG.log(System.Logger.Level.WARNING, "store refused the completed state of conversation "
                            + state.conversationId() + " for good (counted, reported): " + failure.getMessage(), failure);
                }
                try {
                    listener.completedFailed(state, failure);
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.WARNING, "StoreWriter.Listener.completedFailed threw", e);
                }
            }
        }
    }

    /** Runs {@code call} until it succeeds (null) or fails for good (that failure). */
    private StoreException attempt(Runnable call, String what) {
        int attempt = 0;
        while (true) {
            if (abandoning) {
                return new Abandoned(null);
            }
            try {
                call.run();
                if (attempt > 0) {
                    LOG.log(System.Logger.Level.INFO, "store recovered: " + what + " succeeded after " + attempt + " retries");
                }
                return null;
            } catch (StoreException e) {
                if (abandoning) {
                    return new Abandoned(e); // most likely the interrupt that abandonAtDeadline() sent
                }
                if (!e.retryable()) {
                    return e;
                }
                attempt++;
                retries.incrementAndGet();
                Duration delay = delay(attempt, e);
                LOG.log(attempt == 1 ? System.Logger.Level.WARNING : System.Logger.Level.DEBUG,
                        () -> "store failed (" + e.getMessage() + "); retrying " + what + " in " + delay.toMillis() + " ms");
                try {
                    listener.retrying(attempt, delay, e);
                } catch (RuntimeException le) {
                    LOG.log(System.Logger.Level.WARNING, "StoreWriter.Listener.retrying threw", le);
                }
                try {
                    sleeper.sleep(delay);
                } catch (InterruptedException ie) {
                    // See awaitUninterruptibly: keep trying rather than lose the batch.
                }
            } catch (RuntimeException e) {
                if (abandoning) {
                    return new Abandoned(e);
                }
                return StoreException.permanent("store threw " + e.getClass().getName() + ": " + e.getMessage(), e);
            }
        }
    }

    /** The wait before retry {@code attempt} (1-based): the store's hint, else full jitter. */
    Duration delay(int attempt, StoreException e) {
        if (e.retryAfter().isPresent()) {
            long ms = e.retryAfter().get().toMillis();
            return Duration.ofMillis(Math.max(0, Math.min(ms, MAX_RETRY_AFTER_MILLIS)));
        }
        int doublings = Math.min(attempt - 1, 40);
        long ceiling = retryBaseMillis << Math.min(doublings, Long.numberOfLeadingZeros(retryBaseMillis) - 1);
        ceiling = Math.min(ceiling, retryCapMillis);
        return Duration.ofMillis(random.nextLong(ceiling + 1));
    }

    /** What {@link #close(Duration)}'s deadline left unwritten is reported with this. */
    private static final class Abandoned extends StoreException {
        private static final long serialVersionUID = 1L;

        Abandoned(Throwable cause) {
            super("not written: the close deadline passed while the store was failing", false, null, cause);
        }
    }

    /** Batch sizes count events and completed states alike. */
    private static final class Batch {
        final List<TimelineEvent> events;
        final List<ConversationState> completed = new ArrayList<>(0);
        long seq;

        Batch(int batchSize) {
            this.events = new ArrayList<>(Math.min(batchSize, 1024));
        }

        int size() {
            return events.size() + completed.size();
        }
    }

    /**
     * Options of a {@link StoreWriter}; {@link #build()} starts its thread.
     *
     * <pre>{@code StoreWriter w = StoreWriter.builder(store).batchSize(1_000).linger(Duration.ofMillis(200)).build();}</pre>
     */
    public static final class Builder {
        private final TimelineStore store;
        private int batchSize = 1_000;
        private Duration linger = Duration.ofMillis(200);
        private int maxPendingBatches = 4;
        private Duration retryBase = Duration.ofMillis(100);
        private Duration retryCap = Duration.ofSeconds(30);
        private Listener listener = new Listener() {
        };
        private Sleeper sleeper = d -> Thread.sleep(d.toMillis());
        private LongSupplier nanoClock = System::nanoTime;
        private RandomGenerator random = new SplittableRandom();
        private String threadName = "gctimeline-store-writer";
        private boolean daemon;

        private Builder(TimelineStore store) {
            this.store = Objects.requireNonNull(store, "store");
        }

        /** Items per batch (events plus completed states); default 1,000. */
        public Builder batchSize(int batchSize) {
            if (batchSize < 1) {
                throw new IllegalArgumentException("batchSize must be >= 1, got " + batchSize);
            }
            this.batchSize = batchSize;
            return this;
        }

        /** How long the first item of a batch may wait for the batch to fill; default 200 ms. */
        public Builder linger(Duration linger) {
            if (linger.isNegative()) {
                throw new IllegalArgumentException("linger must be >= 0, got " + linger);
            }
            this.linger = linger;
            return this;
        }

        /** Sealed batches that may wait for the store before submitters block; default 4. */
        public Builder maxPendingBatches(int maxPendingBatches) {
            if (maxPendingBatches < 1) {
                throw new IllegalArgumentException("maxPendingBatches must be >= 1, got " + maxPendingBatches);
            }
            this.maxPendingBatches = maxPendingBatches;
            return this;
        }

        /** Backoff base and cap for retries without a store hint; defaults 100 ms and 30 s. */
        public Builder retryBackoff(Duration base, Duration cap) {
            if (base.isNegative() || base.isZero() || cap.compareTo(base) < 0) {
                throw new IllegalArgumentException("retry backoff needs 0 < base <= cap, got " + base + ", " + cap);
            }
            this.retryBase = base;
            this.retryCap = cap;
            return this;
        }

        /** Hears permanent failures and retries; default none (they are still logged and counted). */
        public Builder listener(Listener listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /** How to wait between retries; default {@link Thread#sleep}. For tests. */
        public Builder sleeper(Sleeper sleeper) {
            this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
            return this;
        }

        /** The clock the linger is measured on (nanoseconds); default {@link System#nanoTime}. For tests. */
        public Builder nanoClock(LongSupplier nanoClock) {
            this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
            return this;
        }

        /** The jitter source; default a {@link SplittableRandom}. For tests. */
        public Builder random(RandomGenerator random) {
            this.random = Objects.requireNonNull(random, "random");
            return this;
        }

        /** The writer thread's name; default {@code gctimeline-store-writer}. */
        public Builder threadName(String threadName) {
            this.threadName = Objects.requireNonNull(threadName, "threadName");
            return this;
        }

        /**
         * Whether the writer thread is a daemon; default false, so a JVM cannot exit with accepted
         * events unwritten because someone forgot {@link StoreWriter#close()}.
         */
        public Builder daemon(boolean daemon) {
            this.daemon = daemon;
            return this;
        }

        /** A running writer. */
        public StoreWriter build() {
            StoreWriter w = new StoreWriter(this);
            w.thread.start();
            return w;
        }
    }
}
