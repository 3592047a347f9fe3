package dev.gctimeline.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A bounded delivery log keeps the newest entries and refuses to compute a truth from part of it. */
class DeliveryLogLimitTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @Test
    void pastItsLimitTheLogKeepsTheNewestEntriesAndTheTruthRefusesToGuess() throws Exception {
        List<Notification> ns = new ArrayList<>(Envelopes.conversations(5));
        List<String> topics = new ArrayList<>();
        for (Notification n : ns) {
            if (!topics.contains(n.topicName())) {
                topics.add(n.topicName());
            }
        }
        try (GenesysCloudSimulator sim = GenesysCloudSimulator.builder().feed(new ListFeed(ns))
                .heartbeatInterval(Duration.ZERO).deliveryLogLimit(4).build()) {
            Rest rest = new Rest(sim);
            String token = rest.login();
            Rest.ChannelInfo ch = rest.createChannel(token);
            rest.subscribeOk(token, ch.id(), topics);
            JdkWs ws = JdkWs.connect(rest.http, ch.connectUri());
            sim.awaitConnected(ch.id(), WAIT);
            assertFalse(sim.deliveryLogTruncated());

            sim.play();
            assertEquals(ns.size(), ws.take(ns.size(), m -> true, WAIT).size(), "delivery itself is not limited");
            assertTrue(ns.size() > 4, "fixture: more notifications than the limit");

            List<Delivery> log = sim.deliveries();
            assertEquals(4, log.size());
            for (int i = 0; i < 4; i++) {
                assertEquals(ns.size() - 4 + i, log.get(i).sequence(), "the newest entries, in order");
            }
            assertTrue(sim.deliveryLogTruncated());
            IllegalStateException e = assertThrows(IllegalStateException.class, sim::truthSeenThroughSubscriptions);
            assertTrue(e.getMessage().contains("deliveryLogLimit"), e.getMessage());
            assertThrows(IllegalStateException.class, () -> sim.undeliverable(ch.id()));
        }
    }

    @Test
    void aLimitBelowOneIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> GenesysCloudSimulator.builder().deliveryLogLimit(0));
    }
}
