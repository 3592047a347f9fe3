package dev.gctimeline.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gctimeline.core.TimelineEvent;
import dev.gctimeline.testkit.Delivery;
import dev.gctimeline.testkit.GenesysCloudSimulator;
import dev.gctimeline.testkit.Notification;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Flow control end to end: with the store stalled, the pipeline fills, the stream stops asking its
 * socket for input, TCP fills, and the simulator's publisher blocks in its socket write. The heap
 * stays flat meanwhile, and once the store comes back every document arrives.
 */
class FlowControlHeapTest {
    private static final int DOCUMENTS = 16_000;
    private static final int PAD = 4_000;
    private static final long HEAP_BOUND = 16L << 20;

    @Test
    void aStalledStoreStopsTheSocketNotTheHeap() throws Exception {
        List<Notification> feed = documents();
        Harness.GatedStore store = new Harness.GatedStore();
        store.stall();
        try (GenesysCloudSimulator sim = Harness.simulator().analyticsStream(feed).build();
             Harness h = new Harness(store, b -> b.ringCapacity(1024).batchSize(100).maxPendingBatches(2))) {
            SeedShapeStream.Shape shape = SeedShapeStream.Shape.ANALYTICS_STREAM;
            SeedShapeStream stream = SeedShapeStream.builder(shape, Harness.tokens(sim)).uri(Harness.seedUri(sim, shape))
                    .maxDocumentBytes(8192).build();
            try {
                stream.start(h.pipeline);
                Harness.await(() -> sim.seedSockets(Delivery.Route.ANALYTICS_STREAM) == 1, Duration.ofSeconds(30),
                        () -> "connected");
                CompletableFuture<Void> playing = sim.playInBackground(Double.POSITIVE_INFINITY);

                int first = awaitStalled(sim);
                long heapFirst = usedHeapAfterGc();
                Thread.sleep(1_500);
                int second = sim.position();
                long heapSecond = usedHeapAfterGc();

                System.out.printf("flow control: publisher stalled at %d of %d documents (%d read by the stream);"
                        + " heap after GC %d -> %d KiB%n", first, DOCUMENTS, stream.metrics().messages(),
                        heapFirst >> 10, heapSecond >> 10);
                assertEquals(first, second, "the simulator's send side stays blocked");
                assertFalse(playing.isDone(), "the publisher is still trying to send");
                assertTrue(first < DOCUMENTS / 2, "only buffers' worth was sent: " + first + " of " + DOCUMENTS);
                assertTrue(heapSecond - heapFirst < HEAP_BOUND, "heap grew by " + (heapSecond - heapFirst) + " bytes");
                assertTrue(store.waiting.get() > 0, "the store is the one holding things up");
                SeedShapeStream.Metrics paused = stream.metrics();
                assertTrue(paused.pauses() >= 1 && paused.eventsPending() >= 1, paused.toString());
                assertTrue(paused.messages() < first, "the socket holds what the stream did not read: " + paused);

                store.release();
                playing.get(60, TimeUnit.SECONDS);
                long sent = sim.stats().messagesSent();
                Harness.await(() -> stream.metrics().messages() == sent && stream.metrics().eventsPending() == 0,
                        Duration.ofSeconds(60), stream::toString);
            } finally {
                stream.close();
            }
            h.closePipeline();
            assertEquals(DOCUMENTS, h.pipeline.metrics().stored(), "every document, once");
            long events = 0;
            for (int c = 0; c < 100; c++) {
                events += h.store.timeline("heap-" + c).size();
            }
            assertEquals(DOCUMENTS, events);
        }
    }

    /** Shape A metadata documents of about 4 KB each, 100 conversations. */
    private static List<Notification> documents() {
        long base = Instant.parse("2026-11-22T10:00:00Z").toEpochMilli();
        String pad = "x".repeat(PAD);
        List<Notification> out = new ArrayList<>(DOCUMENTS);
        for (int i = 0; i < DOCUMENTS; i++) {
            long t = base + i;
            String json = "{\"conversationId\":\"heap-" + (i % 100) + "\",\"type\":\"metadata\",\"data\":{\"n\":\"" + i
                    + pad + "\"},\"timestamp\":\"" + Instant.ofEpochMilli(t) + "\"}";
            out.add(new Notification(t, null, "heap-" + (i % 100), json, List.<TimelineEvent>of()));
        }
        return out;
    }

    /**
     * Waits until the publisher's position has not moved for a second; returns it. (Half a second
     * could be a publisher starved of CPU on a loaded machine, which then moves on while measured.)
     */
    private static int awaitStalled(GenesysCloudSimulator sim) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        int last = -1;
        long since = System.nanoTime();
        while (System.nanoTime() < deadline) {
            int p = sim.position();
            if (p != last) {
                last = p;
                since = System.nanoTime();
            } else if (p > 0 && System.nanoTime() - since > 1_000_000_000L) {
                return p;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("the publisher never stalled (position " + last + " of " + DOCUMENTS + ")");
    }

    private static long usedHeapAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(50);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
