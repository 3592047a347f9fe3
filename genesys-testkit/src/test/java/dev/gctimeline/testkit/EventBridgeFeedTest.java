package dev.gctimeline.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gctimeline.core.TimelineEvent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** EventBridge records wrap the same detail events, and the feed repeats and reorders them deterministically. */
class EventBridgeFeedTest {
    private static final ContactCenterScenario SCENARIO = ContactCenterScenario.builder().seed(31).conversations(120)
            .arrivalRatePerSecond(2).build();

    @Test
    @SuppressWarnings("unchecked")
    void recordsWrapTheWebSocketDetailEvents() {
        // A topic can carry several events (flow.outcome), so key by the event id.
        Map<Long, Notification> wsByEvent = new HashMap<>();
        for (Notification n : SCENARIO.notifications()) {
            if (n.topicName().startsWith("v2.detail.")) {
                assertEquals(null, wsByEvent.put(n.carries().get(0).eventId(), n), "detail event ids unique");
            }
        }
        List<Notification> records = SCENARIO.eventBridgeRecords();
        assertEquals(wsByEvent.size(), records.size());
        ReferenceDecoder decoder = new ReferenceDecoder();
        Set<String> ids = new HashSet<>();
        for (Notification r : records) {
            Map<String, Object> o = JsonTree.object(r.json());
            assertEquals("0", o.get("version"));
            assertTrue(ids.add((String) o.get("id")), "record ids unique");
            assertEquals(r.topicName(), o.get("detail-type"));
            String suffix = r.topicName().substring(("v2.detail.events.conversation." + r.conversationId() + ".").length());
            assertTrue(((String) o.get("source")).startsWith("aws.partner/genesys.com/cloud/"));
            assertTrue(((String) o.get("source")).endsWith("/" + suffix));
            Map<String, Object> detail = (Map<String, Object>) o.get("detail");
            assertEquals(r.topicName(), detail.get("topicName"));
            assertTrue(detail.get("timestamp") instanceof String);
            Notification ws = wsByEvent.get(r.carries().get(0).eventId());
            assertEquals(r.topicName(), ws.topicName());
            assertEquals(JsonTree.object(ws.json()).get("eventBody"), detail.get("eventBody"), "the same body");
            assertEquals(ws.carries(), r.carries());
            assertEquals(r.carries(), decoder.eventBridge(r.json()));
            assertEquals(ws.sendAtMillis(), r.sendAtMillis());
        }
    }

    @Test
    void feedDuplicatesAndReordersDeterministically() {
        List<Notification> records = SCENARIO.eventBridgeRecords();
        EventBridgeFeed a = EventBridgeFeed.builder(records).seed(4).duplicateRate(0.2).reorderWindow(10).build();
        EventBridgeFeed b = EventBridgeFeed.builder(records).seed(4).duplicateRate(0.2).reorderWindow(10).build();
        EventBridgeFeed c = EventBridgeFeed.builder(records).seed(5).duplicateRate(0.2).reorderWindow(10).build();
        assertEquals(a.deliveries(), b.deliveries());
        assertNotEquals(a.deliveries(), c.deliveries());
        assertTrue(a.duplicates() > records.size() / 10 && a.duplicates() < records.size() * 3 / 10, "about 20%");
        assertEquals(records.size() + a.duplicates(), a.deliveries().size());
        assertNotEquals(records, a.deliveries().subList(0, records.size()), "reordered");

        Map<Notification, Integer> count = new IdentityHashMap<>();
        Map<Notification, Integer> firstAt = new IdentityHashMap<>();
        for (int i = 0; i < a.deliveries().size(); i++) {
            Notification n = a.deliveries().get(i);
            count.merge(n, 1, Integer::sum);
            firstAt.putIfAbsent(n, i);
        }
        assertEquals(records.size(), count.size(), "every record delivered");
        int twice = 0;
        for (int i = 0; i < records.size(); i++) {
            int n = count.get(records.get(i));
            assertTrue(n == 1 || n == 2);
            twice += n - 1;
            // Each record first arrives near where it was published (window plus the duplicates ahead of it).
            assertTrue(Math.abs(firstAt.get(records.get(i)) - i) <= 10 + a.duplicates(), "displacement bounded");
        }
        assertEquals(a.duplicates(), twice);

        List<TimelineEvent> delivered = new ArrayList<>();
        a.deliveries().forEach(n -> delivered.addAll(n.carries()));
        List<TimelineEvent> published = new ArrayList<>();
        records.forEach(n -> published.addAll(n.carries()));
        assertEquals(new HashSet<>(published), new HashSet<>(delivered), "nothing lost");
    }

    @Test
    void noFaultsMeansPublicationOrderAndScenarioFeedUsesItsSeed() {
        List<Notification> records = SCENARIO.eventBridgeRecords();
        assertEquals(records, EventBridgeFeed.builder(records).duplicateRate(0).reorderWindow(0).build().deliveries());
        assertEquals(EventBridgeFeed.builder(records).seed(31).duplicateRate(0.1).reorderWindow(3).build().deliveries(),
                SCENARIO.eventBridgeFeed(0.1, 3).deliveries());
        assertThrows(IllegalArgumentException.class, () -> EventBridgeFeed.builder(records).duplicateRate(1.5));
        assertThrows(IllegalArgumentException.class, () -> EventBridgeFeed.builder(records).reorderWindow(-1));
    }
}
