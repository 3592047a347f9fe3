package dev.gctimeline.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gctimeline.core.EventIds;
import dev.gctimeline.core.EventKind;
import dev.gctimeline.core.TimelineEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Shape A documents and shape B batches per seed-formats.md, carrying what docs/event-mapping.md says. */
class ScenarioSeedShapesTest {
    private static final ContactCenterScenario SCENARIO = ContactCenterScenario.builder().seed(41).conversations(150)
            .arrivalRatePerSecond(2).build();

    @Test
    @SuppressWarnings("unchecked")
    void shapeADocuments() {
        Map<String, List<Map<String, Object>>> byConversation = new HashMap<>();
        Set<String> types = new HashSet<>();
        long previous = Long.MIN_VALUE;
        for (Notification n : SCENARIO.shapeADocuments()) {
            assertNull(n.topicName());
            assertTrue(n.sendAtMillis() >= previous);
            previous = n.sendAtMillis();
            Map<String, Object> d = JsonTree.object(n.json());
            assertEquals(List.of("conversationId", "type", "data", "timestamp"), new ArrayList<>(d.keySet()));
            assertEquals(n.conversationId(), d.get("conversationId"));
            Instant.parse((String) d.get("timestamp"));
            types.add((String) d.get("type"));
            assertEquals(List.of(ReferenceDecoder.shapeA(n.json())), n.carries());
            byConversation.computeIfAbsent(n.conversationId(), k -> new ArrayList<>()).add(d);
        }
        assertEquals(Set.of("statusChange", "participants", "transcript", "metadata", "wrapup"), types);
        assertEquals(new HashSet<>(SCENARIO.conversationIds()), byConversation.keySet());
        for (ScenarioConversation c : SCENARIO.conversations()) {
            List<Map<String, Object>> docs = byConversation.get(c.conversationId());
            assertEquals("statusChange", docs.get(0).get("type"));
            assertEquals("active", ((Map<String, Object>) docs.get(0).get("data")).get("status"));
            long terminal = docs.stream().filter(d -> d.get("type").equals("statusChange")
                    && Set.of("completed", "ended").contains(((Map<String, Object>) d.get("data")).get("status"))).count();
            assertEquals(1, terminal, "exactly one terminal status");
        }
        // The content id: shape A has no id of its own.
        TimelineEvent e = SCENARIO.shapeADocuments().get(0).carries().get(0);
        assertEquals(TimelineEvent.builder(e.conversationId(), e.kind(), e.eventTime()).sourceType(e.sourceType())
                .state(e.state()).build().eventId(), e.eventId());
        assertEquals(EventKind.CONVERSATION_STATUS, e.kind());
    }

    @Test
    @SuppressWarnings("unchecked")
    void shapeBBatches() {
        long sequence = Long.MIN_VALUE;
        long previous = Long.MIN_VALUE;
        Set<String> ids = new HashSet<>();
        Set<String> types = new HashSet<>();
        int events = 0;
        for (Notification n : SCENARIO.shapeBMessages()) {
            assertNull(n.topicName());
            assertTrue(n.sendAtMillis() >= previous);
            previous = n.sendAtMillis();
            Map<String, Object> batch = JsonTree.object(n.json());
            assertEquals(Set.of("events"), batch.keySet());
            List<Map<String, Object>> list = (List<Map<String, Object>>) batch.get("events");
            assertTrue(list.size() >= 1 && list.size() <= 3);
            for (Map<String, Object> e : list) {
                assertEquals(List.of("id", "timestamp", "type", "sequence", "data"), new ArrayList<>(e.keySet()));
                long s = ((JsonTree.Num) e.get("sequence")).longValue();
                assertTrue(s > sequence, "sequence strictly increasing for the one sender");
                sequence = s;
                assertTrue(ids.add((String) e.get("id")), "ids unique");
                types.add((String) e.get("type"));
                assertEquals(n.conversationId(), ((Map<String, Object>) e.get("data")).get("interactionId"));
                events++;
            }
            List<TimelineEvent> decoded = ReferenceDecoder.shapeB(n.json());
            assertEquals(decoded, n.carries());
            for (int i = 0; i < decoded.size(); i++) {
                assertEquals(EventIds.ofSourceId((String) list.get(i).get("id")), decoded.get(i).eventId());
                assertEquals(((JsonTree.Num) list.get(i).get("sequence")).longValue(), decoded.get(i).sequence());
            }
        }
        assertTrue(events > SCENARIO.conversationIds().size() * 8);
        assertEquals(Set.of("interaction-participant-joined", "interaction-participant-left",
                "interaction-media-channel-added", "interaction-media-channel-removed", "interaction-updated",
                "interaction-wrapup"), types);
    }
}
