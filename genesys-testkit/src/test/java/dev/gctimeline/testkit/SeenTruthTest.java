package dev.gctimeline.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gctimeline.core.Timeline;
import dev.gctimeline.core.TimelineEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * {@code truthSeenThroughSubscriptions()}: what a correct client makes of exactly the delivered
 * notifications, checked against the independent {@link ReferenceDecoder} fed the same deliveries in
 * log order. Snapshots are the case that needs care: their events are differences to the previous
 * snapshot seen, so a lost or overtaken one changes what the next one yields.
 */
class SeenTruthTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @Test
    void everythingDeliveredInOrderIsTheScenarioTruth() throws Exception {
        ContactCenterScenario s = ContactCenterScenario.builder().seed(5).conversations(12).build();
        try (GenesysCloudSimulator sim = GenesysCloudSimulator.builder().feed(s).heartbeatInterval(Duration.ZERO).build()) {
            Rest rest = new Rest(sim);
            String token = rest.login();
            Rest.ChannelInfo ch = rest.createChannel(token);
            Set<String> topics = new HashSet<>();
            s.conversations().forEach(c -> topics.addAll(c.topics()));
            rest.subscribeOk(token, ch.id(), new ArrayList<>(topics));
            JdkWs.connect(rest.http, ch.connectUri());
            sim.awaitConnected(ch.id(), WAIT);
            sim.play();
            Map<String, Timeline> seen = sim.truthSeenThroughSubscriptions();
            assertEquals(s.conversationIds().size(), seen.size());
            for (String id : s.conversationIds()) {
                assertEquals(s.truth(id), seen.get(id), id);
            }
        }
    }

    @Test
    void lostAndOvertakenSnapshotsAreReplayedAsAClientSawThem() throws Exception {
        ContactCenterScenario s = ContactCenterScenario.builder().seed(6).conversations(30).build();
        Faults faults = Faults.builder().seed(3).reorder(0.2, 4).duplicate(0.1).build();
        try (GenesysCloudSimulator sim = GenesysCloudSimulator.builder().feed(s).faults(faults)
                .heartbeatInterval(Duration.ZERO).build()) {
            Rest rest = new Rest(sim);
            String token = rest.login();
            Rest.ChannelInfo ch = rest.createChannel(token);
            // Queue snapshots and every detail topic, no user topics: a lost queue snapshot is lost.
            List<String> topics = new ArrayList<>();
            s.conversations().forEach(c -> c.topics().stream().filter(t -> !t.startsWith("v2.users.")).forEach(topics::add));
            rest.subscribeOk(token, ch.id(), new ArrayList<>(new HashSet<>(topics)));
            JdkWs ws = JdkWs.connect(rest.http, ch.connectUri());
            sim.awaitConnected(ch.id(), WAIT);
            long first = s.notifications().get(0).sendAtMillis();
            long last = s.notifications().get(s.notifications().size() - 1).sendAtMillis();
            long third = (last - first) / 3;
            sim.publishUntil(first + third);
            ws.abort();
            sim.dropSocket(ch.id());
            sim.publishUntil(first + 2 * third); // lost: no socket
            JdkWs.connect(rest.http, ch.connectUri());
            sim.awaitConnected(ch.id(), WAIT);
            sim.play();

            ReferenceDecoder reference = new ReferenceDecoder();
            Map<String, List<TimelineEvent>> expected = new LinkedHashMap<>();
            int lostSnapshots = 0;
            for (Delivery d : sim.deliveries()) {
                Notification n = sim.notification(d);
                if (d.outcome() != Delivery.Outcome.DELIVERED) {
                    lostSnapshots += n.topicName().startsWith("v2.routing.queues.") ? 1 : 0;
                    continue;
                }
                for (TimelineEvent e : reference.envelope(n.json())) {
                    expected.computeIfAbsent(e.conversationId(), k -> new ArrayList<>()).add(e);
                }
            }
            assertTrue(lostSnapshots > 0, "the test lost snapshots");
            assertTrue(sim.stats().reorderedScheduled() > 0);
            Map<String, Timeline> seen = sim.truthSeenThroughSubscriptions();
            assertEquals(expected.keySet(), seen.keySet());
            int differFromCarries = 0;
            for (Map.Entry<String, List<TimelineEvent>> e : expected.entrySet()) {
                Timeline want = Timeline.of(e.getKey(), e.getValue());
                assertEquals(want, seen.get(e.getKey()), e.getKey());
                if (!want.equals(deliveredCarries(sim, e.getKey()))) {
                    differFromCarries++;
                }
            }
            assertTrue(differFromCarries > 0, "some conversation's truth depends on which snapshots arrived");
        }
    }

    /** The naive truth: the union of what each delivered message carries (right only when nothing is missed). */
    private static Timeline deliveredCarries(GenesysCloudSimulator sim, String conversationId) {
        List<TimelineEvent> out = new ArrayList<>();
        for (Delivery d : sim.deliveries()) {
            Notification n = sim.notification(d);
            if (d.outcome() == Delivery.Outcome.DELIVERED && conversationId.equals(n.conversationId())) {
                out.addAll(n.carries());
            }
        }
        return Timeline.of(conversationId, out);
    }
}
