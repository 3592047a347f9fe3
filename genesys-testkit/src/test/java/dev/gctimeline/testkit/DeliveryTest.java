package dev.gctimeline.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gctimeline.core.Timeline;
import dev.gctimeline.core.TimelineEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Token -> channel -> subscribe -> connect -> exactly the subscribed notifications, with a real JDK client. */
class DeliveryTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    private static List<Notification> feedWithSnapshots() {
        List<Notification> ns = new ArrayList<>(Envelopes.conversations(5));
        for (int i = 0; i < 5; i++) {
            String c = String.format("c-%03d", i);
            ns.add(Envelopes.queueSnapshot(i % 2 == 0 ? "q-even" : "q-odd", c, Envelopes.T0 + i * 1000L + 200));
        }
        ns.sort((a, b) -> Long.compare(a.sendAtMillis(), b.sendAtMillis()));
        return ns;
    }

    @Test
    void receivesExactlyTheSubscribedNotificationsInSendOrder() throws Exception {
        List<Notification> ns = feedWithSnapshots();
        try (GenesysCloudSimulator sim = GenesysCloudSimulator.builder().feed(new ListFeed(ns))
                .heartbeatInterval(Duration.ZERO).build()) {
            Rest rest = new Rest(sim);
            String token = rest.login();
            Rest.ChannelInfo ch = rest.createChannel(token);
            assertTrue(ch.id().startsWith("streaming-"), ch.id());
            assertEquals(sim.webSocketUri() + "/channels/" + ch.id(), ch.connectUri());
            List<String> topics = List.of(
                    Envelopes.detailTopic("c-000", "customer.start"),
                    Envelopes.detailTopic("c-002", "customer.start"),
                    Envelopes.detailTopic("c-004", "customer.start"),
                    Envelopes.detailTopic("c-001", "attributes"),
                    "v2.routing.queues.q-even.conversations");
            rest.subscribeOk(token, ch.id(), topics);
            JdkWs ws = JdkWs.connect(rest.http, ch.connectUri());
            sim.awaitConnected(ch.id(), WAIT);

            sim.play();

            List<String> expected = new ArrayList<>();
            for (Notification n : ns) {
                if (topics.contains(n.topicName())) {
                    expected.add(n.json());
                }
            }
            assertEquals(7, expected.size(), "fixture: 3 starts, 1 attributes, 3 q-even snapshots of 15");
            assertEquals(expected, ws.take(expected.size(), m -> true, WAIT));
            assertNull(ws.next(Duration.ofMillis(300)), "nothing beyond the subscribed notifications");

            List<Delivery> log = sim.deliveries(ch.id());
            assertEquals(expected.size(), log.size());
            for (Delivery d : log) {
                assertEquals(Delivery.Outcome.DELIVERED, d.outcome());
                assertTrue(topics.contains(ns.get(d.index()).topicName()));
            }
            assertEquals(expected.size(), sim.stats().notificationsDelivered());

            Map<String, Timeline> seen = sim.truthSeenThroughSubscriptions();
            assertEquals(Set.of("c-000", "c-001", "c-002", "c-004"), seen.keySet());
            List<TimelineEvent> c1 = seen.get("c-001").events();
            assertEquals(1, c1.size());
            assertEquals("attributes", c1.get(0).sourceType());
        }
    }

    @Test
    void nothingIsQueuedForAChannelWithoutSocketAndEveryGapIsLogged() throws Exception {
        ManualClock clock = ManualClock.at(Instant.parse("2026-11-22T10:00:00Z"));
        List<Notification> ns = Envelopes.conversations(4); // 8 notifications, c-000..c-003
        try (GenesysCloudSimulator sim = GenesysCloudSimulator.builder().feed(new ListFeed(ns)).clock(clock)
                .heartbeatInterval(Duration.ZERO).build()) {
            Rest rest = new Rest(sim);
            String token = rest.login();
            Rest.ChannelInfo ch = rest.createChannel(token);
            List<String> topics = new ArrayList<>();
            for (Notification n : ns) {
                topics.add(n.topicName());
            }
            rest.subscribeOk(token, ch.id(), topics);

            // No socket yet: the first conversation's two notifications are published into the void.
            assertEquals(2, sim.publishUntil(Envelopes.T0 + 500));
            clock.advance(Duration.ofSeconds(7));
            JdkWs ws = JdkWs.connect(rest.http, ch.connectUri());
            sim.awaitConnected(ch.id(), WAIT);
            sim.play();

            List<String> expected = new ArrayList<>();
            for (int i = 2; i < ns.size(); i++) {
                expected.add(ns.get(i).json());
            }
            assertEquals(expected, ws.take(expected.size(), m -> true, WAIT));
            assertNull(ws.next(Duration.ofMillis(200)), "the gap is not replayed");

            List<Delivery> gaps = sim.undeliverable(ch.id());
            assertEquals(2, gaps.size());
            assertEquals(0, gaps.get(0).index());
            assertEquals(1, gaps.get(1).index());
            for (Delivery d : gaps) {
                assertEquals(Delivery.Outcome.NO_SOCKET, d.outcome());
                assertEquals(-1, d.connectionId());
                assertEquals(Instant.parse("2026-11-22T10:00:00Z").toEpochMilli(), d.atMillis());
            }
            assertEquals(2, sim.stats().notificationsNoSocket());
            assertEquals(6, sim.stats().notificationsDelivered());
            assertEquals(Set.of("c-001", "c-002", "c-003"), sim.truthSeenThroughSubscriptions().keySet());
        }
    }

    @Test
    void aSecondSocketOnTheSameChannelDropsTheFirst() throws Exception {
        List<Notification> ns = Envelopes.conversations(1);
        try (GenesysCloudSimulator sim = GenesysCloudSimulator.builder().feed(new ListFeed(ns))
                .heartbeatInterval(Duration.ZERO).build()) {
            Rest rest = new Rest(sim);
            String token = rest.login();
            Rest.ChannelInfo ch = rest.createChannel(token);
            rest.subscribeOk(token, ch.id(), List.of(ns.get(0).topicName(), ns.get(1).topicName()));
            JdkWs first = JdkWs.connect(rest.http, ch.connectUri());
            sim.awaitConnected(ch.id(), WAIT);
            JdkWs second = JdkWs.connect(rest.http, ch.connectUri());

            assertEquals(1000, first.closed.get(5, TimeUnit.SECONDS), "the first socket is closed");
            assertEquals(1, sim.stats().socketsReplaced());
            sim.play();
            assertEquals(List.of(ns.get(0).json(), ns.get(1).json()), second.take(2, m -> true, WAIT));
            assertTrue(first.messages.isEmpty());
            for (Delivery d : sim.deliveries(ch.id())) {
                assertEquals(Delivery.Outcome.DELIVERED, d.outcome());
            }
        }
    }

    @Test
    void notificationsWithoutTopicAreCountedUnroutable() {
        Notification bare = new Notification(Envelopes.T0, null, "c-x", "{\"x\":1}", List.of());
        try (GenesysCloudSimulator sim = GenesysCloudSimulator.builder().feed(new ListFeed(List.of(bare)))
                .heartbeatInterval(Duration.ZERO).build()) {
            sim.play();
            assertEquals(1, sim.stats().unroutable());
            assertTrue(sim.deliveries().isEmpty());
        }
    }
}
