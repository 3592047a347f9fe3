package dev.gctimeline.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gctimeline.core.ConversationSummary;
import dev.gctimeline.core.Timeline;
import dev.gctimeline.core.TimelineEvent;
import dev.gctimeline.core.TimelineStore;
import dev.gctimeline.core.TimelineStores;
import dev.gctimeline.testkit.ContactCenterScenario;
import dev.gctimeline.testkit.GenesysCloudSimulator;
import dev.gctimeline.testkit.ScenarioConversation;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Backpressure end to end: a store that does not return stalls the writer, the writer stalls the
 * consumer, the ring fills, the stream stops requesting frames, and TCP stops the simulator. The
 * heap stays flat meanwhile, nothing is dropped, and everything arrives once the store returns.
 */
class FlowControlTest {

    /** A memory store whose append blocks until {@link #release()}. */
    static final class StalledStore implements TimelineStore {
        final TimelineStore delegate = TimelineStores.open("memory", Map.of());
        final CountDownLatch released = new CountDownLatch(1);
        final AtomicInteger blockedAppends = new AtomicInteger();

        @Override
        public void append(List<TimelineEvent> events) {
            if (released.getCount() > 0) {
                blockedAppends.incrementAndGet();
                try {
                    released.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            delegate.append(events);
        }

        void release() {
            released.countDown();
        }

        @Override
        public Timeline timeline(String conversationId) {
            return delegate.timeline(conversationId);
        }

        @Override
        public List<ConversationSummary> conversations(long fromMillis, long toMillis, int limit) {
            return delegate.conversations(fromMillis, toMillis, limit);
        }

        @Override
        public void close() {
            release();
            delegate.close();
        }
    }

    @Test
    void aStalledStoreKeepsTheHeapFlatWhileTheSimulatorKeepsSending() throws Exception {
        ContactCenterScenario s = ContactCenterScenario.builder().seed(31).conversations(1_000)
                .arrivalRatePerSecond(2.0).build();
        String[] queues = s.conversations().stream().map(ScenarioConversation::queueId).distinct().toArray(String[]::new);
        StalledStore store = new StalledStore();
        try (GenesysCloudSimulator sim = GenesysCloudSimulator.builder().client(StreamHarness.CLIENT, StreamHarness.SECRET)
                .feed(s).heartbeatInterval(Duration.ofMillis(100)).build();
             StreamHarness h = new StreamHarness(sim, store,
                     b -> b.shards(1).ringCapacity(64).batchSize(16).maxPendingBatches(1))) {
            // Watchdogs well short of the 2.5 s stall below: a paused socket must not be mistaken for a
            // dead one. (Not shorter: a reader stalled that long on a loaded machine would be.) One
            // socket, the queues' (no auto-follow): the simulator publishes on one thread, so while it
            // is blocked on a paused socket every other socket goes silent, with nothing of its own to
            // pause on, and is rightly given up; real channels do not starve each other.
            GenesysEventStream stream = h.start(h.streamBuilder().queues(queues).autoFollow(false)
                    .heartbeatTimeout(Duration.ofMillis(1_200)).pingAfter(Duration.ofMillis(100))
                    .pongTimeout(Duration.ofSeconds(1)));
            h.awaitQueuesSubscribed(queues);
            CompletableFuture<Void> played = sim.playInBackground(Double.POSITIVE_INFINITY);

            // Warm-up: the store blocks, the stream pauses, the simulator's writes stop moving.
            StreamHarness.await(Duration.ofSeconds(30), () -> store.blockedAppends.get() > 0
                    && stream.metrics().pauses() > 0, () -> "a blocked append and a pause: " + stream.metrics());
            assertTrue(stream.metrics().pauses() > 0, "the stream paused reading");
            awaitStill(sim, Duration.ofSeconds(20));

            long before = usedHeapAfterGc();
            int positionBefore = sim.position();
            Thread.sleep(2_500);
            long after = usedHeapAfterGc();
            int positionAfter = sim.position();

            int unsent = sim.scheduledCount() - positionAfter;
            assertTrue(unsent > 5_000, "the simulator still holds " + unsent + " notifications");
            assertTrue(positionAfter - positionBefore < 50, "the simulator kept publishing: "
                    + positionBefore + " -> " + positionAfter);
            assertTrue(after - before < 16L << 20, "heap grew by " + (after - before) / 1024 + " KiB while stalled");
            assertTrue(!played.isDone(), "TCP push-back holds the simulator");
            assertEquals(0, stream.metrics().heartbeatTimeouts(), "a paused socket was given up as dead");
            assertTrue(h.pipeline.metrics().backpressurePauses() > 0);

            store.release();
            played.get(60, TimeUnit.SECONDS);
            Map<String, Timeline> truth = sim.truthSeenThroughSubscriptions();
            assertTrue(truth.size() > 100, truth.size() + " conversations seen");
            h.assertStoreEventuallyEquals(truth, Duration.ofSeconds(30));
            assertEquals(List.of(), h.gaps, "flow control loses nothing");
            assertEquals(0, stream.metrics().heartbeatTimeouts());
            GenesysEventStreamTest.assertNothingLostAnywhere(sim);
            System.out.printf("flow control: heap %+d KiB over 2.5 s stalled with %d notifications unsent; "
                    + "%d pauses; %d conversations stored exactly%n", (after - before) / 1024, unsent,
                    stream.metrics().pauses(), truth.size());
        }
    }

    /**
     * Waits until the simulator's publishing position has not moved for a second (its writes are
     * blocked). A publisher merely starved of CPU for a moment must not pass for a blocked one: the
     * window measured next would see it move on.
     */
    private static void awaitStill(GenesysCloudSimulator sim, Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        int last = -1;
        int stillFor = 0;
        while (System.nanoTime() < deadline) {
            int now = sim.position();
            stillFor = now == last ? stillFor + 1 : 0;
            if (stillFor == 4) {
                return;
            }
            last = now;
            Thread.sleep(250);
        }
        throw new AssertionError("the simulator never stalled (position " + last + ")");
    }

    private static long usedHeapAfterGc() throws InterruptedException {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) { // the lowest of three: a collection may still be finishing
            System.gc();
            Thread.sleep(100);
            used = Math.min(used, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
        return used;
    }
}
