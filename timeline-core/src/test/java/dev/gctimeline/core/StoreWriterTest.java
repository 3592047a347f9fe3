package dev.gctimeline.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The timeout only turns a hang into a failure; nothing here asserts speed. */
@Timeout(120)
class StoreWriterTest {
    private static final Duration LONG = Duration.ofHours(1);

    static TimelineEvent event(String conversationId, long n) {
        return TimelineEvent.builder(conversationId, EventKind.OTHER, 1_000_000 + n).eventId(n * 31 + conversationId.hashCode())
                .sourceType("test").build();
    }

    static ConversationState state(String conversationId) {
        return new ConversationState(conversationId, "ended", 0, 10, List.of(), List.of(), List.of(), Map.of(),
                List.of(), 1, 10);
    }

    static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for: " + what);
            }
            Thread.sleep(2);
        }
    }

    @Test
    void sealsBatchesBySize() throws Exception {
        RecordingStore store = new RecordingStore();
        try (StoreWriter w = StoreWriter.builder(store).batchSize(10).linger(LONG).build()) {
            for (int i = 0; i < 35; i++) {
                w.submit(event("c", i));
            }
            await("three full batches", () -> store.appended.size() == 3);
            assertEquals(List.of(10, 10, 10), store.appended.stream().map(List::size).toList());
            w.flush();
            assertEquals(5, store.appended.get(3).size());
            assertEquals(35, w.storedEvents());
        }
    }

    @Test
    void sealsAPartialBatchAfterTheLinger() throws Exception {
        RecordingStore store = new RecordingStore();
        try (StoreWriter w = StoreWriter.builder(store).batchSize(1000).linger(Duration.ofMillis(20)).build()) {
            w.submit(List.of(event("c", 1), event("c", 2), event("c", 3)));
            await("the lingering batch", () -> store.appended.size() == 1);
            assertEquals(3, store.appended.get(0).size());
        }
    }

    @Test
    void lingerIsMeasuredOnTheInjectedClock() throws Exception {
        RecordingStore store = new RecordingStore();
        java.util.concurrent.atomic.AtomicLong now = new java.util.concurrent.atomic.AtomicLong();
        try (StoreWriter w = StoreWriter.builder(store).batchSize(1000).linger(Duration.ofMillis(5))
                .nanoClock(now::get).build()) {
            w.submit(event("c", 1));
            Thread.sleep(50); // real time passes, the injected clock does not: nothing may be written
            assertEquals(0, store.appended.size());
            now.addAndGet(TimeUnit.MILLISECONDS.toNanos(5));
            await("batch sealed once the injected clock passed the linger", () -> store.appended.size() == 1);
        }
    }

    @Test
    void submitBlocksWhilePendingBatchesAreFullAndCountsTheStall() throws Exception {
        RecordingStore store = new RecordingStore();
        CountDownLatch release = new CountDownLatch(1);
        store.beforeCall = what -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        };
        StoreWriter w = StoreWriter.builder(store).batchSize(1).maxPendingBatches(2).linger(LONG).build();
        w.submit(event("c", 1)); // taken by the writer thread, which blocks in the store
        await("writer busy", () -> store.attempts.get() == 1);
        w.submit(event("c", 2));
        w.submit(event("c", 3)); // two batches pending: the queue is full
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread submitter = new Thread(() -> {
            try {
                w.submit(event("c", 4));
            } catch (Throwable e) {
                failure.set(e);
            }
        });
        submitter.start();
        await("submitter blocked", () -> submitter.getState() == Thread.State.WAITING && w.stalls() == 1);
        assertEquals(0, store.appended.size());
        release.countDown();
        submitter.join();
        w.close();
        assertEquals(null, failure.get());
        assertEquals(4, store.memory.timeline("c").size());
        assertEquals(4, w.storedEvents());
        assertEquals(1, w.stalls());
    }

    @Test
    void retriesRetryableFailuresWithFullJitterBackoffAndHonoursRetryAfter() throws Exception {
        RecordingStore store = new RecordingStore();
        AtomicInteger failures = new AtomicInteger();
        store.beforeCall = what -> {
            int n = failures.incrementAndGet();
            if (n <= 5) {
                throw RecordingStore.retryable("503 from test store");
            }
            if (n == 6) {
                throw RecordingStore.retryable("429 from test store", Duration.ofMillis(1234));
            }
        };
        List<Duration> slept = new CopyOnWriteArrayList<>();
        List<Integer> attempts = new CopyOnWriteArrayList<>();
        try (StoreWriter w = StoreWriter.builder(store).batchSize(100).linger(LONG)
                .retryBackoff(Duration.ofMillis(100), Duration.ofMillis(1000))
                .sleeper(slept::add)
                .listener(new StoreWriter.Listener() {
                    @Override
                    public void retrying(int attempt, Duration delay, StoreException error) {
                        attempts.add(attempt);
                    }
                })
                .random(new SplittableRandom(3)).build()) {
            w.submit(event("c", 1));
            w.flush();
            assertEquals(6, w.retries());
            assertEquals(List.of(1, 2, 3, 4, 5, 6), attempts);
            assertEquals(6, slept.size());
            long[] ceilings = {100, 200, 400, 800, 1000};
            for (int i = 0; i < 5; i++) {
                long ms = slept.get(i).toMillis();
                assertTrue(ms >= 0 && ms <= ceilings[i], "retry " + (i + 1) + " slept " + ms);
            }
            assertEquals(Duration.ofMillis(1234), slept.get(5), "the store's Retry-After wins");
            assertEquals(List.of("append:1"), store.calls);
            assertEquals(1, w.storedEvents());
            assertEquals(0, w.failedPermanently());
        }
    }

    @Test
    void backoffCeilingDoublesUpToTheCapAndJitterCoversTheRange() {
        RecordingStore store = new RecordingStore();
        try (StoreWriter w = StoreWriter.builder(store).retryBackoff(Duration.ofMillis(100), Duration.ofSeconds(30))
                .random(new SplittableRandom(5)).build()) {
            StoreException e = RecordingStore.retryable("x");
            for (int attempt = 1; attempt <= 64; attempt++) {
                long ceiling = Math.min(30_000, 100L << Math.min(attempt - 1, 20));
                long min = Long.MAX_VALUE;
                long max = 0;
                for (int i = 0; i < 2000; i++) {
                    long ms = w.delay(attempt, e).toMillis();
                    assertTrue(ms >= 0 && ms <= ceiling, "attempt " + attempt + ": " + ms + " > " + ceiling);
                    min = Math.min(min, ms);
                    max = Math.max(max, ms);
                }
                assertTrue(min < ceiling / 10 + 1, "full jitter reaches near 0, attempt " + attempt);
                assertTrue(max > ceiling * 9 / 10, "full jitter reaches near the ceiling, attempt " + attempt);
            }
            assertEquals(Duration.ofMinutes(5), w.delay(1, RecordingStore.retryable("x", Duration.ofDays(3))),
                    "a store's retry hint is bounded");
        }
    }

    @Test
    void permanentFailuresAreCountedReportedAndTheWriterGoesOn() throws Exception {
        RecordingStore store = new RecordingStore();
        AtomicInteger calls = new AtomicInteger();
        store.beforeCall = what -> {
            int n = calls.incrementAndGet();
            if (n == 1) {
                throw StoreException.permanent("400 bad point", null);
            }
            if (n == 2) {
                throw new IllegalStateException("bug in a store");
            }
        };
        List<List<TimelineEvent>> reported = new CopyOnWriteArrayList<>();
        List<StoreException> errors = new CopyOnWriteArrayList<>();
        try (StoreWriter w = StoreWriter.builder(store).batchSize(2).linger(LONG)
                .listener(new StoreWriter.Listener() {
                    @Override
                    public void failed(List<TimelineEvent> events, StoreException error) {
                        reported.add(events);
                        errors.add(error);
                    }
                }).build()) {
            for (int i = 0; i < 6; i++) {
                w.submit(event("c", i));
            }
            w.flush();
            assertEquals(2, w.failedPermanently());
            assertEquals(4, w.failedEvents());
            assertEquals(2, w.storedEvents());
            assertEquals(0, w.retries());
            assertEquals(List.of(List.of(event("c", 0), event("c", 1)), List.of(event("c", 2), event("c", 3))), reported);
            assertEquals("400 bad point", errors.get(0).getMessage());
            assertTrue(errors.get(1).getCause() instanceof IllegalStateException);
            assertEquals(List.of(event("c", 4), event("c", 5)), store.memory.timeline("c").events());
        }
    }

    @Test
    void completedStatesFollowTheirEventsAndGetTheSameRetryPolicy() throws Exception {
        RecordingStore store = new RecordingStore();
        AtomicInteger completedCalls = new AtomicInteger();
        store.beforeCall = what -> {
            if (what.equals("completed") && completedCalls.incrementAndGet() <= 2) {
                throw RecordingStore.retryable("busy");
            }
        };
        List<ConversationState> refused = new CopyOnWriteArrayList<>();
        try (StoreWriter w = StoreWriter.builder(store).batchSize(1000).linger(LONG).sleeper(d -> { })
                .build()) {
            w.submit(event("c1", 1));
            w.submit(event("c1", 2));
            w.completed(state("c1"));
            w.flush();
            assertEquals(List.of("append:2", "completed:c1"), store.calls);
            assertEquals(2, w.retries());
            assertEquals(1, w.storedCompleted());
            assertNotNull(store.memory.completedState("c1"));
        }
        store.beforeCall = what -> {
            throw StoreException.permanent("no", null);
        };
        try (StoreWriter w = StoreWriter.builder(store).linger(LONG).listener(new StoreWriter.Listener() {
            @Override
            public void completedFailed(ConversationState state, StoreException error) {
                refused.add(state);
            }
        }).build()) {
            w.completed(state("c2"));
            w.flush();
            assertEquals(1, w.failedCompleted());
            assertEquals(List.of(state("c2")), refused);
        }
    }

    @Test
    void closeWritesEverythingAcceptedAndRefusesMore() throws Exception {
        RecordingStore store = new RecordingStore();
        StoreWriter w = StoreWriter.builder(store).batchSize(1000).linger(LONG).build();
        for (int i = 0; i < 10; i++) {
            w.submit(event("c", i));
        }
        w.completed(state("c"));
        w.close();
        w.close();
        assertEquals(10, store.memory.timeline("c").size());
        assertEquals(List.of("append:10", "completed:c"), store.calls);
        assertThrows(IllegalStateException.class, () -> w.submit(event("c", 99)));
        assertThrows(IllegalStateException.class, () -> w.completed(state("c")));
    }

    @Test
    void anInterruptedSubmitLosesNothingAcceptedBefore() throws Exception {
        RecordingStore store = new RecordingStore();
        CountDownLatch release = new CountDownLatch(1);
        store.beforeCall = what -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        };
        StoreWriter w = StoreWriter.builder(store).batchSize(2).maxPendingBatches(1).linger(LONG).build();
        w.submit(List.of(event("c", 1), event("c", 2))); // writer takes it and blocks
        await("writer busy", () -> store.attempts.get() == 1);
        w.submit(List.of(event("c", 3), event("c", 4))); // queued: queue full
        w.submit(event("c", 5)); // open batch of 1; one more would need queue room
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread submitter = new Thread(() -> {
            try {
                w.submit(event("c", 6));
            } catch (Throwable e) {
                thrown.set(e);
            }
        });
        submitter.start();
        await("submitter blocked", () -> submitter.getState() == Thread.State.WAITING);
        submitter.interrupt();
        submitter.join();
        assertTrue(thrown.get() instanceof InterruptedException, String.valueOf(thrown.get()));
        release.countDown();
        w.close();
        Set<Long> stored = new HashSet<>(store.appendedIds());
        for (int i = 1; i <= 5; i++) {
            assertTrue(stored.contains(event("c", i).eventId()), "event " + i);
        }
        assertEquals(5, store.appendedIds().size(), "event 6 was refused with the interrupt");
    }

    @Test
    void manySubmittersAgainstASlowFlakyStoreStoreEveryEventExactlyOnce() throws Exception {
        RecordingStore store = new RecordingStore();
        AtomicInteger n = new AtomicInteger();
        AtomicReference<StoreWriter> writer = new AtomicReference<>();
        store.beforeCall = what -> {
            int k = n.incrementAndGet();
            if (k == 1) {
                // The first call holds the store until a submitter has stalled, so "submitters
                // outpaced the store" below does not depend on how the scheduler shares the cores.
                RecordingStore.holdUntil(() -> writer.get() != null && writer.get().stalls() > 0);
            }
            RecordingStore.sleep(1);
            if (k % 7 == 0) {
                throw RecordingStore.retryable("flaky");
            }
        };
        StoreWriter w = StoreWriter.builder(store).batchSize(50).maxPendingBatches(2).linger(Duration.ofMillis(5))
                .sleeper(d -> { }).build();
        writer.set(w);
        int threads = 6;
        int each = 5_000;
        List<Thread> ts = new ArrayList<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        for (int t = 0; t < threads; t++) {
            String conv = "c" + t;
            Thread th = new Thread(() -> {
                try {
                    for (int i = 0; i < each; i++) {
                        w.submit(event(conv, i));
                    }
                } catch (Throwable e) {
                    failure.set(e);
                }
            });
            ts.add(th);
            th.start();
        }
        for (Thread th : ts) {
            th.join();
        }
        w.close();
        assertEquals(null, failure.get());
        List<Long> ids = store.appendedIds();
        assertEquals(threads * each, ids.size(), "each event appended successfully exactly once");
        assertEquals(threads * each, new HashSet<>(ids).size());
        assertTrue(w.retries() > 0);
        assertTrue(w.stalls() > 0, "submitters outpaced the store");
        assertEquals(threads * each, w.storedEvents());
    }

    @Test
    void validatesOptions() {
        RecordingStore store = new RecordingStore();
        assertThrows(IllegalArgumentException.class, () -> StoreWriter.builder(store).batchSize(0));
        assertThrows(IllegalArgumentException.class, () -> StoreWriter.builder(store).maxPendingBatches(0));
        assertThrows(IllegalArgumentException.class, () -> StoreWriter.builder(store).linger(Duration.ofMillis(-1)));
        assertThrows(IllegalArgumentException.class,
                () -> StoreWriter.builder(store).retryBackoff(Duration.ofSeconds(2), Duration.ofSeconds(1)));
        assertThrows(NullPointerException.class, () -> StoreWriter.builder(null));
    }
}
