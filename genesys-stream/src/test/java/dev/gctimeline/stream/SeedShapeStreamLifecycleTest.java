package dev.gctimeline.stream;

import dev.gctimeline.testkit.LogCapture;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gctimeline.auth.AccessToken;
import dev.gctimeline.auth.BadCredentialsException;
import dev.gctimeline.auth.ClientCredentialsTokenProvider;
import dev.gctimeline.auth.GenesysAuthException;
import dev.gctimeline.auth.GenesysEndpoints;
import dev.gctimeline.auth.MissingPermissionException;
import dev.gctimeline.auth.TokenProvider;
import dev.gctimeline.auth.UnreachableException;
import dev.gctimeline.core.RejectReason;
import dev.gctimeline.core.Timeline;
import dev.gctimeline.core.TimelineEvent;
import dev.gctimeline.testkit.ContactCenterScenario;
import dev.gctimeline.testkit.Delivery;
import dev.gctimeline.testkit.Faults;
import dev.gctimeline.testkit.GenesysCloudSimulator;
import dev.gctimeline.testkit.Notification;
import dev.gctimeline.testkit.SimulatorStats;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The connection lifecycle of {@link SeedShapeStream}: where the token goes, reconnects after
 * drops and expired tokens, the terminal failures that must not loop, and that no token reaches a
 * log line, a listener, a message or a {@code toString}.
 */
class SeedShapeStreamLifecycleTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String SECRET_TOKEN = "tok-3f9a8c7e-secret/+=value";

    /** A token provider for a fake feed: hands out the given tokens in turn, and counts invalidations. */
    private static final class FixedTokens implements TokenProvider {
        final List<String> values;
        final AtomicInteger handedOut = new AtomicInteger();
        final AtomicInteger invalidated = new AtomicInteger();

        FixedTokens(String... values) {
            this.values = List.of(values);
        }

        @Override
        public AccessToken token() {
            int i = Math.min(handedOut.getAndIncrement(), values.size() - 1);
            return new AccessToken(values.get(i), Instant.now().plusSeconds(3600));
        }

        @Override
        public void invalidate(AccessToken seenBad) {
            invalidated.incrementAndGet();
        }
    }

    /** Records the listener's calls. */
    private static final class Recorded implements SeedShapeStream.Listener {
        final List<Integer> connected = new CopyOnWriteArrayList<>();
        final List<String> disconnected = new CopyOnWriteArrayList<>();
        final List<GenesysAuthException> failed = new CopyOnWriteArrayList<>();

        @Override
        public void connected(int connection) {
            connected.add(connection);
        }

        @Override
        public void disconnected(String reason, Duration reconnectIn) {
            assertFalse(reconnectIn.isNegative());
            disconnected.add(reason);
        }

        @Override
        public void failed(GenesysAuthException failure) {
            failed.add(failure);
        }
    }

    /**
     * Fast reconnects. The handshake timeout is long: no test here waits for one to expire, and a
     * handshake timed out on a loaded machine would be one more connect failure than a test counts.
     */
    private static SeedShapeStream.Builder fast(SeedShapeStream.Shape shape, TokenProvider tokens) {
        return SeedShapeStream.builder(shape, tokens).reconnectBackoff(Duration.ofMillis(5), Duration.ofMillis(50))
                .connectTimeout(Duration.ofSeconds(30));
    }

    @Test
    void theTokenGoesInTheAuthorizationHeaderNeverInTheUrl() throws Exception {
        int mark = LogCapture.mark();
        try (LoopbackWsServer server = LoopbackWsServer.refusing(403);
             Harness h = new Harness(b -> b)) {
            FixedTokens tokens = new FixedTokens(SECRET_TOKEN);
            SeedShapeStream.Shape shape = SeedShapeStream.Shape.STREAMING_EVENTS;
            try (SeedShapeStream stream = fast(shape, tokens).uri(server.uri(shape.path())).build()) {
                stream.start(h.pipeline);
                Harness.await(() -> stream.failure().isPresent(), WAIT, () -> "the 403 to stop the stream");
            }
            String head = server.requests().get(0);
            assertTrue(head.startsWith("GET /api/v2/streaming/events HTTP/1.1\r\n"), head);
            assertEquals("Bearer " + SECRET_TOKEN, LoopbackWsServer.header(head, "authorization"));
        }
        assertFalse(LogCapture.since(mark).contains(SECRET_TOKEN), LogCapture.since(mark));
    }

    @Test
    void theLegacyQueryFormPutsTheTokenInTheUrlAndOnlyThere() throws Exception {
        int mark = LogCapture.mark();
        try (LoopbackWsServer server = LoopbackWsServer.refusing(401);
             Harness h = new Harness(b -> b)) {
            FixedTokens tokens = new FixedTokens(SECRET_TOKEN, SECRET_TOKEN + "-2");
            Recorded listener = new Recorded();
            SeedShapeStream.Shape shape = SeedShapeStream.Shape.ANALYTICS_STREAM;
            SeedShapeStream.Builder builder = fast(shape, tokens).uri(server.uri(shape.path())).tokenInQuery(true)
                    .listener(listener);
            String text;
            GenesysAuthException failure;
            try (SeedShapeStream stream = builder.build()) {
                stream.start(h.pipeline);
                Harness.await(() -> stream.failure().isPresent(), WAIT, () -> "two 401s to stop the stream");
                text = builder + " " + stream + " " + stream.metrics();
                failure = stream.failure().orElseThrow();
                assertTrue(stream.toString().endsWith(shape.path() + "?access_token=***]"), stream.toString());
            }
            List<String> heads = server.requests();
            assertEquals(2, heads.size(), "one retry with a fresh token, then stop");
            String encoded = java.net.URLEncoder.encode(SECRET_TOKEN, StandardCharsets.UTF_8);
            assertTrue(heads.get(0).startsWith("GET " + shape.path() + "?access_token=" + encoded + " HTTP/1.1"), heads.get(0));
            assertTrue(heads.get(1).contains("?access_token=" + java.net.URLEncoder.encode(SECRET_TOKEN + "-2",
                    StandardCharsets.UTF_8) + " "), heads.get(1));
            for (String head : heads) {
                assertNull(LoopbackWsServer.header(head, "authorization"), "no header in the legacy form: " + head);
            }
            String everything = text + " " + failure + " " + failure.getMessage() + " " + listener.failed
                    + " " + listener.disconnected + " " + LogCapture.since(mark);
            for (String secret : List.of(SECRET_TOKEN, encoded, "3f9a8c7e")) {
                assertFalse(everything.contains(secret), "token shown: " + everything);
            }
            assertTrue(LogCapture.since(mark).contains("?access_token=***"), "the redacted URL is what logs show");
        }
    }

    @Test
    void aSecond401InARowStopsForGoodInsteadOfLooping() throws Exception {
        try (GenesysCloudSimulator sim = Harness.simulator().build();
             Harness h = new Harness(b -> b)) {
            FixedTokens tokens = new FixedTokens("not-a-token-1", "not-a-token-2");
            Recorded listener = new Recorded();
            SeedShapeStream.Shape shape = SeedShapeStream.Shape.ANALYTICS_STREAM;
            try (SeedShapeStream stream = fast(shape, tokens).uri(Harness.seedUri(sim, shape)).listener(listener).build()) {
                stream.start(h.pipeline);
                Harness.await(() -> !listener.failed.isEmpty(), WAIT, () -> "the terminal failure");
                Thread.sleep(300); // long enough for dozens of reconnects at this backoff, were it looping
                BadCredentialsException e = assertInstanceOf(BadCredentialsException.class, listener.failed.get(0));
                assertEquals(401, e.statusCode().orElseThrow());
                assertEquals(List.of(e), listener.failed, "told once");
                assertEquals(e, stream.failure().orElseThrow());
                assertEquals(1, tokens.invalidated.get());
                assertEquals(2, tokens.handedOut.get());
                assertEquals(2, sim.stats().socketsRejected(), "two handshakes, no more");
                assertEquals(1, stream.metrics().tokenRefreshes());
                assertFalse(stream.isConnected());
            }
        }
    }

    @Test
    void only401sInARowAreTerminal() throws Exception {
        // 401 (refresh), 503 (retry), 401 (a new pair: refresh), 503, then a 403 ends it.
        try (LoopbackWsServer server = LoopbackWsServer.refusingInTurn(401, 503, 401, 503, 403);
             Harness h = new Harness(b -> b)) {
            Recorded listener = new Recorded();
            FixedTokens tokens = new FixedTokens("t1", "t2", "t3", "t4", "t5");
            SeedShapeStream.Shape shape = SeedShapeStream.Shape.ANALYTICS_STREAM;
            try (SeedShapeStream stream = fast(shape, tokens).uri(server.uri(shape.path())).listener(listener).build()) {
                stream.start(h.pipeline);
                Harness.await(() -> !listener.failed.isEmpty(), WAIT, () -> "the terminal failure");
                assertInstanceOf(MissingPermissionException.class, listener.failed.get(0));
                assertEquals(5, server.connections());
                assertEquals(2, tokens.invalidated.get());
                assertEquals(2, stream.metrics().tokenRefreshes());
            }
        }
    }

    @Test
    void a403StopsForGood() throws Exception {
        try (LoopbackWsServer server = LoopbackWsServer.refusing(403);
             Harness h = new Harness(b -> b)) {
            Recorded listener = new Recorded();
            FixedTokens tokens = new FixedTokens("token-a");
            SeedShapeStream.Shape shape = SeedShapeStream.Shape.ANALYTICS_STREAM;
            try (SeedShapeStream stream = fast(shape, tokens).uri(server.uri(shape.path())).listener(listener).build()) {
                stream.start(h.pipeline);
                Harness.await(() -> !listener.failed.isEmpty(), WAIT, () -> "the terminal failure");
                Thread.sleep(300);
                MissingPermissionException e = assertInstanceOf(MissingPermissionException.class, listener.failed.get(0));
                assertEquals(403, e.statusCode().orElseThrow());
                assertEquals(1, server.connections(), "no retry after a 403");
                assertEquals(0, tokens.invalidated.get(), "a 403 is not the token's fault");
                assertEquals(1, listener.failed.size());
            }
        }
    }

    @Test
    void badCredentialsFromTheTokenProviderStopForGoodWithoutAHandshake() throws Exception {
        try (LoopbackWsServer server = LoopbackWsServer.refusing(500);
             Harness h = new Harness(b -> b)) {
            Recorded listener = new Recorded();
            TokenProvider refusing = new TokenProvider() {
                @Override
                public AccessToken token() {
                    throw new BadCredentialsException("the login server refused the client", 401, null, null);
                }

                @Override
                public void invalidate(AccessToken seenBad) {
                }
            };
            SeedShapeStream.Shape shape = SeedShapeStream.Shape.ANALYTICS_STREAM;
            try (SeedShapeStream stream = fast(shape, refusing).uri(server.uri(shape.path())).listener(listener).build()) {
                stream.start(h.pipeline);
                Harness.await(() -> !listener.failed.isEmpty(), WAIT, () -> "the terminal failure");
                Thread.sleep(100);
                assertInstanceOf(BadCredentialsException.class, stream.failure().orElseThrow());
                assertEquals(0, server.connections());
            }
        }
    }

    @Test
    void transientFailuresAreRetriedWithBackoffUntilTheFeedAnswers() throws Exception {
        List<Notification> docs = ContactCenterScenario.builder().seed(3).conversations(5).build().shapeADocuments();
        try (GenesysCloudSimulator sim = Harness.simulator().analyticsStream(docs).build();
             LoopbackWsServer failing = LoopbackWsServer.refusing(503);
             Harness h = new Harness(b -> b)) {
            ClientCredentialsTokenProvider real = Harness.tokens(sim);
            AtomicInteger asked = new AtomicInteger();
            TokenProvider flaky = new TokenProvider() {
                @Override
                public AccessToken token() {
                    if (asked.incrementAndGet() <= 2) {
                        throw new UnreachableException("login server unreachable (test)", 1, null);
                    }
                    return real.token();
                }

                @Override
                public void invalidate(AccessToken seenBad) {
                    real.invalidate(seenBad);
                }
            };
            Recorded listener = new Recorded();
            SeedShapeStream.Shape shape = SeedShapeStream.Shape.ANALYTICS_STREAM;
            try (SeedShapeStream stream = fast(shape, flaky).uri(Harness.seedUri(sim, shape)).listener(listener).build()) {
                stream.start(h.pipeline);
                // The listener hears connected() just after the socket counts as connected: await the
                // call itself, not isConnected(), or the list may still be empty when read.
                Harness.await(() -> !listener.connected.isEmpty(), WAIT, () -> "a connection after two token failures");
                assertTrue(stream.isConnected());
                assertEquals(2, listener.disconnected.size(), listener.disconnected.toString());
                assertTrue(listener.disconnected.get(0).contains("unreachable"), listener.disconnected.toString());
                assertEquals(List.of(1), listener.connected);
                assertEquals(2, stream.metrics().connectFailures());
                sim.play();
                Harness.await(() -> stream.metrics().eventsDelivered() == docs.size(), WAIT, stream::toString);
            }
            // A 503 on the handshake is retried too (and never a terminal failure).
            Recorded other = new Recorded();
            try (SeedShapeStream stream = fast(shape, real).uri(failing.uri(shape.path())).listener(other).build()) {
                stream.start(h.pipeline);
                Harness.await(() -> failing.connections() >= 3, WAIT, () -> "retries against the 503");
                assertTrue(other.failed.isEmpty());
                assertTrue(other.disconnected.get(0).contains("503"), other.disconnected.toString());
            }
            // The session makes one handshake at a time, so at most the one already on its way when
            // close() ran may still reach the server, however late (the session aborts such a socket
            // on open). Any attempt beyond that one would be a reconnect after close: the backoff here
            // (5 to 50 ms) would make ten or more of them in the half second watched.
            int atClose = failing.connections();
            Thread.sleep(500);
            assertTrue(failing.connections() <= atClose + 1, "no reconnect after close: " + atClose
                    + " connections when close() returned, " + failing.connections() + " half a second later");
        }
    }

    @ParameterizedTest(name = "slow store: {0}")
    @ValueSource(booleans = {false, true})
    void reconnectsAfterDropsAndExpiredTokensKeepingEveryDeliveredEvent(boolean slowStore) throws Exception {
        ContactCenterScenario scenario = ContactCenterScenario.builder().seed(21).conversations(300)
                .arrivalRatePerSecond(5).build();
        List<Notification> batches = scenario.shapeBMessages();
        Faults faults = Faults.builder().seed(4).frameSplit(0.3).dropSocket(0.004).dropSocketMidFrame(0.004)
                .duplicate(0.03).build();
        // With a slow store and a small ring the stream is paused much of the time, so drops also
        // land while it holds input and reads nothing.
        Harness.GatedStore store = new Harness.GatedStore();
        store.delayMillis = slowStore ? 2 : 0;
        try (GenesysCloudSimulator sim = Harness.simulator().streamingEvents(batches).faults(faults).build();
             Harness h = new Harness(store, b -> slowStore ? b.ringCapacity(32).batchSize(4) : b.ringCapacity(512))) {
            Recorded listener = new Recorded();
            SeedShapeStream.Shape shape = SeedShapeStream.Shape.STREAMING_EVENTS;
            SeedShapeStream stream = fast(shape, Harness.tokens(sim)).uri(Harness.seedUri(sim, shape)).listener(listener)
                    .pingInterval(Duration.ofMillis(400)).build();
            try {
                stream.start(h.pipeline);
                // One slot at a time, each only once the stream is subscribed on a socket: a drop costs
                // nothing the stream could have read, and the faults (drawn per message per socket from
                // the seed) fall on the same messages however fast the machine is. Every token is
                // revoked twice on the way, at a third and at two thirds, so a later reconnect meets a
                // 401 first. The second revocation waits until the first one's fresh token has its
                // socket: revoking that token while its handshake is on the way would rightly be a
                // second 401 in a row, the terminal failure (it raced when revocations were timed).
                int slots = sim.scheduledCount();
                int revoked = 0;
                do {
                    if (revoked < 2 && sim.position() >= slots * (revoked + 1) / 3
                            && stream.metrics().tokenRefreshes() >= revoked && stream.isConnected()) {
                        sim.expireTokens();
                        revoked++;
                    }
                    Harness.await(() -> sim.seedSockets(Delivery.Route.STREAMING_EVENTS) == 1, WAIT,
                            () -> "a subscribed socket to publish to: " + stream.metrics() + " " + sim.stats());
                } while (sim.step());
                awaitQuiet(stream, sim, h.store, listener);
            } finally {
                stream.close();
            }
            h.closePipeline();
            SimulatorStats s = sim.stats();
            SeedShapeStream.Metrics m = stream.metrics();
            long drops = s.socketsDropped() + s.socketsDroppedMidFrame();
            assertTrue(s.socketsDropped() > 0 && s.socketsDroppedMidFrame() > 0 && s.tokenExpiriesInjected() > 0, s.toString());
            assertEquals(s.socketsOpened(), m.connects(), m.toString());
            assertEquals(s.socketsOpened() - 1, m.disconnects(), "every socket but the last one ended: " + m);
            assertTrue(m.disconnects() >= drops && m.disconnects() <= drops + m.pingsUnanswered(), m + " " + s);
            assertTrue(m.tokenRefreshes() > 0 && s.socketsRejected() == m.tokenRefreshes(), m + " " + s);
            assertEquals(s.socketsOpened(), listener.connected.size());
            assertTrue(listener.failed.isEmpty());

            // What the simulator wrote: delivered (whole), lost (cut off by a drop), or not sent (no socket).
            Set<TimelineEvent> delivered = new HashSet<>();
            Set<TimelineEvent> deliveredOrLost = new HashSet<>();
            Map<Long, Delivery> lastOnSocket = new java.util.HashMap<>();
            for (Delivery d : sim.deliveries()) {
                List<TimelineEvent> carries = sim.notification(d).carries();
                if (d.outcome() == Delivery.Outcome.DELIVERED) {
                    delivered.addAll(carries);
                    lastOnSocket.put(d.connectionId(), d);
                }
                if (d.outcome() != Delivery.Outcome.NO_SOCKET) {
                    deliveredOrLost.addAll(carries);
                }
            }
            // The JDK WebSocket sometimes loses the last message written before the peer closed TCP
            // (onError with an InternalError; see the README): only those may be missing.
            long lastSocket = lastOnSocket.keySet().stream().mapToLong(Long::longValue).max().orElse(-1);
            Set<TimelineEvent> atRisk = new HashSet<>();
            lastOnSocket.forEach((socket, d) -> {
                if (socket != lastSocket) {
                    atRisk.addAll(sim.notification(d).carries());
                }
            });
            Set<TimelineEvent> stored = new HashSet<>();
            for (String id : scenario.conversationIds()) {
                Timeline t = h.store.timeline(id);
                stored.addAll(t.events());
                if (!t.isEmpty()) {
                    assertEquals(Harness.fold(t), h.finalStates.get(id), "state of " + id);
                }
            }
            Set<TimelineEvent> missing = new HashSet<>(delivered);
            missing.removeAll(stored);
            assertTrue(atRisk.containsAll(missing), "delivered but not stored, beyond the JDK's last-message loss: "
                    + missing.stream().filter(e -> !atRisk.contains(e)).toList());
            assertTrue(deliveredOrLost.containsAll(stored), "nothing stored that was not sent");
            assertTrue(Harness.timelines(stored).size() > 250, "most conversations were seen");
            assertTrue(m.rejected(RejectReason.MALFORMED_JSON) <= drops, "only documents cut off by a drop are rejected: " + m);
            assertEquals(m.rejected(), m.rejected(RejectReason.MALFORMED_JSON));
            if (slowStore) {
                // The slow store must really have paused the stream while drops happened. How often
                // depends on the machine's speed at that moment (CI saw 4 once), so any pause counts.
                assertTrue(m.pauses() > 0, m.toString());
            }
        }
    }

    /**
     * Waits until the stream sits on a live subscribed socket with nothing held, has stored every
     * event of every message written to a socket that did not end abruptly (the live one: whatever
     * is still on its way would otherwise be cut off by close()), and its listener heard every
     * connect. (Waiting for 300 ms without messages instead let a reader stalled that long lose the
     * rest of the live socket's messages.)
     */
    private static void awaitQuiet(SeedShapeStream stream, GenesysCloudSimulator sim, dev.gctimeline.core.TimelineStore store,
                                   Recorded listener) {
        Harness.await(() -> {
            SeedShapeStream.Metrics m = stream.metrics();
            if (m.eventsPending() != 0 || !stream.isConnected() || sim.seedSockets(Delivery.Route.STREAMING_EVENTS) != 1
                    || listener.connected.size() != m.connects()) {
                return false;
            }
            Set<Long> abrupt = sim.abruptCloses().keySet();
            Map<String, Set<TimelineEvent>> wanted = new java.util.HashMap<>();
            for (Delivery d : sim.deliveries()) {
                if (d.outcome() == Delivery.Outcome.DELIVERED && !abrupt.contains(d.connectionId())) {
                    for (TimelineEvent e : sim.notification(d).carries()) {
                        wanted.computeIfAbsent(e.conversationId(), k -> new HashSet<>()).add(e);
                    }
                }
            }
            for (Map.Entry<String, Set<TimelineEvent>> e : wanted.entrySet()) {
                if (!store.timeline(e.getKey()).events().containsAll(e.getValue())) {
                    return false;
                }
            }
            return true;
        }, WAIT, () -> stream.metrics() + " " + sim.stats());
    }

    @Test
    void aSilentSocketIsPingedThenReplaced() throws Exception {
        String doc = "{\"conversationId\":\"c-1\",\"type\":\"statusChange\",\"data\":{\"status\":\"active\"},"
                + "\"timestamp\":\"2026-11-22T10:00:00Z\"}";
        // This peer sends one message, then reads but never answers: not even the ping's pong.
        try (LoopbackWsServer server = LoopbackWsServer.sending(LoopbackWsServer.frame(1, doc.getBytes(StandardCharsets.UTF_8)));
             Harness h = new Harness(b -> b)) {
            Recorded listener = new Recorded();
            SeedShapeStream.Shape shape = SeedShapeStream.Shape.ANALYTICS_STREAM;
            try (SeedShapeStream stream = fast(shape, new FixedTokens("t")).uri(server.uri(shape.path()))
                    .pingInterval(Duration.ofMillis(100)).listener(listener).build()) {
                stream.start(h.pipeline);
                // Every socket is sent the message. On a slow machine the first may be given up before
                // its message is read (its silence is counted from the connect), so await the read too.
                Harness.await(() -> server.connections() >= 2 && stream.metrics().eventsDelivered() >= 1, WAIT,
                        () -> "a new socket after the silent one, and its message read: " + server.connections()
                                + " connections, " + stream.metrics());
                assertTrue(stream.metrics().pingsUnanswered() >= 1, stream.metrics().toString());
                assertTrue(listener.disconnected.get(0).contains("no answer to a ping"), listener.disconnected.toString());
            }
        }
        // A quiet peer that answers pings keeps its socket. The second ping proves the first was
        // answered in time: a ping goes out only once the one before it was answered, and an
        // unanswered one drops the socket. A pong gets a whole second, so only a stall of that
        // length (not the machine's speed) could drop this socket.
        try (LoopbackWsServer server = LoopbackWsServer.answeringPings();
             Harness h = new Harness(b -> b)) {
            SeedShapeStream.Shape shape = SeedShapeStream.Shape.ANALYTICS_STREAM;
            try (SeedShapeStream stream = fast(shape, new FixedTokens("t")).uri(server.uri(shape.path()))
                    .pingInterval(Duration.ofSeconds(1)).build()) {
                stream.start(h.pipeline);
                Harness.await(() -> server.pongs() >= 2, WAIT, () -> "two pings answered: " + server.pongs()
                        + " pongs, " + server.connections() + " connections, " + stream.metrics());
                assertEquals(0, stream.metrics().pingsUnanswered(), stream.metrics().toString());
                assertEquals(1, server.connections());
                assertTrue(stream.isConnected());
            }
        }
    }

    @Test
    void aBinaryMessageIsRejectedAndTheTextAfterItDecoded() throws Exception {
        String doc = "{\"conversationId\":\"c-1\",\"type\":\"statusChange\",\"data\":{\"status\":\"active\"},"
                + "\"timestamp\":\"2026-11-22T10:00:00Z\"}";
        try (LoopbackWsServer server = LoopbackWsServer.sending(LoopbackWsServer.frame(2, new byte[] {1, 2, 3}),
                LoopbackWsServer.frame(1, doc.getBytes(StandardCharsets.UTF_8)));
             Harness h = new Harness(b -> b)) {
            SeedShapeStream.Shape shape = SeedShapeStream.Shape.ANALYTICS_STREAM;
            try (SeedShapeStream stream = fast(shape, new FixedTokens("t")).uri(server.uri(shape.path())).build()) {
                stream.start(h.pipeline);
                Harness.await(() -> stream.metrics().eventsDelivered() == 1, WAIT, stream::toString);
                assertEquals(1, stream.metrics().rejected(RejectReason.UNKNOWN_SHAPE));
                assertEquals(1, h.pipeline.metrics().rejected(RejectReason.UNKNOWN_SHAPE));
            }
        }
    }

    @Test
    void whereToConnectIsValidated() {
        FixedTokens t = new FixedTokens("t");
        SeedShapeStream.Shape a = SeedShapeStream.Shape.ANALYTICS_STREAM;
        assertThrows(IllegalArgumentException.class, () -> SeedShapeStream.builder(a, t).uri(URI.create("ws://example.com/x")));
        assertThrows(IllegalArgumentException.class, () -> SeedShapeStream.builder(a, t).uri(URI.create("https://example.com/x")));
        IllegalArgumentException q = assertThrows(IllegalArgumentException.class,
                () -> SeedShapeStream.builder(a, t).uri(URI.create("wss://example.com/x?access_token=" + SECRET_TOKEN)));
        assertFalse(q.getMessage().contains(SECRET_TOKEN), q.getMessage());
        IllegalArgumentException u = assertThrows(IllegalArgumentException.class,
                () -> SeedShapeStream.builder(a, t).uri(URI.create("wss://user:" + SECRET_TOKEN + "@example.com/x")));
        assertFalse(u.getMessage().contains(SECRET_TOKEN), u.getMessage());
        assertThrows(IllegalStateException.class, () -> SeedShapeStream.builder(a, t).build());
        SeedShapeStream.builder(a, t).uri(URI.create("ws://127.0.0.1:1/x")).build().close();
        SeedShapeStream.builder(a, t).uri(URI.create("ws://[::1]:1/x")).build().close();
        SeedShapeStream s = SeedShapeStream.builder(SeedShapeStream.Shape.STREAMING_EVENTS, t)
                .endpoints(GenesysEndpoints.builder().api("https://api.mypurecloud.ie").login("https://login.mypurecloud.ie")
                        .streaming("wss://streaming.mypurecloud.ie").build()).build();
        assertEquals("SeedShapeStream[STREAMING_EVENTS, wss://api.mypurecloud.ie/api/v2/streaming/events]", s.toString());
        s.close();
        try (Harness h = new Harness(b -> b)) {
            assertThrows(IllegalStateException.class, () -> s.start(h.pipeline), "closed: not startable");
        }
        assertThrows(IllegalArgumentException.class, () -> SeedShapeStream.builder(a, t).subscribeEvents(List.of()));
        assertThrows(IllegalArgumentException.class,
                () -> SeedShapeStream.builder(a, t).reconnectBackoff(Duration.ofSeconds(2), Duration.ofSeconds(1)));
    }
}
