package dev.gctimeline.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Each fault switch demonstrably changes the wire traffic, seen byte by byte with a raw-socket
 * client; and the same seed gives the same bytes.
 */
class WireFaultsTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final List<Notification> FEED = Envelopes.conversations(10); // 20 notifications, multi-byte text
    private static final JsonFactory JSON = new JsonFactory();

    /** What one run put on the wire of one channel subscribed to every topic. */
    private record Run(List<RawWs.Message> messages, byte[] bytes, SimulatorStats stats, List<Delivery> log,
                       int tokenStatusAfter) {
        List<String> texts() {
            List<String> out = new ArrayList<>();
            for (RawWs.Message m : messages) {
                if (m.opcode() == 0x1) {
                    out.add(m.text());
                }
            }
            return out;
        }
    }

    private static Run run(Faults faults) throws IOException {
        GenesysCloudSimulator sim = GenesysCloudSimulator.builder().feed(new ListFeed(FEED)).faults(faults)
                .heartbeatInterval(Duration.ZERO).socketClosingDelay(Duration.ofSeconds(30)).build();
        try {
            Rest rest = new Rest(sim);
            String token = rest.login();
            String channel = rest.createChannel(token).id();
            List<String> topics = new ArrayList<>();
            FEED.forEach(n -> topics.add(n.topicName()));
            rest.subscribeOk(token, channel, topics);
            try (RawWs raw = RawWs.connect(sim.webSocketPort(), "/channels/" + channel)) {
                assertEquals(101, raw.status);
                sim.awaitConnected(channel, WAIT);
                // A ping answered proves the server's reader for this socket runs. Before it does, the
                // server is still finishing the handshake (it clears the socket's read timeout after
                // registering it), and a sim.close() then counts the socket as a refused handshake:
                // two runs of one seed would differ in their stats. A pong is neither counted nor
                // drawn from the fault generator, so the traffic under test is unchanged.
                raw.sendFrame(true, 0x9, new byte[0], true);
                assertEquals(0xA, raw.readMessage().opcode(), "the pong");
                raw.received.reset();
                sim.play();
                int tokenStatus = rest.call("GET", "/api/v2/notifications/availabletopics", token, null).statusCode();
                sim.close(); // FIN after everything written: the client reads to the end
                List<RawWs.Message> messages = raw.readAll();
                return new Run(messages, raw.received.toByteArray(), sim.stats(), sim.deliveries(channel), tokenStatus);
            }
        } finally {
            sim.close(); // idempotent
        }
    }

    private static List<String> feedJson() {
        List<String> out = new ArrayList<>();
        FEED.forEach(n -> out.add(n.json()));
        return out;
    }

    static boolean validUtf8(byte[] bytes) {
        try {
            StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes));
            return true;
        } catch (java.nio.charset.CharacterCodingException e) {
            return false;
        }
    }

    private static boolean isJsonDocument(String s) {
        try (JsonParser p = JSON.createParser(s)) {
            while (p.nextToken() != null) {
                // read it all
            }
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Test
    void withoutFaultsEveryNotificationIsOneSingleFrameMessage() throws IOException {
        Run r = run(Faults.none());
        assertEquals(feedJson(), r.texts());
        for (RawWs.Message m : r.messages()) {
            assertEquals(1, m.frames().size());
        }
        assertEquals(0, r.stats().messagesFragmented());
        assertEquals(200, r.tokenStatusAfter());
    }

    @Test
    void frameSplitCutsMessagesInsideUtf8CodePoints() throws IOException {
        Run r = run(Faults.builder().seed(11).frameSplit(1.0).maxFramesPerMessage(16).build());
        assertEquals(feedJson(), r.texts(), "the frames join back to the very same text");
        int cutsInsideCodePoints = 0;
        int continuationFrames = 0;
        for (RawWs.Message m : r.messages()) {
            assertTrue(m.frames().size() >= 2, "every message split");
            assertEquals(0x1, m.frames().get(0).opcode());
            for (int i = 1; i < m.frames().size(); i++) {
                RawWs.Frame f = m.frames().get(i);
                assertEquals(0x0, f.opcode(), "continuation frames");
                assertEquals(i == m.frames().size() - 1, f.fin());
                if (f.payload().length > 0 && (f.payload()[0] & 0xC0) == 0x80) {
                    cutsInsideCodePoints++; // this frame starts with a UTF-8 continuation byte
                }
            }
            continuationFrames += m.frames().size() - 1;
        }
        assertTrue(cutsInsideCodePoints > 0, "some frame boundary falls inside a multi-byte character");
        assertEquals(FEED.size(), r.stats().messagesFragmented());
        assertEquals(continuationFrames, r.stats().continuationFrames());
    }

    @Test
    void theJdkClientReassemblesFramesSplitInsideCodePoints() throws Exception {
        Faults faults = Faults.builder().seed(11).frameSplit(1.0).maxFramesPerMessage(16).build();
        try (GenesysCloudSimulator sim = GenesysCloudSimulator.builder().feed(new ListFeed(FEED)).faults(faults)
                .heartbeatInterval(Duration.ZERO).build()) {
            Rest rest = new Rest(sim);
            String token = rest.login();
            Rest.ChannelInfo ch = rest.createChannel(token);
            List<String> topics = new ArrayList<>();
            FEED.forEach(n -> topics.add(n.topicName()));
            rest.subscribeOk(token, ch.id(), topics);
            JdkWs ws = JdkWs.connect(rest.http, ch.connectUri());
            sim.awaitConnected(ch.id(), WAIT);
            sim.play();
            assertEquals(feedJson(), ws.take(FEED.size(), m -> true, WAIT));
            assertTrue(sim.stats().continuationFrames() > FEED.size());
        }
    }

    @Test
    void envelopeSplitSpreadsOneEnvelopeOverSeveralMessages() throws IOException {
        Run r = run(Faults.builder().seed(5).envelopeSplit(1.0).build());
        List<String> texts = r.texts();
        assertTrue(texts.size() >= 2 * FEED.size(), "at least two messages per envelope: " + texts.size());
        assertEquals(String.join("", feedJson()), String.join("", texts), "the parts join back in order");
        for (String t : texts) {
            assertFalse(isJsonDocument(t), "no part is a whole document: " + t);
        }
        for (RawWs.Message m : r.messages()) {
            assertTrue(validUtf8(m.payload()), "each message is valid UTF-8 on its own (RFC 6455 8.1)");
        }
        assertEquals(FEED.size(), r.stats().documentsSplit());
        assertEquals(texts.size(), r.stats().messagesSent());
    }

    @Test
    void malformedMessagesPrecedeTheRealOnes() throws IOException {
        Run r = run(Faults.builder().seed(5).malformed(1.0).build());
        List<String> texts = r.texts();
        assertEquals(2 * FEED.size(), texts.size());
        for (int i = 0; i < FEED.size(); i++) {
            String bad = texts.get(2 * i);
            assertFalse(isJsonDocument(bad), "malformed: " + bad);
            assertTrue(bad.startsWith("{\"topicName\":\"" + FEED.get(i).topicName() + "\""), bad);
            assertEquals(FEED.get(i).json(), texts.get(2 * i + 1), "the real one follows intact");
        }
        assertEquals(FEED.size(), r.stats().malformedSent());
    }

    @Test
    void oversizeMessagesExceedTheConfiguredBound() throws IOException {
        Run r = run(Faults.builder().seed(5).oversize(1.0, 4096).build());
        List<RawWs.Message> data = new ArrayList<>();
        r.messages().forEach(m -> {
            if (m.opcode() == 0x1) {
                data.add(m);
            }
        });
        assertEquals(2 * FEED.size(), data.size());
        for (int i = 0; i < FEED.size(); i++) {
            RawWs.Message big = data.get(2 * i);
            assertEquals(4097, big.payload().length, "one byte over the bound");
            assertTrue(isJsonDocument(big.text()), "oversize but well-formed");
            assertEquals(FEED.get(i).json(), data.get(2 * i + 1).text());
        }
        assertEquals(FEED.size(), r.stats().oversizeSent());
    }

    @Test
    void duplicatesAreScheduledAndLogged() throws IOException {
        Run r = run(Faults.builder().seed(5).duplicate(1.0).reorder(0.0, 2).build());
        List<String> texts = r.texts();
        assertEquals(2 * FEED.size(), texts.size());
        Map<String, Integer> counts = new HashMap<>();
        texts.forEach(t -> counts.merge(t, 1, Integer::sum));
        for (String json : feedJson()) {
            assertEquals(2, counts.get(json));
        }
        assertEquals(FEED.size(), r.stats().duplicatesScheduled());
        assertEquals(FEED.size(), r.log().stream().filter(Delivery::duplicate).count());
    }

    @Test
    void reorderingPermutesWithinTheWindow() throws IOException {
        Run r = run(Faults.builder().seed(5).reorder(0.5, 3).build());
        List<String> texts = r.texts();
        assertNotEquals(feedJson(), texts);
        List<String> sorted = new ArrayList<>(texts);
        List<String> expected = new ArrayList<>(feedJson());
        sorted.sort(null);
        expected.sort(null);
        assertEquals(expected, sorted, "the same notifications, once each");
        assertTrue(r.stats().reorderedScheduled() > 0);
        for (int i = 0; i < texts.size(); i++) {
            int original = feedJson().indexOf(texts.get(i));
            assertTrue(i - original <= 3 + FEED.size() / 2 && original - i <= 3 + FEED.size() / 2);
        }
        // the log is in the order sent
        List<String> logged = new ArrayList<>();
        r.log().forEach(d -> logged.add(FEED.get(d.index()).json()));
        assertEquals(texts, logged);
    }

    @Test
    void dropSocketClosesTcpAfterAWholeMessage() throws IOException {
        Run r = run(Faults.builder().seed(5).dropSocket(1.0).build());
        assertEquals(List.of(FEED.get(0).json()), r.texts());
        assertEquals(Delivery.Outcome.DELIVERED, r.log().get(0).outcome());
        for (int i = 1; i < r.log().size(); i++) {
            assertEquals(Delivery.Outcome.NO_SOCKET, r.log().get(i).outcome(), "nothing queued after the drop");
        }
        assertEquals(FEED.size(), r.log().size());
        assertEquals(1, r.stats().socketsDropped());
        for (RawWs.Message m : r.messages()) {
            assertNotEquals(0x8, m.opcode(), "no close frame");
        }
    }

    @Test
    void dropSocketMidFrameCutsAFrameOff() throws IOException {
        Run r = run(Faults.builder().seed(5).dropSocketMidFrame(1.0).build());
        assertTrue(r.messages().isEmpty(), "no whole message arrived");
        byte[] whole = FEED.get(0).json().getBytes(StandardCharsets.UTF_8);
        assertTrue(r.bytes().length > 0 && r.bytes().length < whole.length + 4, "part of the first frame: " + r.bytes().length);
        assertEquals(Delivery.Outcome.LOST, r.log().get(0).outcome());
        assertEquals(FEED.size() - 1, r.log().stream().filter(d -> d.outcome() == Delivery.Outcome.NO_SOCKET).count());
        assertEquals(1, r.stats().socketsDroppedMidFrame());
        assertEquals(1, r.stats().notificationsLost());
    }

    @Test
    void aMidFrameCutIsVisibleToAFrameReader() throws IOException {
        Faults faults = Faults.builder().seed(5).dropSocketMidFrame(1.0).build();
        try (GenesysCloudSimulator sim = GenesysCloudSimulator.builder().feed(new ListFeed(FEED)).faults(faults)
                .heartbeatInterval(Duration.ZERO).build()) {
            Rest rest = new Rest(sim);
            String token = rest.login();
            String channel = rest.createChannel(token).id();
            rest.subscribeOk(token, channel, List.of(FEED.get(0).topicName()));
            try (RawWs raw = RawWs.connect(sim.webSocketPort(), "/channels/" + channel)) {
                sim.awaitConnected(channel, WAIT);
                sim.play();
                assertThrows(EOFException.class, raw::readMessage, "EOF inside a frame");
            }
        }
    }

    @Test
    void socketClosingNoticesPrecedeMessagesOncePerSocket() throws IOException {
        Run r = run(Faults.builder().seed(5).socketClosing(1.0).build());
        List<String> texts = r.texts();
        assertTrue(texts.get(0).startsWith("{\"topicName\":\"v2.system.socket_closing\""), texts.get(0));
        assertEquals(feedJson(), texts.subList(1, texts.size()), "one notice per socket, then the notifications");
        assertEquals(1, r.stats().socketClosingNotices());
    }

    @Test
    void tokenExpiryInvalidatesTheTokenMidStream() throws IOException {
        Run r = run(Faults.builder().seed(5).tokenExpiry(1.0).build());
        assertEquals(feedJson(), r.texts(), "the socket keeps going: only REST calls need the token");
        assertEquals(401, r.tokenStatusAfter());
        assertEquals(FEED.size(), r.stats().tokenExpiriesInjected());
    }

    @Test
    void theSameSeedGivesTheSameWireBytes() throws IOException {
        Faults.Builder b = Faults.builder().frameSplit(0.5).envelopeSplit(0.2).malformed(0.2).oversize(0.1, 512)
                .duplicate(0.2).reorder(0.2, 3).socketClosing(0.05);
        Run a = run(b.seed(42).build());
        Run again = run(b.seed(42).build());
        Run other = run(b.seed(43).build());
        assertTrue(a.bytes().length > 0);
        assertArrayEquals(a.bytes(), again.bytes(), "same seed, same bytes");
        assertFalse(java.util.Arrays.equals(a.bytes(), other.bytes()), "another seed, other bytes");
        assertEquals(a.stats(), again.stats());
    }
}
