package dev.gctimeline.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gctimeline.core.PipelineMetrics;
import dev.gctimeline.core.RejectReason;
import dev.gctimeline.core.Timeline;
import dev.gctimeline.core.TimelineEvent;
import dev.gctimeline.testkit.ContactCenterScenario;
import dev.gctimeline.testkit.Delivery;
import dev.gctimeline.testkit.Faults;
import dev.gctimeline.testkit.GenesysCloudSimulator;
import dev.gctimeline.testkit.Notification;
import dev.gctimeline.testkit.SimulatorStats;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Both seed shapes end to end over the simulator's real sockets, with every wire fault that keeps
 * the socket up: frames split at random byte offsets (inside UTF-8 code points too), documents
 * split across messages, several documents in one message, duplicates, reordering, and malformed
 * and oversize documents sent between the real ones. Every conversation's stored timeline and
 * reconstructed state must equal the ground truth of what the simulator delivered, with every
 * rejection accounted for. The store is slower than the socket, so flow control pauses and resumes
 * the stream throughout.
 */
class SeedShapeStreamEndToEndTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final int MAX_DOCUMENT_BYTES = 4096;

    @ParameterizedTest(name = "{0}, {1} conversations")
    @CsvSource({"ANALYTICS_STREAM, 2000, 11", "STREAMING_EVENTS, 300, 12"})
    void everyConversationArrivesExactlyThroughTheWireFaults(SeedShapeStream.Shape shape, int conversations, long seed)
            throws Exception {
        ContactCenterScenario scenario = ContactCenterScenario.builder().seed(seed).conversations(conversations)
                .arrivalRatePerSecond(5).build();
        boolean a = shape == SeedShapeStream.Shape.ANALYTICS_STREAM;
        List<Notification> docs = a ? scenario.shapeADocuments() : scenario.shapeBMessages();
        Faults faults = Faults.builder().seed(seed).frameSplit(0.3).maxFramesPerMessage(7).documentSplit(0.1)
                .documentBatch(0.15).duplicate(0.05).reorder(0.05, 8).malformed(0.01)
                .oversize(0.005, MAX_DOCUMENT_BYTES).build();
        GenesysCloudSimulator.Builder sb = Harness.simulator().faults(faults);
        sb = a ? sb.analyticsStream(docs) : sb.streamingEvents(docs);
        // The store also holds its first batches until the stream has paused: whether a store taking
        // 1 ms per batch outruns the decoder depends on the machine, and the test requires pauses.
        Harness.GatedStore store = slowStore();
        store.stall();
        try (GenesysCloudSimulator sim = sb.build();
             Harness h = new Harness(store, b -> b.ringCapacity(256).shards(2).batchSize(64))) {
            SeedShapeStream stream = SeedShapeStream.builder(shape, Harness.tokens(sim))
                    .uri(Harness.seedUri(sim, shape)).maxDocumentBytes(MAX_DOCUMENT_BYTES)
                    .reconnectBackoff(Duration.ofMillis(10), Duration.ofMillis(200)).build();
            Delivery.Route route = a ? Delivery.Route.ANALYTICS_STREAM : Delivery.Route.STREAMING_EVENTS;
            stream.start(h.pipeline);
            Harness.await(() -> sim.seedSockets(route) == 1, WAIT, () -> "the stream to connect (and subscribe)");
            CompletableFuture<Void> playing = sim.playInBackground(Double.POSITIVE_INFINITY);
            Harness.await(() -> stream.metrics().pauses() > 0, WAIT, () -> "a pause behind the stalled store: "
                    + stream.metrics());
            store.release();
            playing.get(60, TimeUnit.SECONDS);
            SimulatorStats sent = sim.stats();
            Harness.await(() -> stream.metrics().messages() == sent.messagesSent() && stream.metrics().eventsPending() == 0,
                    WAIT, () -> "every message decoded: " + stream.metrics() + " of " + sent.messagesSent());
            stream.close();
            h.closePipeline();

            // The faults were really on.
            assertTrue(sent.messagesFragmented() > 0 && sent.continuationFrames() > 0, sent.toString());
            assertTrue(sent.documentsSplit() > 0 && sent.documentsBatched() > 0, sent.toString());
            assertTrue(sent.duplicatesScheduled() > 0 && sent.reorderedScheduled() > 0, sent.toString());
            assertTrue(sent.malformedSent() > 0 && sent.oversizeSent() > 0, sent.toString());
            assertEquals(1, sent.socketsOpened());

            // Ground truth: the carries of every document delivered; the simulator corrupts none of them
            // (malformed and oversize documents are extras between them) and, with no socket faults,
            // delivered every one.
            List<TimelineEvent> delivered = new ArrayList<>();
            for (Delivery d : sim.deliveries()) {
                assertEquals(Delivery.Outcome.DELIVERED, d.outcome(), d.toString());
                delivered.addAll(sim.notification(d).carries());
            }
            Map<String, Timeline> truth = Harness.timelines(delivered);
            assertEquals(conversations, truth.size());
            List<TimelineEvent> all = new ArrayList<>();
            docs.forEach(n -> all.addAll(n.carries()));
            assertEquals(Harness.timelines(all), truth, "every document was delivered at least once");
            assertEquals(truth, sim.truthSeenThroughSubscriptions());
            h.assertMatches(truth);

            // Every rejection is one of the simulator's deliberate extras, counted by reason.
            SeedShapeStream.Metrics m = stream.metrics();
            PipelineMetrics p = h.pipeline.metrics();
            assertEquals(sent.malformedSent(), m.rejected(RejectReason.MALFORMED_JSON), m.toString());
            assertEquals(sent.oversizeSent(), m.rejected(RejectReason.OVERSIZE), m.toString());
            assertEquals(sent.malformedSent() + sent.oversizeSent(), m.rejected(), m.toString());
            assertEquals(m.rejectedByReason(), p.rejectedByReason());
            assertEquals(m.eventsDecoded(), m.eventsDelivered());
            assertEquals(m.eventsDelivered(), p.received());
            assertEquals(p.received() - p.duplicates(), p.stored());
            assertEquals(0, m.connectFailures() + m.disconnects());
            // A slow store and a small ring: the stream really paused and resumed, many times.
            assertTrue(m.pauses() > 0 && m.resumes() >= m.pauses(), m.toString());
            assertTrue(p.backpressurePauses() >= m.pauses(), p.toString());
        }
    }

    /** A store that takes a millisecond per batch: slower than the socket, so the ring fills. */
    private static Harness.GatedStore slowStore() {
        Harness.GatedStore store = new Harness.GatedStore();
        store.delayMillis = 1;
        return store;
    }
}
