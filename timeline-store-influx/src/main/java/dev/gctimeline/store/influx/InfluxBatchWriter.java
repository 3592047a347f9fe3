package dev.gctimeline.store.influx;

import dev.gctimeline.core.StoreException;
import dev.gctimeline.core.TimelineEvent;
import dev.gctimeline.core.TimelineStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A standalone batching writer in front of a {@link TimelineStore} (usually an
 * {@link InfluxTimelineStore}), for use without core's pipeline: callers hand over single events,
 * one background thread sends them in batches of {@code batchSize} or after {@code linger},
 * retrying retryable failures by its {@link RetryPolicy} (exponential backoff with full jitter,
 * honouring Retry-After).
 *
 * <p>Bounded and lossless: at most {@code capacity} events wait; when InfluxDB is down the batch
 * being retried holds the thread, the buffer fills and {@link #write} blocks, which is the
 * backpressure. An event is dropped only when the store refuses it for good (a permanent
 * StoreException: counted in {@link #eventsFailed()} and logged) or after {@code maxAttempts}, if
 * one was set. Retried batches are safe because the store's points are idempotent.
 *
 * <p>Threads: {@link #write}, {@link #flush} and {@link #close} may be called from any thread.
 *
 * <pre>{@code
 * try (InfluxBatchWriter w = InfluxBatchWriter.builder(store).linger(Duration.ofSeconds(1)).build()) {
 *     events.forEach(w::writeUnchecked);
 * } // close() flushes
 * }</pre>
 */
public final class InfluxBatchWriter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(InfluxBatchWriter.class);

    private static final long SLICE_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    private final TimelineStore store;
    private final int batchSize;
    private final Duration linger;
    private final RetryPolicy retry;
    private final ArrayBlockingQueue<TimelineEvent> queue;
    private final Thread thread;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition progress = lock.newCondition();
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong settled = new AtomicLong();
    private final AtomicLong retries = new AtomicLong();
    private final AtomicLong batches = new AtomicLong();
    private final AtomicLong written = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private volatile boolean closing;
    private volatile long flushTarget = -1;

    private InfluxBatchWriter(Builder b) {
        this.store = b.store;
        this.batchSize = b.batchSize;
        this.linger = b.linger;
        this.retry = b.retry;
        this.queue = new ArrayBlockingQueue<>(b.capacity);
        this.thread = new Thread(this::run, b.threadName);
        this.thread.setDaemon(true);
        this.thread.start();
    }

    public static Builder builder(TimelineStore store) {
        return new Builder(store);
    }

    /** Hands over one event; blocks while the buffer is full. */
    public void write(TimelineEvent event) throws InterruptedException {
        Objects.requireNonNull(event, "event");
        if (closing) {
            throw new IllegalStateException("the batch writer is closed");
        }
        queue.put(event);
        accepted.incrementAndGet();
    }

    /** {@link #write} for lambdas: an interrupt is kept on the thread and surfaces as IllegalStateException. */
    public void writeUnchecked(TimelineEvent event) {
        try {
            write(event);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for room in the batch writer", e);
        }
    }

    public void writeAll(Collection<TimelineEvent> events) throws InterruptedException {
        for (TimelineEvent e : events) {
            write(e);
        }
    }

    /**
     * Waits until every event handed over before this call is stored or failed for good, without
     * waiting for the linger; false if {@code timeout} passed first.
     */
    public boolean flush(Duration timeout) throws InterruptedException {
        long target = accepted.get();
        long deadline = System.nanoTime() + timeout.toNanos();
        lock.lock();
        try {
            while (settled.get() < target) {
                if (flushTarget < target) {
                    flushTarget = target;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                progress.awaitNanos(Math.min(left, TimeUnit.MILLISECONDS.toNanos(50)));
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Stops accepting events, writes every accepted one (retrying as needed), and stops the thread. */
    @Override
    public void close() {
        closing = true;
        boolean interrupted = false;
        // never interrupt the writer thread: an interrupt inside an HTTP call would abort a write
        while (thread.isAlive()) {
            try {
                thread.join(100);
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** Retries of a batch after a retryable failure. */
    public long retries() {
        return retries.get();
    }

    /** Batches the store accepted. */
    public long batchesWritten() {
        return batches.get();
    }

    /** Events in accepted batches. */
    public long eventsWritten() {
        return written.get();
    }

    /** Events in batches the store refused for good (or that ran out of attempts). */
    public long eventsFailed() {
        return failed.get();
    }

    /** Events handed over and not yet settled. */
    public long pending() {
        return accepted.get() - settled.get();
    }

    private void run() {
        List<TimelineEvent> batch = new ArrayList<>(batchSize);
        while (true) {
            batch.clear();
            TimelineEvent first = queue.poll();
            if (first == null) {
                if (closing) {
                    return;
                }
                try {
                    first = queue.poll(10, TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    continue;
                }
                if (first == null) {
                    continue;
                }
            }
            batch.add(first);
            fill(batch);
            send(batch);
            settled.addAndGet(batch.size());
            lock.lock();
            try {
                progress.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }

    /** Fills the batch up to batchSize, waiting at most the linger unless a flush or close wants it now. */
    private void fill(List<TimelineEvent> batch) {
        long deadline = System.nanoTime() + linger.toNanos();
        while (batch.size() < batchSize) {
            queue.drainTo(batch, batchSize - batch.size());
            if (batch.size() >= batchSize || closing || flushTarget > settled.get()) {
                return;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return;
            }
            try {
                // short slices, so a flush or close is noticed within 10 ms without interrupting
                TimelineEvent e = queue.poll(Math.min(left, SLICE_NANOS), TimeUnit.NANOSECONDS);
                if (e != null) {
                    batch.add(e);
                }
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void send(List<TimelineEvent> batch) {
        int attempt = 0;
        while (true) {
            try {
                store.append(batch);
                batches.incrementAndGet();
                written.addAndGet(batch.size());
                return;
            } catch (StoreException e) {
                if (!e.retryable()) {
                    fail(batch, e);
                    return;
                }
                attempt++;
                if (retry.maxAttempts() > 0 && attempt >= retry.maxAttempts()) {
                    fail(batch, e);
                    return;
                }
                retries.incrementAndGet();
                Duration wait = retry.delay(attempt, e.retryAfter());
                LOG.debug("influx batch writer: retry {} of a batch of {} in {} ms: {}", attempt, batch.size(),
                        wait.toMillis(), e.getMessage());
                sleep(wait);
            } catch (RuntimeException e) {
                fail(batch, e);
                return;
            }
        }
    }

    private void fail(List<TimelineEvent> batch, RuntimeException e) {
        failed.addAndGet(batch.size());
        LOG.error("influx batch writer: {} events not stored: {}", batch.size(), e.getMessage());
    }

    /** Sleeps the full backoff; a stray interrupt must not shorten it. */
    private static void sleep(Duration d) {
        long end = System.nanoTime() + d.toNanos();
        boolean interrupted = false;
        long left;
        while ((left = end - System.nanoTime()) > 0) {
            try {
                TimeUnit.NANOSECONDS.sleep(left);
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.interrupted();
        }
    }

    /** Builds an {@link InfluxBatchWriter}. */
    public static final class Builder {
        private final TimelineStore store;
        private int batchSize = InfluxConfig.DEFAULT_BATCH_SIZE;
        private Duration linger = Duration.ofSeconds(1);
        private int capacity = 100_000;
        private RetryPolicy retry = RetryPolicy.defaults();
        private String threadName = "influx-batch-writer";

        private Builder(TimelineStore store) {
            this.store = Objects.requireNonNull(store, "store");
        }

        /** Events per {@code append} call (default 5,000). */
        public Builder batchSize(int batchSize) {
            if (batchSize < 1) {
                throw new IllegalArgumentException("batchSize must be >= 1");
            }
            this.batchSize = batchSize;
            return this;
        }

        /** Longest wait for a batch to fill (default 1 s). */
        public Builder linger(Duration linger) {
            if (linger.isNegative()) {
                throw new IllegalArgumentException("linger must be >= 0");
            }
            this.linger = linger;
            return this;
        }

        /** Events that may wait before {@link #write} blocks (default 100,000). */
        public Builder capacity(int capacity) {
            if (capacity < 1) {
                throw new IllegalArgumentException("capacity must be >= 1");
            }
            this.capacity = capacity;
            return this;
        }

        public Builder retry(RetryPolicy retry) {
            this.retry = Objects.requireNonNull(retry, "retry");
            return this;
        }

        public Builder threadName(String threadName) {
            this.threadName = Objects.requireNonNull(threadName, "threadName");
            return this;
        }

        public InfluxBatchWriter build() {
            return new InfluxBatchWriter(this);
        }
    }
}
