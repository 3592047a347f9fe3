package dev.gctimeline.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.gctimeline.auth.AccessToken;
import dev.gctimeline.auth.TokenProvider;
import dev.gctimeline.core.Timeline;
import dev.gctimeline.testkit.ContactCenterScenario;
import dev.gctimeline.testkit.Delivery;
import dev.gctimeline.testkit.GenesysCloudSimulator;
import dev.gctimeline.testkit.ManualClock;
import dev.gctimeline.testkit.ScenarioConversation;
import dev.gctimeline.auth.BadCredentialsException;
import dev.gctimeline.testkit.Faults;
import dev.gctimeline.testkit.Notification;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** The connection lifecycle against the testkit's simulated Genesys Cloud over a real loopback WebSocket. */
class GenesysEventStreamTest {

    static ContactCenterScenario scenario(long seed, int conversations) {
        return ContactCenterScenario.builder().seed(seed).conversations(conversations).build();
    }

    static String[] queues(ContactCenterScenario s) {
        return s.conversations().stream().map(ScenarioConversation::queueId).distinct().toArray(String[]::new);
    }

    static GenesysCloudSimulator.Builder simulator(ContactCenterScenario s) {
        return GenesysCloudSimulator.builder().client(StreamHarness.CLIENT, StreamHarness.SECRET).feed(s)
                .heartbeatInterval(Duration.ofMillis(200));
    }

    @Test
    void followsQueuesAndStoresExactlyWhatWasDelivered() throws Exception {
        ContactCenterScenario s = scenario(11, 40);
        try (GenesysCloudSimulator sim = simulator(s).build(); StreamHarness h = new StreamHarness(sim)) {
            GenesysEventStream stream = h.start(h.streamBuilder().queues(queues(s)));
            h.awaitQueuesSubscribed(queues(s));
            sim.playAt(200);
            Map<String, Timeline> truth = sim.truthSeenThroughSubscriptions();
            assertEquals(s.conversationIds().size(), truth.size(), "every conversation reached the client");
            h.assertStoreEventuallyEquals(truth, Duration.ofSeconds(30));
            StreamMetrics m = stream.metrics();
            assertEquals(40, m.follows(), "each conversation followed once");
            assertTrue(m.unfollows() <= m.follows());
            long detailDelivered = sim.deliveries().stream()
                    .filter(d -> d.outcome() == Delivery.Outcome.DELIVERED)
                    .filter(d -> sim.notification(d).topicName().startsWith("v2.detail.events.")).count();
            assertTrue(detailDelivered > 0, "auto-follow subscribed detail topics and they arrived");
            for (String id : s.conversationIds()) {
                assertTrue(h.store.timeline(id).size() > 0);
            }
            assertEquals(List.of(), h.failures);
            assertEquals(List.of(), h.gaps);
        }
    }

    /** Publishes the scenario from {@code from} to {@code to} (scenario ms) in steps, pausing between them. */
    static void pace(GenesysCloudSimulator sim, long from, long to, long stepMillis, long sleepMillis)
            throws InterruptedException {
        for (long t = from; t < to; t += stepMillis) {
            sim.publishUntil(Math.min(t + stepMillis, to));
            Thread.sleep(sleepMillis);
        }
    }

    static long first(ContactCenterScenario s) {
        return s.notifications().get(0).sendAtMillis();
    }

    static long last(ContactCenterScenario s) {
        List<Notification> ns = s.notifications();
        return ns.get(ns.size() - 1).sendAtMillis() + 1;
    }

    /** Every notification the simulator tried to deliver reached at least one socket. */
    static void assertNothingLostAnywhere(GenesysCloudSimulator sim) {
        Set<String> delivered = new HashSet<>();
        Set<String> attempted = new HashSet<>();
        for (Delivery d : sim.deliveries()) {
            String key = d.route() + ":" + d.index();
            attempted.add(key);
            if (d.outcome() == Delivery.Outcome.DELIVERED) {
                delivered.add(key);
            }
        }
        attempted.removeAll(delivered);
        assertEquals(Set.of(), attempted, "notifications that reached no socket at all");
    }

    @Test
    void socketClosingRotatesMakeBeforeBreakWithoutLosingAnEvent() throws Exception {
        ContactCenterScenario s = scenario(12, 30);
        // Genesys closes the socket about a minute after the notice; the stream releases it long before.
        // (A server that closes it while the rotation still runs makes a gap: the test below.)
        try (GenesysCloudSimulator sim = simulator(s).socketClosingDelay(Duration.ofSeconds(30)).build();
             StreamHarness h = new StreamHarness(sim)) {
            GenesysEventStream stream = h.start(h.streamBuilder().queues(queues(s)).rotationOverlap(Duration.ofMillis(100)));
            h.awaitQueuesSubscribed(queues(s));
            long mid = (first(s) + last(s)) / 2;
            pace(sim, first(s), mid, 5_000, 15);
            String old = sim.channelIds().stream().filter(sim::isConnected).findFirst().orElseThrow();
            assertTrue(sim.sendSocketClosing(old));
            StreamHarness.await(Duration.ofSeconds(30), () -> stream.metrics().rotations() == 1,
                    () -> "the rotation: " + stream.metrics());
            pace(sim, mid, last(s), 5_000, 15);
            h.assertStoreEventuallyEquals(sim.truthSeenThroughSubscriptions(), Duration.ofSeconds(30));
            assertNothingLostAnywhere(sim);
            assertEquals(1, stream.metrics().rotations());
            assertEquals(1, stream.metrics().socketClosings());
            assertEquals(List.of("socket_closing"), h.rotations);
            assertEquals(List.of(), h.gaps, "make-before-break leaves no gap");
            assertEquals(s.conversationIds().size(), sim.truthSeenThroughSubscriptions().size());
        }
    }

    /**
     * A server that closes the old socket right after its socket_closing notice, while the rotation
     * still creates and subscribes the new channel: what the old channel is sent meanwhile reaches no
     * socket. The stream handles that close only after the rotation (one control thread), and must
     * still report the window as a gap; it used to drop it silently (seen as lost notifications
     * outside every gap in the end-to-end test on a loaded machine).
     */
    @Test
    void anOldSocketClosedWhileItsRotationRunsIsReportedAsAGap() throws Exception {
        ContactCenterScenario s = scenario(20, 30);
        try (GenesysCloudSimulator sim = simulator(s).socketClosingDelay(Duration.ZERO).build();
             StreamHarness h = new StreamHarness(sim)) {
            GenesysEventStream stream = h.start(h.streamBuilder().queues(queues(s)).rotationOverlap(Duration.ofMillis(100)));
            h.awaitQueuesSubscribed(queues(s));
            long mid = (first(s) + last(s)) / 2;
            pace(sim, first(s), mid, 5_000, 15);
            String old = sim.channelIds().stream().filter(sim::isConnected).findFirst().orElseThrow();
            // The notice, then at once the close: the stream queues the rotation, then the close.
            assertTrue(sim.sendSocketClosing(old));
            pace(sim, mid, last(s), 5_000, 15); // publishing on through the rotation
            StreamHarness.await(Duration.ofSeconds(30), () -> stream.metrics().rotations() == 1 && !h.gaps.isEmpty(),
                    () -> "the rotation and a gap for the old socket: " + stream.metrics() + " " + h.gaps);
            h.assertStoreEventuallyEquals(sim.truthSeenThroughSubscriptions(), Duration.ofSeconds(30));
            assertEquals(1, h.gaps.size(), h.gaps.toString());
            StreamGap gap = h.gaps.get(0);
            assertEquals(dev.gctimeline.stream.internal.Channel.redact(old), gap.channel());
            assertEquals(0, gap.slot());
            assertTrue(!gap.from().isAfter(gap.to()), gap.toString());
            // Whatever reached no socket lies in that gap (there may be nothing: it depends on timing).
            assertEquals(List.of(), EndToEndUnderFaultsTest.lostOutsideGaps(sim, h.gaps));
            assertEquals(0, stream.metrics().reconnects(), "the rotation replaced the socket: " + stream.metrics());
            assertEquals(List.of(), h.failures);
        }
    }

    @Test
    void channelExpiryRotatesBeforeTheChannelDies() throws Exception {
        ContactCenterScenario s = scenario(13, 20);
        // Channel lifetimes and the stream's expiry check both run on this clock, and the test moves
        // it: 600 ms at a time, each step past the current channel's rotation point (0.5 s into its
        // 2 s) and short of its end, and the next step only once the rotation happened. So a channel
        // can only die after the stream left it, however long a rotation takes on this machine (on
        // real time a rotation slower than 1.5 s let the channel die under the stream: a gap).
        ManualClock clock = ManualClock.at(Instant.now());
        try (GenesysCloudSimulator sim = simulator(s).clock(clock).channelLifetime(Duration.ofSeconds(2)).build();
             StreamHarness h = new StreamHarness(sim)) {
            GenesysEventStream stream = h.start(h.streamBuilder().queues(queues(s)).clock(clock)
                    .rotateBeforeExpiry(Duration.ofMillis(1_500)).rotationOverlap(Duration.ofMillis(100)));
            h.awaitQueuesSubscribed(queues(s));
            long from = first(s);
            long quarter = (last(s) - from) / 4;
            for (int k = 1; k <= 3; k++) {
                clock.advance(Duration.ofMillis(600));
                pace(sim, from, from + quarter, 5_000, 15); // publishing while the stream rotates
                from += quarter;
                int rotations = k;
                StreamHarness.await(Duration.ofSeconds(30), () -> stream.metrics().rotations() >= rotations,
                        () -> rotations + " rotations at " + clock + ": " + stream.metrics());
            }
            pace(sim, from, last(s), 5_000, 15);
            h.assertStoreEventuallyEquals(sim.truthSeenThroughSubscriptions(), Duration.ofSeconds(30));
            assertNothingLostAnywhere(sim);
            assertEquals(3, stream.metrics().rotations(), "one rotation per step");
            assertTrue(h.rotations.stream().allMatch(r -> r.startsWith("channel expires")), h.rotations.toString());
            assertEquals(List.of(), h.gaps);
        }
    }

    @Test
    void anAbruptDropIsReportedAsAGapAndOnlyItsEventsAreMissing() throws Exception {
        ContactCenterScenario s = scenario(14, 30);
        try (GenesysCloudSimulator sim = simulator(s).build(); StreamHarness h = new StreamHarness(sim)) {
            // A 3 s heartbeat timeout (the simulator beats every 200 ms): should the JDK miss the drop,
            // the watchdog notices it in seconds, not the default 75 s.
            GenesysEventStream stream = h.start(h.streamBuilder().queues(queues(s))
                    .backoff(Duration.ofMillis(300), Duration.ofMillis(600)).heartbeatTimeout(Duration.ofSeconds(3)));
            h.awaitQueuesSubscribed(queues(s));
            long mid = (first(s) + last(s)) / 2;
            pace(sim, first(s), mid, 5_000, 15);
            String old = sim.channelIds().stream().filter(sim::isConnected).findFirst().orElseThrow();
            // Publish while no socket is open: Genesys queues nothing, so these are lost to the stream.
            // The reconnect is held until they are published: the first backoff may be close to 0 ms,
            // and a reconnect that beat the publishing left nothing in the gap.
            CountDownLatch publishedIntoTheGap = new CountDownLatch(1);
            h.holdReconnects = publishedIntoTheGap;
            assertTrue(sim.dropSocket(old));
            sim.publishUntil(mid + 60_000);
            publishedIntoTheGap.countDown();
            StreamHarness.await(Duration.ofSeconds(30), () -> stream.metrics().gaps() == 1,
                    () -> "the gap reported after the reconnect: " + stream.metrics());
            pace(sim, mid + 60_000, last(s), 5_000, 15);

            Map<String, Timeline> seen = sim.truthSeenThroughSubscriptions();
            h.assertStoreEventuallyEquals(seen, Duration.ofSeconds(30));
            assertEquals(1, h.gaps.size(), "one gap reported");
            StreamGap gap = h.gaps.get(0);
            // Exactly the notifications no socket received are missing, and all of them fall in the gap.
            Set<String> delivered = new HashSet<>();
            for (Delivery d : sim.deliveries()) {
                if (d.outcome() == Delivery.Outcome.DELIVERED) {
                    delivered.add(d.route() + ":" + d.index());
                }
            }
            int lost = 0;
            for (Delivery d : sim.deliveries()) {
                if (!delivered.contains(d.route() + ":" + d.index())) {
                    lost++;
                    assertTrue(d.atMillis() >= gap.from().toEpochMilli() && d.atMillis() <= gap.to().toEpochMilli(),
                            "undelivered at " + d.atMillis() + " outside the reported gap " + gap);
                }
            }
            assertTrue(lost > 0, "the test published into the gap");
            assertTrue(stream.metrics().reconnects() >= 1);
        }
    }

    @Test
    void aSilentSocketIsGivenUpByTheWatchdog() throws Exception {
        ContactCenterScenario s = scenario(15, 5);
        try (GenesysCloudSimulator sim = simulator(s).faults(Faults.builder().missedHeartbeat(1.0).build()).build();
             StreamHarness h = new StreamHarness(sim)) {
            GenesysEventStream stream = h.start(h.streamBuilder().queues(queues(s))
                    .heartbeatTimeout(Duration.ofMillis(400)).pingAfter(Duration.ofSeconds(30)));
            sim.awaitOpenSockets(1, Duration.ofSeconds(30));
            StreamHarness.await(Duration.ofSeconds(30), () -> stream.metrics().heartbeatTimeouts() >= 1
                    && stream.metrics().connects() >= 2, () -> "the watchdog and a reconnect: " + stream.metrics());
            assertTrue(stream.metrics().heartbeatTimeouts() >= 1);
            assertTrue(stream.metrics().connects() >= 2, "reconnected after the watchdog fired");
            assertTrue(sim.stats().heartbeatsMissed() > 0);
        }
    }

    @Test
    void pingsKeepAQuietSocketAlive() throws Exception {
        ContactCenterScenario s = scenario(16, 5);
        try (GenesysCloudSimulator sim = simulator(s).faults(Faults.builder().missedHeartbeat(1.0).build()).build();
             StreamHarness h = new StreamHarness(sim)) {
            // The stream's watchdog reads this clock, so the test decides how much time passes between
            // a ping and its pong, not the machine: 5.1 s pass in steps of 150 ms, each step once the
            // step before has had its ping answered. Without pings this socket would be given up after
            // 2 s of silence (the test above).
            ManualClock clock = ManualClock.at(Instant.now());
            GenesysEventStream stream = h.start(h.streamBuilder().queues(queues(s)).clock(clock)
                    .heartbeatTimeout(Duration.ofMillis(2_000)).pingAfter(Duration.ofMillis(150)));
            sim.awaitOpenSockets(1, Duration.ofSeconds(30));
            for (int step = 0; step < 34; step++) {
                long pongs = sim.stats().pongsSent();
                clock.advance(Duration.ofMillis(150));
                StreamHarness.await(Duration.ofSeconds(30), () -> sim.stats().pongsSent() > pongs,
                        () -> "a ping answered after " + clock + ": " + stream.metrics());
            }
            assertEquals(0, stream.metrics().heartbeatTimeouts());
            assertEquals(1, stream.metrics().connects());
            assertTrue(sim.stats().pongsSent() >= 34);
        }
    }

    /**
     * A pong waits behind every message the server wrote before it. A socket still delivering
     * messages is alive however long its pong takes (a backlog on a busy machine); only silence
     * after a ping counts. Before this rule a socket was dropped once the pong was late, losing
     * everything in flight (the end-to-end test lost 7 conversations' events so on a loaded machine).
     */
    @Test
    void aSocketThatKeepsDeliveringIsNotGivenUpForALatePong() throws Exception {
        byte[] heartbeat = LoopbackWsServer.frame(1, ("{\"topicName\":\"channel.metadata\",\"eventBody\":"
                + "{\"message\":\"WebSocket Heartbeat\"}}").getBytes(StandardCharsets.UTF_8));
        // A peer that writes a heartbeat every 10 ms and never answers a ping (as if each pong sat
        // behind a backlog that never drains), behind a scripted channels API.
        try (LoopbackWsServer ws = LoopbackWsServer.streamingUntilQuiet(heartbeat, 10);
             ScriptedChannelsApi api = new ScriptedChannelsApi(ws.uri("/channels/streaming-pong-test"));
             Harness h = new Harness(b -> b)) {
            List<Throwable> causes = new CopyOnWriteArrayList<>();
            GenesysEventStream stream = GenesysEventStream.builder().apiBase(api.base())
                    .tokens(new OneToken()).queues("q1").tick(Duration.ofMillis(20))
                    .pingAfter(Duration.ofMillis(50)).pongTimeout(Duration.ofSeconds(1))
                    .heartbeatTimeout(Duration.ofSeconds(30)).backoff(Duration.ofMillis(50), Duration.ofMillis(100))
                    .listener(new StreamListener() {
                        @Override
                        public void reconnecting(int slot, int attempt, Duration delay, Throwable cause) {
                            causes.add(cause);
                        }
                    }).build();
            try {
                stream.start(h.pipeline);
                StreamHarness.await(Duration.ofSeconds(30), () -> ws.textPings() >= 2,
                        () -> "two pings unanswered at once: " + ws.textPings() + " seen, " + stream.metrics());
                // Two and a half pong timeouts' worth of unanswered pings while messages keep arriving
                // (only a second without any message, a stalled reader, could give the socket up).
                Thread.sleep(2_500);
                assertEquals(0, stream.metrics().heartbeatTimeouts(), "a delivering socket was given up: " + causes);
                assertEquals(1, ws.connections());
                assertEquals(1, stream.metrics().connects());

                // Silent now: the unanswered ping gives the socket up after the pong timeout.
                ws.goQuiet();
                StreamHarness.await(Duration.ofSeconds(30), () -> stream.metrics().heartbeatTimeouts() >= 1,
                        () -> "the silent socket given up: " + stream.metrics());
                StreamHarness.await(Duration.ofSeconds(30), () -> !causes.isEmpty(), () -> "a reconnect");
                assertTrue(causes.get(0).getMessage().startsWith("no pong for "), causes.toString());
            } finally {
                stream.close();
            }
        }
    }

    /** A token provider for scripted servers: one token, forever. */
    private static final class OneToken implements TokenProvider {
        private final AccessToken token = new AccessToken("scripted-token", Instant.now().plusSeconds(3_600));

        @Override
        public AccessToken token() {
            return token;
        }

        @Override
        public void invalidate(AccessToken seenBad) {
        }
    }

    /** The notifications API on a loopback JDK HttpServer: one channel at {@code connectUri}, every other call 200. */
    private static final class ScriptedChannelsApi implements AutoCloseable {
        private final HttpServer server;

        ScriptedChannelsApi(URI connectUri) throws IOException {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            String channel = connectUri.getPath().substring(connectUri.getPath().lastIndexOf('/') + 1);
            server.createContext("/", ex -> {
                ex.getRequestBody().readAllBytes();
                boolean create = ex.getRequestMethod().equals("POST")
                        && ex.getRequestURI().getPath().equals("/api/v2/notifications/channels");
                byte[] body = (create ? "{\"id\":\"" + channel + "\",\"connectUri\":\"" + connectUri + "\"}"
                        : "{\"entities\":[]}").getBytes(StandardCharsets.UTF_8);
                ex.getResponseHeaders().add("Content-Type", "application/json");
                ex.sendResponseHeaders(200, body.length);
                ex.getResponseBody().write(body);
                ex.close();
            });
            server.start();
        }

        URI base() {
            return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }

    @Test
    void expiredTokensAndRateLimitsOnChannelCreationAreRecoveredFrom() throws Exception {
        ContactCenterScenario s = scenario(17, 20);
        try (GenesysCloudSimulator sim = simulator(s).retryAfter(Duration.ZERO).build();
             StreamHarness h = new StreamHarness(sim)) {
            sim.rateLimitNextApiCalls(3);
            GenesysEventStream stream = h.start(h.streamBuilder().queues(queues(s)));
            h.awaitQueuesSubscribed(queues(s));
            assertTrue(stream.metrics().reconnects() >= 1, "429s were retried");
            long issued = sim.stats().tokensIssued();
            sim.expireTokens(); // every follow subscription from here on meets a 401 first, refreshes, goes through
            pace(sim, first(s), last(s), 5_000, 15);
            h.assertStoreEventuallyEquals(sim.truthSeenThroughSubscriptions(), Duration.ofSeconds(30));
            assertEquals(issued + 1, sim.stats().tokensIssued(), "exactly one new token after expiry");
            assertEquals(s.conversationIds().size(), stream.metrics().follows());
            assertEquals(List.of(), h.failures);
        }
    }

    @Test
    void badCredentialsStopTheStreamInsteadOfLooping() throws Exception {
        ContactCenterScenario s = scenario(18, 2);
        try (GenesysCloudSimulator sim = GenesysCloudSimulator.builder().client(StreamHarness.CLIENT, "another-secret")
                .feed(s).build(); StreamHarness h = new StreamHarness(sim)) {
            GenesysEventStream stream = h.start(h.streamBuilder().queues(queues(s)));
            StreamHarness.await(Duration.ofSeconds(30), () -> !h.failures.isEmpty(), () -> "the failure: " + stream.metrics());
            assertEquals(1, h.failures.size());
            assertTrue(h.failures.get(0) instanceof BadCredentialsException, h.failures.toString());
            assertTrue(stream.failure() instanceof BadCredentialsException);
            Thread.sleep(300);
            assertEquals(0, stream.metrics().reconnects(), "no retry loop");
            assertEquals(0, sim.openSockets());
            assertTrue(!h.failures.get(0).getMessage().contains(StreamHarness.SECRET));
        }
    }

    @Test
    void topicsSpreadOverSeveralChannelsAndUnfollowFreesRoom() throws Exception {
        ContactCenterScenario s = scenario(19, 40);
        try (GenesysCloudSimulator sim = simulator(s).build(); StreamHarness h = new StreamHarness(sim)) {
            // 60 topics a channel: 3 queue topics, then 3 conversations of 17 topics each.
            GenesysEventStream stream = h.start(h.streamBuilder().queues(queues(s)).topicsPerChannel(60)
                    .unfollowGrace(Duration.ofMillis(50)));
            h.awaitQueuesSubscribed(queues(s));
            pace(sim, first(s), last(s), 5_000, 25);
            h.assertStoreEventuallyEquals(sim.truthSeenThroughSubscriptions(), Duration.ofSeconds(30));
            StreamMetrics m = stream.metrics();
            assertTrue(m.connects() >= 2, "follows needed more than one channel: " + m);
            assertEquals(s.conversationIds().size(), m.follows());
            StreamHarness.await(Duration.ofSeconds(30), () -> stream.metrics().unfollows() == m.follows(),
                    () -> m.follows() + " unfollows: " + stream.metrics());
            assertEquals(m.follows(), stream.metrics().unfollows(), "ended conversations were unfollowed");
            for (String id : sim.channelIds()) {
                assertTrue(sim.subscriptions(id).size() <= 60, "channel over its topic budget");
            }
        }
    }
}
