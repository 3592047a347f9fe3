package dev.gctimeline.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The two simplified stream shapes of seed-formats.md, on their described paths. */
class SeedShapesTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String A_PATH = "/api/v2/analytics/conversations/details/stream";
    private static final String B_PATH = "/api/v2/streaming/events";

    private static List<String> json(List<Notification> ns) {
        List<String> out = new ArrayList<>();
        ns.forEach(n -> out.add(n.json()));
        return out;
    }

    /** Every root JSON value in a concatenation of documents, re-serialised compactly. */
    private static List<String> documents(byte[] concatenated) throws IOException {
        JsonFactory f = new JsonFactory();
        List<String> out = new ArrayList<>();
        try (JsonParser p = f.createParser(concatenated)) {
            while (p.nextToken() != null) {
                StringWriter w = new StringWriter();
                try (JsonGenerator g = f.createGenerator(w)) {
                    g.copyCurrentStructure(p);
                }
                out.add(w.toString());
            }
        }
        return out;
    }

    @Test
    void shapeAPushesEveryDocumentToATokenHolder() throws Exception {
        List<Notification> docs = Envelopes.shapeA("c-1", 6);
        try (GenesysCloudSimulator sim = GenesysCloudSimulator.builder().analyticsStream(docs).build()) {
            Rest rest = new Rest(sim);
            String token = rest.login();
            try (RawWs refused = RawWs.connect(sim.webSocketPort(), A_PATH + "?access_token=wrong")) {
                assertEquals(401, refused.status);
            }
            sim.step(); // nobody connected yet: logged on the pseudo-channel, not queued
            JdkWs ws = JdkWs.connect(rest.http, sim.webSocketUri() + A_PATH + "?access_token=" + token);
            sim.awaitOpenSockets(1, WAIT);
            sim.play();
            assertEquals(json(docs).subList(1, 6), ws.take(5, m -> true, WAIT));
            List<Delivery> log = sim.deliveries("analytics-stream");
            assertEquals(Delivery.Outcome.NO_SOCKET, log.get(0).outcome());
            assertEquals(Delivery.Route.ANALYTICS_STREAM, log.get(0).route());
            assertEquals(5, log.stream().filter(d -> d.outcome() == Delivery.Outcome.DELIVERED).count());
        }
    }

    @Test
    void seedShapesAlsoTakeTheTokenAsABearerHeader() throws Exception {
        List<Notification> docs = Envelopes.shapeA("c-1", 3);
        try (GenesysCloudSimulator sim = GenesysCloudSimulator.builder().analyticsStream(docs).build()) {
            Rest rest = new Rest(sim);
            String token = rest.login();
            for (String path : List.of(A_PATH, B_PATH)) {
                try (RawWs ok = RawWs.connect(sim.webSocketPort(), path, "Authorization: Bearer " + token + "\r\n")) {
                    assertEquals(101, ok.status, path);
                }
                try (RawWs lower = RawWs.connect(sim.webSocketPort(), path, "authorization: bearer " + token + "\r\n")) {
                    assertEquals(101, lower.status, "the scheme is case-insensitive: " + path);
                }
                try (RawWs wrong = RawWs.connect(sim.webSocketPort(), path, "Authorization: Bearer wrong\r\n")) {
                    assertEquals(401, wrong.status, path);
                }
                try (RawWs notBearer = RawWs.connect(sim.webSocketPort(), path, "Authorization: Basic " + token + "\r\n")) {
                    assertEquals(401, notBearer.status, path);
                }
                try (RawWs headerWins = RawWs.connect(sim.webSocketPort(), path + "?access_token=" + token,
                        "Authorization: Bearer wrong\r\n")) {
                    assertEquals(401, headerWins.status, "a bad header is not rescued by a good query token: " + path);
                }
                try (RawWs none = RawWs.connect(sim.webSocketPort(), path)) {
                    assertEquals(401, none.status, path);
                }
            }
            // The probe sockets above are closed, but the server learns that on its own threads; until
            // it has, one of them still counts as open and awaitOpenSockets(1) below would not wait
            // for the JDK client's socket, so play() could publish before that socket is registered.
            Await.until(() -> sim.openSockets() == 0, () -> sim.openSockets() + " sockets still open");
            // The JDK client sends the header the way the library's seed-shape stream does.
            JdkWs ws = JdkWs.connect(rest.http, sim.webSocketUri() + A_PATH, "Bearer " + token);
            sim.awaitOpenSockets(1, WAIT);
            sim.play();
            assertEquals(json(docs), ws.take(3, m -> true, WAIT));
        }
    }

    @Test
    void shapeADocumentsAreSplitAcrossMessagesAndBatchedTogether() throws Exception {
        List<Notification> docs = Envelopes.shapeA("c-1", 30);
        Faults faults = Faults.builder().seed(9).documentSplit(0.5).documentBatch(0.5).frameSplit(0.3).build();
        GenesysCloudSimulator sim = GenesysCloudSimulator.builder().analyticsStream(docs).faults(faults).build();
        try {
            Rest rest = new Rest(sim);
            String token = rest.login();
            try (RawWs raw = RawWs.connect(sim.webSocketPort(), A_PATH + "?access_token=" + token)) {
                sim.awaitOpenSockets(1, WAIT);
                sim.play();
                sim.close();
                List<RawWs.Message> messages = raw.readAll();
                ByteArrayOutputStream all = new ByteArrayOutputStream();
                int notWholeDocuments = 0;
                for (RawWs.Message m : messages) {
                    all.write(m.payload());
                    assertTrue(WireFaultsTest.validUtf8(m.payload()));
                    try {
                        documents(m.payload());
                    } catch (IOException e) {
                        notWholeDocuments++;
                    }
                }
                assertEquals(json(docs), documents(all.toByteArray()), "the stream of documents is intact, in order");
                assertTrue(notWholeDocuments > 0, "some message holds part of a document");
                assertTrue(messages.size() != docs.size());
                SimulatorStats s = sim.stats();
                assertTrue(s.documentsSplit() > 0 && s.documentsBatched() > 0, s.toString());
                long batchedDocs = sim.deliveries("analytics-stream").size();
                assertEquals(docs.size(), batchedDocs, "one log entry per document, batched or not");
            }
        } finally {
            sim.close(); // idempotent; closed early above so the client reads to the end
        }
    }

    @Test
    void shapeBWaitsForTheSubscribeMessage() throws Exception {
        List<Notification> batches = Envelopes.shapeB("i-1", 4);
        try (GenesysCloudSimulator sim = GenesysCloudSimulator.builder().streamingEvents(batches).build()) {
            Rest rest = new Rest(sim);
            String token = rest.login();
            JdkWs ws = JdkWs.connect(rest.http, sim.webSocketUri() + B_PATH + "?access_token=" + token);
            sim.awaitOpenSockets(1, WAIT);
            sim.step();
            assertNull(ws.next(Duration.ofMillis(200)), "nothing before the subscribe message");
            ws.sendText("{\"type\":\"subscribe\",\"events\":[\"interaction-participant-joined\","
                    + "\"interaction-participant-left\",\"interaction-media-channel-added\","
                    + "\"interaction-media-channel-removed\",\"interaction-updated\"]}");
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (sim.seedSockets(Delivery.Route.STREAMING_EVENTS) == 0 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            sim.play();
            assertEquals(json(batches).subList(1, 4), ws.take(3, m -> true, WAIT));
            List<Delivery> log = sim.deliveries("streaming-events");
            assertEquals(Delivery.Outcome.NO_SOCKET, log.get(0).outcome(), "before subscribing: not a receiver");
            assertEquals(3, log.stream().filter(d -> d.outcome() == Delivery.Outcome.DELIVERED).count());
        }
    }
}
