package dev.gctimeline.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code close(timeout)} on a store that stays down: it returns, and every accepted event is
 * either stored or handed to the store listener as abandoned; none is lost, none both. The class
 * timeout only turns a close that never returns into a failure; nothing here asserts speed.
 */
@Timeout(120)
class CloseTimeoutTest {
    private static final long T0 = 1_732_240_000_000L;

    private static TimelineEvent event(String conversationId, int i) {
        return TimelineEvent.builder(conversationId, EventKind.OTHER, T0 + i).sourceType("test")
                .attribute("n", Integer.toString(i)).build();
    }

    /** Collects everything a writer reports as failed. */
    private static final class Failures implements StoreWriter.Listener {
        final List<TimelineEvent> events = new CopyOnWriteArrayList<>();
        final List<ConversationState> states = new CopyOnWriteArrayList<>();
        final List<StoreException> errors = new CopyOnWriteArrayList<>();

        @Override
        public void failed(List<TimelineEvent> failed, StoreException error) {
            events.addAll(failed);
            errors.add(error);
        }

        @Override
        public void completedFailed(ConversationState state, StoreException error) {
            states.add(state);
            errors.add(error);
        }
    }

    @Test
    void aWriterWhoseStoreStaysDownGivesUpAtTheDeadlineAndReportsEveryEvent() throws Exception {
        RecordingStore store = new RecordingStore();
        store.beforeCall = what -> {
            throw RecordingStore.retryable("503 unavailable");
        };
        Failures failures = new Failures();
        StoreWriter writer = StoreWriter.builder(store).batchSize(100).maxPendingBatches(100)
                .linger(Duration.ofMillis(1)).retryBackoff(Duration.ofMillis(1), Duration.ofMillis(10))
                .listener(failures).build();
        List<TimelineEvent> sent = new ArrayList<>();
        for (int i = 0; i < 2_500; i++) {
            TimelineEvent e = event("c" + (i % 7), i);
            sent.add(e);
            writer.submit(e);
        }
        assertFalse(writer.close(Duration.ofMillis(300)), "the store never came back: something was abandoned");

        assertEquals(2_500, writer.abandonedEvents());
        assertEquals(2_500, writer.failedEvents());
        assertEquals(0, writer.failedPermanently(), "the store itself refused nothing for good");
        assertEquals(0, writer.storedEvents());
        assertEquals(ids(sent), ids(failures.events), "every accepted event reported once, none twice");
        assertEquals(failures.events.size(), ids(failures.events).size());
        for (StoreException e : failures.errors) {
            assertFalse(e.retryable());
            assertTrue(e.getMessage().contains("close deadline"), e.getMessage());
        }
        int attemptsAtClose = store.attempts.get();
        Thread.sleep(100);
        assertEquals(attemptsAtClose, store.attempts.get(), "no store call after close returned");
        assertFalse(writer.close(Duration.ofSeconds(1)), "a second close gives the same answer");
    }

    @Test
    void aWriterWhoseStoreRecoversInTimeStoresEverythingAndSaysSo() throws Exception {
        RecordingStore store = new RecordingStore();
        AtomicInteger calls = new AtomicInteger();
        store.beforeCall = what -> {
            if (calls.incrementAndGet() <= 5) {
                throw RecordingStore.retryable("503 unavailable");
            }
        };
        Failures failures = new Failures();
        StoreWriter writer = StoreWriter.builder(store).batchSize(50).linger(Duration.ofMillis(1))
                .retryBackoff(Duration.ofMillis(1), Duration.ofMillis(5)).listener(failures).build();
        List<TimelineEvent> sent = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            TimelineEvent e = event("c" + (i % 3), i);
            sent.add(e);
            writer.submit(e);
        }
        assertTrue(writer.close(Duration.ofSeconds(60)));
        assertEquals(0, writer.abandonedEvents());
        assertTrue(failures.events.isEmpty());
        assertEquals(ids(sent), new HashSet<>(store.appendedIds()));
    }

    @Test
    void aStoreCallThatHangsIsInterruptedAtTheDeadline() throws Exception {
        RecordingStore store = new RecordingStore();
        AtomicBoolean interrupted = new AtomicBoolean();
        store.beforeCall = what -> {
            try {
                Thread.sleep(Long.MAX_VALUE); // a store stuck in its call, as on a dead TCP peer
            } catch (InterruptedException e) {
                interrupted.set(true);
                throw RecordingStore.retryable("interrupted");
            }
        };
        Failures failures = new Failures();
        StoreWriter writer = StoreWriter.builder(store).batchSize(10).linger(Duration.ZERO).listener(failures).build();
        for (int i = 0; i < 35; i++) {
            writer.submit(event("c", i));
        }
        assertFalse(writer.close(Duration.ofMillis(200)));
        assertTrue(interrupted.get(), "the hanging call was interrupted, not waited for");
        assertEquals(35, writer.abandonedEvents());
        assertEquals(35, ids(failures.events).size());
    }

    @Test
    void aPipelineClosedWithADeadlineAccountsForEveryAcceptedEvent() throws Exception {
        // Many rounds, each with producers racing close: every accepted event ends stored or
        // abandoned, exactly one of the two.
        int roundsThatAbandoned = 0;
        for (int round = 0; round < 30; round++) {
            RecordingStore store = new RecordingStore();
            AtomicInteger calls = new AtomicInteger();
            int healthyCalls = round % 5; // the store works for a few batches, then is down for good
            store.beforeCall = what -> {
                if (calls.incrementAndGet() > healthyCalls) {
                    throw RecordingStore.retryable("503 unavailable");
                }
            };
            Failures failures = new Failures();
            TimelinePipeline pipeline = TimelinePipeline.builder().store(store).shards(2).ringCapacity(64)
                    .batchSize(32).maxPendingBatches(2).linger(Duration.ofMillis(1))
                    .retryBackoff(Duration.ofMillis(1), Duration.ofMillis(5))
                    .gracePeriod(Duration.ZERO).storeListener(failures).build();
            pipeline.start();
            Set<Long> accepted = ConcurrentHashMap.newKeySet();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            List<Thread> producers = new ArrayList<>();
            for (int p = 0; p < 4; p++) {
                final int producer = p;
                Thread t = new Thread(() -> {
                    try {
                        for (int i = 0; i < 2_000; i++) {
                            TimelineEvent e = event("r-p" + producer + "-c" + (i % 11), i);
                            while (!pipeline.offer(e)) {
                                if (pipeline.isClosed()) {
                                    return; // refused for good: not accepted, not counted
                                }
                                Thread.onSpinWait();
                            }
                            accepted.add(e.eventId());
                        }
                    } catch (Throwable e) {
                        failure.compareAndSet(null, e);
                    }
                });
                producers.add(t);
                t.start();
            }
            Thread.sleep(20);
            boolean clean = pipeline.close(Duration.ofMillis(100));
            for (Thread t : producers) {
                t.join();
            }
            assertNull(failure.get());
            PipelineMetrics m = pipeline.metrics();

            Set<Long> stored = new HashSet<>(store.appendedIds());
            Set<Long> abandoned = ids(failures.events);
            assertEquals(store.appendedIds().size(), stored.size(), "round " + round + ": stored once each");
            assertEquals(failures.events.size(), abandoned.size(), "round " + round + ": reported once each");
            Set<Long> both = new HashSet<>(stored);
            both.retainAll(abandoned);
            assertTrue(both.isEmpty(), "round " + round + ": " + both.size() + " events both stored and abandoned");
            Set<Long> union = new HashSet<>(stored);
            union.addAll(abandoned);
            assertEquals(accepted, union, "round " + round + ": every accepted event stored or abandoned");
            assertEquals(abandoned.size(), m.storeAbandonedEvents());
            assertEquals(stored.size(), m.stored());
            assertEquals(abandoned.isEmpty(), clean, "round " + round + ": close's answer matches what happened");
            assertTrue(pipeline.isClosed());
            roundsThatAbandoned += clean ? 0 : 1;
        }
        assertTrue(roundsThatAbandoned > 0, "the store stays down, so some round must have had to give up");
    }

    private static Set<Long> ids(List<TimelineEvent> events) {
        Set<Long> ids = new HashSet<>();
        for (TimelineEvent e : events) {
            ids.add(e.eventId());
        }
        return ids;
    }
}
