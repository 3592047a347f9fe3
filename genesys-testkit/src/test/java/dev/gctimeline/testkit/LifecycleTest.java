package dev.gctimeline.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Heartbeats, ping/pong and the system notices, seen by a JDK WebSocket client. */
class LifecycleTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String HEARTBEAT = "{\"topicName\":\"channel.metadata\",\"eventBody\":{\"message\":\"WebSocket Heartbeat\"}}";
    private static final String PONG = "{\"topicName\":\"channel.metadata\",\"eventBody\":{\"message\":\"pong\"}}";

    private record Connected(GenesysCloudSimulator sim, Rest rest, String token, String channelId, JdkWs ws) {
    }

    private static Connected connect(GenesysCloudSimulator sim, List<String> topics) {
        Rest rest = new Rest(sim);
        String token = rest.login();
        Rest.ChannelInfo ch = rest.createChannel(token);
        if (!topics.isEmpty()) {
            rest.subscribeOk(token, ch.id(), topics);
        }
        JdkWs ws = JdkWs.connect(rest.http, ch.connectUri());
        sim.awaitConnected(ch.id(), WAIT);
        return new Connected(sim, rest, token, ch.id(), ws);
    }

    @Test
    void heartbeatsArriveAtTheConfiguredInterval() throws Exception {
        try (GenesysCloudSimulator sim = GenesysCloudSimulator.builder().heartbeatInterval(Duration.ofMillis(50)).build()) {
            Connected c = connect(sim, List.of());
            List<String> beats = c.ws().take(3, m -> true, WAIT);
            assertEquals(List.of(HEARTBEAT, HEARTBEAT, HEARTBEAT), beats);
            // counted once written: the client may read the third before the server counts it
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (sim.stats().heartbeatsSent() < 3 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertTrue(sim.stats().heartbeatsSent() >= 3);
            assertEquals(0, sim.stats().heartbeatsMissed());
        }
    }

    @Test
    void theMissedHeartbeatFaultSilencesTicks() throws Exception {
        Faults faults = Faults.builder().missedHeartbeat(1.0).build();
        try (GenesysCloudSimulator sim = GenesysCloudSimulator.builder().heartbeatInterval(Duration.ofMillis(20))
                .faults(faults).build()) {
            Connected c = connect(sim, List.of());
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (sim.stats().heartbeatsMissed() < 5 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertTrue(sim.stats().heartbeatsMissed() >= 5);
            assertEquals(0, sim.stats().heartbeatsSent());
            assertTrue(c.ws().messages.isEmpty(), "no heartbeat reached the client");
        }
    }

    @Test
    void aClientPingIsAnsweredWithPong() throws Exception {
        try (GenesysCloudSimulator sim = GenesysCloudSimulator.builder().heartbeatInterval(Duration.ZERO).build()) {
            Connected c = connect(sim, List.of());
            c.ws().sendText("{\"message\":\"ping\"}");
            assertEquals(PONG, c.ws().next(WAIT));
            c.ws().sendText("{\"message\":\"something else\"}");
            c.ws().sendText("not json");
            // The server handles a socket's messages in order: when the answer to a second ping is
            // back, the two messages before it were handled, and an answer to them would have come first.
            c.ws().sendText("{\"message\":\"ping\"}");
            assertEquals(PONG, c.ws().next(WAIT), "only a ping gets an answer");
            assertNull(c.ws().next(Duration.ofMillis(200)), "only a ping gets an answer");
            // a pong is counted once written: the client may read it before the server counts it
            Await.until(() -> sim.stats().pongsSent() >= 2, () -> sim.stats().toString());
            assertEquals(2, sim.stats().pongsSent());
            assertEquals(1, sim.stats().clientMessagesRejected(), "the non-JSON message is counted");
        }
    }

    @Test
    void socketClosingIsFollowedByACloseAfterTheDelay() throws Exception {
        // The delay is real time. A machine so loaded that the notification was not even published
        // within it proves nothing either way, so that round is repeated with four times the delay.
        long delayMs = 400;
        while (!socketClosingRound(delayMs)) {
            assertTrue(delayMs < 25_600, "could not publish within a " + delayMs + " ms socket_closing delay");
            delayMs *= 4;
        }
    }

    /** True when every check passed; false when publishing took longer than the delay (inconclusive). */
    private static boolean socketClosingRound(long delayMs) throws Exception {
        List<Notification> ns = Envelopes.conversations(1);
        try (GenesysCloudSimulator sim = GenesysCloudSimulator.builder().heartbeatInterval(Duration.ZERO)
                .socketClosingDelay(Duration.ofMillis(delayMs)).feed(new ListFeed(ns)).build()) {
            Connected c = connect(sim, List.of(ns.get(0).topicName()));
            long sent = System.nanoTime();
            assertTrue(sim.sendSocketClosing(c.channelId()));
            String notice = c.ws().next(WAIT);
            assertTrue(notice.startsWith("{\"topicName\":\"v2.system.socket_closing\""), notice);
            assertTrue(sim.step());
            // The close is scheduled inside sendSocketClosing, after 'sent': if step() returned within
            // the delay, its write came before the close could.
            if (System.nanoTime() - sent >= TimeUnit.MILLISECONDS.toNanos(delayMs)) {
                return false;
            }
            assertEquals(ns.get(0).json(), c.ws().next(WAIT), "the socket still delivers during the delay");
            assertEquals(1001, c.ws().closed.get(30, TimeUnit.SECONDS));
            assertTrue(System.nanoTime() - sent >= TimeUnit.MILLISECONDS.toNanos(delayMs), "not before the delay");
            assertEquals(1, sim.stats().socketClosingNotices());
            assertEquals(1, sim.stats().socketsClosedAfterNotice());
            assertFalse(sim.isConnected(c.channelId()));
            return true;
        }
    }

    @Test
    void noLongerSubscribedClearsTheChannelsTopics() throws Exception {
        List<Notification> ns = Envelopes.conversations(1);
        try (GenesysCloudSimulator sim = GenesysCloudSimulator.builder().heartbeatInterval(Duration.ZERO)
                .feed(new ListFeed(ns)).build()) {
            Connected c = connect(sim, List.of(ns.get(0).topicName(), ns.get(1).topicName()));
            assertTrue(sim.sendNoLongerSubscribed(c.channelId()));
            String notice = c.ws().next(WAIT);
            assertTrue(notice.startsWith("{\"topicName\":\"v2.system.no_longer_subscribed." + c.channelId() + "\""), notice);
            assertTrue(sim.subscriptions(c.channelId()).isEmpty());
            sim.play();
            assertNull(c.ws().next(Duration.ofMillis(200)));
            assertTrue(sim.deliveries().isEmpty(), "not subscribed any more: nothing to deliver or miss");
            assertEquals(1, sim.stats().noLongerSubscribedSent());
        }
    }

    @Test
    void tokenRevokedInvalidatesTheOwnersTokens() throws Exception {
        try (GenesysCloudSimulator sim = GenesysCloudSimulator.builder().heartbeatInterval(Duration.ZERO).build()) {
            Connected c = connect(sim, List.of());
            assertTrue(sim.sendTokenRevoked(c.channelId()));
            String notice = c.ws().next(WAIT);
            assertTrue(notice.startsWith("{\"topicName\":\"v2.system.token_revoked." + c.channelId() + "\""), notice);
            assertEquals(401, c.rest().call("POST", "/api/v2/notifications/channels", c.token(), "").statusCode());
            assertEquals(1, sim.stats().tokenRevokedSent());
            assertFalse(sim.sendTokenRevoked("streaming-unknown"));
        }
    }

    @Test
    void dropSocketClosesWithoutACloseFrame() throws Exception {
        try (GenesysCloudSimulator sim = GenesysCloudSimulator.builder().heartbeatInterval(Duration.ZERO).build()) {
            Connected c = connect(sim, List.of());
            assertTrue(sim.dropSocket(c.channelId()));
            try {
                int code = c.ws().closed.get(5, TimeUnit.SECONDS);
                assertEquals(1006, code, "an abrupt close is 1006 (no close frame) to the JDK client");
            } catch (java.util.concurrent.ExecutionException e) {
                // the JDK client may report the abrupt close as an error instead: also no close frame
                assertTrue(e.getCause() instanceof java.io.IOException, e.toString());
            }
            assertEquals(1, sim.stats().socketsDropped());
            assertFalse(sim.isConnected(c.channelId()));
        }
    }
}
