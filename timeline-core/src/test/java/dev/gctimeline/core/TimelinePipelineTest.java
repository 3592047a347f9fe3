package dev.gctimeline.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.AbstractQueuedSynchronizer;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The timeout only turns a hang into a failure; nothing here asserts speed. */
@Timeout(120)
class TimelinePipelineTest {
    private static final long T0 = 1_732_240_000_000L;

    /** Event {@code i} of a conversation: starts with CONVERSATION_STARTED, ends with CONVERSATION_ENDED. */
    static TimelineEvent event(String conversationId, int i, int last) {
        EventKind kind = i == 0 ? EventKind.CONVERSATION_STARTED : i == last ? EventKind.CONVERSATION_ENDED : EventKind.OTHER;
        TimelineEvent.Builder b = TimelineEvent.builder(conversationId, kind, T0 + i * 10L).sourceType("test")
                .attribute("n", Integer.toString(i));
        if (i % 3 == 0) {
            b.sequence(1_000 + i);
        }
        return b.build();
    }

    @Test
    void slowThenFailingThenRecoveringStoreLosesNothingAndPushesBack() throws Exception {
        RecordingStore store = new RecordingStore();
        AtomicInteger calls = new AtomicInteger();
        AtomicLong refusedOffers = new AtomicLong();
        store.beforeCall = what -> {
            int n = calls.incrementAndGet();
            if (n == 1) {
                // The first call holds the store until a producer has seen offer() == false, so the
                // push-back asserted below does not depend on how the scheduler shares the cores.
                RecordingStore.holdUntil(() -> refusedOffers.get() > 0);
            }
            if (n <= 30) {
                RecordingStore.sleep(5); // slow
            } else if (n <= 60) {
                throw n == 45 ? RecordingStore.retryable("429 slow down", Duration.ofMillis(50))
                        : RecordingStore.retryable("503 unavailable");
            }
        };
        List<Duration> retryWaits = new CopyOnWriteArrayList<>();
        TimelinePipeline pipeline = TimelinePipeline.builder().store(store).shards(2).ringCapacity(256)
                .batchSize(64).maxPendingBatches(2).linger(Duration.ofMillis(5))
                .retryBackoff(Duration.ofMillis(1), Duration.ofMillis(20))
                .storeListener(new StoreWriter.Listener() {
                    @Override
                    public void retrying(int attempt, Duration delay, StoreException error) {
                        retryWaits.add(delay);
                    }
                })
                .gracePeriod(Duration.ZERO).build();
        pipeline.start();

        final int producers = 8;
        final int conversationsEach = 600;
        final int eventsPerConversation = 20;
        Set<Long> accepted = ConcurrentHashMap.newKeySet();
        AtomicLong acceptedOffers = new AtomicLong();
        AtomicLong acceptedDuplicates = new AtomicLong();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> threads = new ArrayList<>();
        for (int p = 0; p < producers; p++) {
            final int producer = p;
            final boolean usePublish = p % 2 == 1;
            Thread t = new Thread(() -> {
                try {
                    for (int c = 0; c < conversationsEach; c++) {
                        String conversationId = "p" + producer + "-c" + c;
                        for (int i = 0; i < eventsPerConversation; i++) {
                            TimelineEvent e = event(conversationId, i, eventsPerConversation - 1);
                            int copies = i == 7 ? 2 : 1; // one repeat per conversation, for the deduplicator
                            for (int k = 0; k < copies; k++) {
                                if (usePublish) {
                                    pipeline.publish(e);
                                } else {
                                    while (!pipeline.offer(e)) {
                                        refusedOffers.incrementAndGet();
                                        Thread.yield(); // paused, not dropped: try again
                                    }
                                }
                                acceptedOffers.incrementAndGet();
                                if (!accepted.add(e.eventId())) {
                                    acceptedDuplicates.incrementAndGet();
                                }
                            }
                        }
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            }, "producer-" + p);
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) {
            t.join();
        }
        pipeline.close();
        assertNull(failure.get());

        List<Long> appended = store.appendedIds();
        Set<Long> missing = new HashSet<>(accepted);
        missing.removeAll(appended);
        assertTrue(missing.isEmpty(), missing.size() + " accepted events never stored");
        Set<Long> unexpected = new HashSet<>(appended);
        unexpected.removeAll(accepted);
        assertTrue(unexpected.isEmpty(), unexpected.size() + " stored events never accepted");
        assertEquals(accepted.size(), appended.size(), "each stored by exactly one successful append");
        int conversations = producers * conversationsEach;
        assertEquals(conversations * eventsPerConversation, accepted.size());

        PipelineMetrics m = pipeline.metrics();
        assertEquals(acceptedOffers.get(), m.received());
        assertEquals(acceptedDuplicates.get(), m.duplicates());
        assertEquals(accepted.size(), m.stored());
        assertTrue(refusedOffers.get() > 0, "producers saw offer() == false");
        assertTrue(m.backpressurePauses() >= refusedOffers.get(), m.toString());
        assertTrue(m.storeRetries() >= 30, m.toString());
        assertTrue(retryWaits.contains(Duration.ofMillis(50)), "Retry-After honoured: " + retryWaits);
        assertEquals(0, m.storeFailures());
        assertEquals(0, m.queued());
        assertEquals(0, m.liveConversations());
        assertEquals(conversations, m.completed() + m.evicted());
        assertEquals(0, m.errors());

        // Every stored event carries its Lamport stamp, above the source sequence when there was one.
        for (List<TimelineEvent> batch : store.appended) {
            for (TimelineEvent e : batch) {
                assertTrue(e.lamport() > 0 && (e.sequence() < 0 || e.lamport() > e.sequence()), e.toString());
            }
        }
        // A completed state never reaches the store before one of its conversation's events.
        Map<String, Integer> eventsSeen = new HashMap<>();
        for (Object op : store.ops) {
            if (op instanceof ConversationState) {
                ConversationState s = (ConversationState) op;
                assertEquals(eventsPerConversation, eventsSeen.getOrDefault(s.conversationId(), 0), s.conversationId());
            } else {
                for (Object o : (List<?>) op) {
                    eventsSeen.merge(((TimelineEvent) o).conversationId(), 1, Integer::sum);
                }
            }
        }
        store.memory.timeline("p0-c0"); // the pipeline did not close the store
    }

    @Test
    void whenWritableFiresOnTheConsumerThreadAfterAFullRingDrains() throws Exception {
        RecordingStore store = new RecordingStore();
        CountDownLatch gate = new CountDownLatch(1);
        store.beforeCall = what -> {
            try {
                gate.await();
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        };
        // A long linger: batches are sealed full only, so the writer holds a known number of events.
        TimelinePipeline pipeline = TimelinePipeline.builder().store(store).ringCapacity(64).batchSize(8)
                .maxPendingBatches(1).linger(Duration.ofHours(1)).lowWaterMark(0.5).build();
        pipeline.start();
        int[] next = {0};
        fillUntilStalled(pipeline, next);
        AtomicInteger fired = new AtomicInteger();
        AtomicReference<String> firedOn = new AtomicReference<>();
        CountDownLatch ran = new CountDownLatch(1);
        pipeline.whenWritable(() -> {
            fired.incrementAndGet();
            firedOn.set(Thread.currentThread().getName());
            ran.countDown();
        });
        assertEquals(0, fired.get(), "ring full and consumer stalled: not writable");
        assertEquals(64, pipeline.metrics().queued());
        gate.countDown();
        assertTrue(ran.await(30, TimeUnit.SECONDS));
        assertTrue(firedOn.get().startsWith("gctimeline-shard-"), firedOn.get());
        assertTrue(pipeline.metrics().writerStalls() > 0);

        pipeline.close();
        assertEquals(1, fired.get(), "ran once");
        assertEquals(next[0], store.appendedIds().size());
    }

    /**
     * Offers while the store is blocked until the consumer can never drain the ring again and the
     * ring is full. A stall count and a full ring at one instant do not prove that: the consumer may
     * be between a stall and its next drain. It is proved by three checks in this order: an offer
     * was refused (ring full), then the consumer is parked on the writer's condition (so it is
     * inside a submit, not draining), then the ring is still full and more events were accepted
     * than the writer can hold: one full batch in the blocked store call, one queued and 7 in the
     * open batch. So the consumer still holds an event it cannot hand over until the store moves.
     */
    private static void fillUntilStalled(TimelinePipeline pipeline, int[] next) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("never stalled: " + pipeline.metrics() + ", offered " + next[0]);
            }
            if (pipeline.offer(event("c-" + next[0] / 10, next[0] % 10, 99))) {
                next[0]++;
                continue;
            }
            boolean parked = consumerParkedOnACondition();
            PipelineMetrics m = pipeline.metrics();
            if (parked && m.writerStalls() > 0 && m.queued() == 64 && next[0] - 64 > 8 + 8 + 7) {
                return;
            }
            Thread.sleep(1);
        }
    }

    /** The shard thread is parked on a Condition: the only one it waits on is the writer's "not full". */
    private static boolean consumerParkedOnACondition() {
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().equals("gctimeline-shard-0") && t.getState() == Thread.State.WAITING
                    && LockSupport.getBlocker(t) instanceof AbstractQueuedSynchronizer.ConditionObject) {
                return true;
            }
        }
        return false;
    }

    @Test
    void whenWritableRunsAtOnceWhenAlreadyWritable() {
        RecordingStore store = new RecordingStore();
        try (TimelinePipeline pipeline = TimelinePipeline.builder().store(store).build()) {
            pipeline.start();
            AtomicReference<Thread> ranOn = new AtomicReference<>();
            pipeline.whenWritable(() -> ranOn.set(Thread.currentThread()));
            assertEquals(Thread.currentThread(), ranOn.get());
            pipeline.whenWritable(() -> {
                throw new IllegalStateException("a task that throws is logged, not fatal");
            });
        }
    }

    @Test
    void rejectionsAreCountedPerReason() {
        RecordingStore store = new RecordingStore();
        try (TimelinePipeline pipeline = TimelinePipeline.builder().store(store).build()) {
            pipeline.reject(RejectReason.MALFORMED_JSON, "unexpected '}' at byte 17\nsecond line");
            pipeline.reject(RejectReason.MALFORMED_JSON, "x".repeat(10_000));
            pipeline.reject(RejectReason.OVERSIZE, null);
            for (int i = 0; i < 1000; i++) {
                pipeline.reject(RejectReason.UNKNOWN_SHAPE, "shape " + i);
            }
            PipelineMetrics m = pipeline.metrics();
            assertEquals(1003, m.rejected());
            assertEquals(2, m.rejected(RejectReason.MALFORMED_JSON));
            assertEquals(1, m.rejected(RejectReason.OVERSIZE));
            assertEquals(1000, m.rejected(RejectReason.UNKNOWN_SHAPE));
            assertEquals(0, m.rejected(RejectReason.UNSUPPORTED));
            assertEquals(RejectReason.values().length, m.rejectedByReason().size());
            assertThrows(UnsupportedOperationException.class, () -> m.rejectedByReason().put(RejectReason.OVERSIZE, 5L));
        }
    }

    @Test
    void closeDrainsStoresAndThenRefuses() throws Exception {
        RecordingStore store = new RecordingStore();
        List<String> shutdownEvicted = new CopyOnWriteArrayList<>();
        TimelinePipeline pipeline = TimelinePipeline.builder().store(store).linger(Duration.ofHours(1))
                .listener(new ConversationListener() {
                    @Override
                    public void evicted(ConversationState state, Timeline timeline, EvictionReason reason) {
                        if (reason == EvictionReason.SHUTDOWN) {
                            shutdownEvicted.add(state.conversationId());
                        }
                    }
                }).build();
        // Offered before start: waits in the ring, and close() still stores it.
        for (int i = 0; i < 5; i++) {
            assertTrue(pipeline.offer(event("open-conv", i, 99)));
        }
        pipeline.close();
        assertEquals(5, store.memory.timeline("open-conv").size());
        assertEquals(List.of("open-conv"), shutdownEvicted);
        assertTrue(pipeline.isClosed());
        assertFalse(pipeline.offer(event("open-conv", 6, 99)));
        assertThrows(IllegalStateException.class, () -> pipeline.publish(event("open-conv", 6, 99)));
        assertThrows(IllegalStateException.class, pipeline::start);
        AtomicInteger ran = new AtomicInteger();
        pipeline.whenWritable(ran::incrementAndGet);
        assertEquals(0, ran.get(), "no resuming a closed pipeline");
        pipeline.close();
        assertEquals(0, pipeline.metrics().backpressurePauses(), "refusals after close are not backpressure");
        assertEquals(5, store.memory.timeline("open-conv").size(), "the store stays open: the caller owns it");
    }

    @Test
    void completedConversationsReachTheStoreAndTheListenerAndLateEventsAreStillStored() throws Exception {
        RecordingStore store = new RecordingStore();
        List<ConversationState> completed = new CopyOnWriteArrayList<>();
        TimelinePipeline pipeline = TimelinePipeline.builder().store(store).gracePeriod(Duration.ZERO)
                .linger(Duration.ofMillis(1)).listener(new ConversationListener() {
                    @Override
                    public void completed(ConversationState state, Timeline timeline) {
                        completed.add(state);
                    }
                }).build();
        pipeline.start();
        for (int i = 0; i < 4; i++) {
            pipeline.publish(event("c1", i, 3));
        }
        pipeline.publish(event("c1", 2, 3)); // a repeat
        StoreWriterTest.await("completion", () -> completed.size() == 1);
        StoreWriterTest.await("summary stored", () -> store.memory.completedState("c1") != null);
        assertEquals("c1", completed.get(0).conversationId());
        assertTrue(completed.get(0).ended());
        TimelineEvent straggler = TimelineEvent.builder("c1", EventKind.TRANSCRIPT, T0 + 5).attribute("text", "bye").build();
        pipeline.publish(straggler);
        pipeline.close();
        PipelineMetrics m = pipeline.metrics();
        assertEquals(1, m.late());
        assertEquals(1, m.duplicates());
        assertEquals(6, m.received());
        assertEquals(5, m.stored());
        assertEquals(1, m.completed());
        assertEquals(5, store.memory.timeline("c1").size(), "the late event is stored too");
        assertNotNull(store.memory.completedState("c1"));
    }

    @Test
    void aStoreThatRefusesForGoodIsCountedAndReported() throws Exception {
        RecordingStore store = new RecordingStore();
        store.beforeCall = what -> {
            if (what.equals("append")) {
                throw StoreException.permanent("401 bad credentials (the token itself is never in a message)", null);
            }
        };
        List<TimelineEvent> refused = new CopyOnWriteArrayList<>();
        TimelinePipeline pipeline = TimelinePipeline.builder().store(store).linger(Duration.ofMillis(1))
                .storeListener(new StoreWriter.Listener() {
                    @Override
                    public void failed(List<TimelineEvent> events, StoreException error) {
                        refused.addAll(events);
                    }
                }).build();
        pipeline.start();
        for (int i = 0; i < 10; i++) {
            pipeline.publish(event("c", i, 99));
        }
        pipeline.close();
        assertEquals(10, refused.size());
        PipelineMetrics m = pipeline.metrics();
        assertEquals(10, m.storeFailedEvents());
        assertTrue(m.storeFailures() >= 1);
        assertEquals(0, m.stored());
    }

    @Test
    void routesEveryEventOfAConversationToOneShard() throws Exception {
        RecordingStore store = new RecordingStore();
        Map<String, Set<String>> threadsByConversation = new ConcurrentHashMap<>();
        TimelinePipeline pipeline = TimelinePipeline.builder().store(store).shards(4).gracePeriod(Duration.ZERO)
                .linger(Duration.ofMillis(1)).listener(new ConversationListener() {
                    @Override
                    public void completed(ConversationState state, Timeline timeline) {
                        threadsByConversation.computeIfAbsent(state.conversationId(), k -> ConcurrentHashMap.newKeySet())
                                .add(Thread.currentThread().getName());
                    }
                }).build();
        pipeline.start();
        for (int c = 0; c < 200; c++) {
            for (int i = 0; i < 5; i++) {
                pipeline.publish(event("conv-" + c, i, 4));
            }
        }
        StoreWriterTest.await("all completed", () -> threadsByConversation.size() == 200);
        pipeline.close();
        Set<String> threads = new HashSet<>();
        for (Set<String> names : threadsByConversation.values()) {
            assertEquals(1, names.size());
            threads.addAll(names);
        }
        assertTrue(threads.size() > 1, "200 conversations spread over several shards: " + threads);
        for (int c = 0; c < 200; c++) {
            assertEquals(5, store.memory.timeline("conv-" + c).size());
        }
    }

    @Test
    void validatesOptions() {
        RecordingStore store = new RecordingStore();
        assertThrows(IllegalStateException.class, () -> TimelinePipeline.builder().build());
        assertThrows(IllegalArgumentException.class, () -> TimelinePipeline.builder().shards(0));
        assertThrows(IllegalArgumentException.class, () -> TimelinePipeline.builder().lowWaterMark(0));
        assertThrows(IllegalArgumentException.class, () -> TimelinePipeline.builder().lowWaterMark(1.5));
        assertThrows(IllegalArgumentException.class, () -> TimelinePipeline.builder().store(store).ringCapacity(1000).build());
        assertThrows(IllegalArgumentException.class, () -> TimelinePipeline.builder().store(store).batchSize(0).build());
        assertThrows(IllegalArgumentException.class, () -> TimelinePipeline.builder().dedup(0, Duration.ofHours(1)));
    }
}
