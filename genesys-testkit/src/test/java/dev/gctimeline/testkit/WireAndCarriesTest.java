package dev.gctimeline.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.gctimeline.core.Timeline;
import dev.gctimeline.core.TimelineEvent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Every notification is valid JSON in the Genesys envelope shape, names its conversation consistently,
 * and carries exactly what an independent decoder (ReferenceDecoder, reading only the JSON text) makes
 * of it; the union of the carries of a conversation is its truth.
 */
class WireAndCarriesTest {
    private static final ContactCenterScenario SCENARIO = ContactCenterScenario.builder().seed(7).conversations(300)
            .arrivalRatePerSecond(3).build();

    @Test
    void everyNotificationIsAnEnvelopeOfItsConversation() {
        long previous = Long.MIN_VALUE;
        Set<String> ids = new HashSet<>(SCENARIO.conversationIds());
        for (Notification n : SCENARIO.notifications()) {
            assertTrue(n.sendAtMillis() >= previous, "send order");
            previous = n.sendAtMillis();
            Map<String, Object> env = JsonTree.object(n.json());
            assertEquals(List.of("topicName", "version", "eventBody", "metadata"), new ArrayList<>(env.keySet()));
            assertEquals(n.topicName(), env.get("topicName"));
            assertEquals("2", env.get("version"));
            assertNotNull(((Map<?, ?>) env.get("metadata")).get("CorrelationId"));
            assertTrue(ids.contains(n.conversationId()));
            @SuppressWarnings("unchecked")
            Map<String, Object> body = (Map<String, Object>) env.get("eventBody");
            String topic = n.topicName();
            if (topic.startsWith("v2.detail.events.conversation.")) {
                assertTrue(topic.startsWith("v2.detail.events.conversation." + n.conversationId() + "."), topic);
                assertEquals(n.conversationId(), body.get("conversationId"));
                assertTrue(body.get("eventTime") instanceof JsonTree.Num, "detail eventTime is epoch ms");
                assertEquals(1, n.carries().size());
            } else if (topic.endsWith(".transcription")) {
                assertEquals("v2.conversations." + n.conversationId() + ".transcription", topic);
                assertEquals(n.conversationId(), body.get("conversationId"));
                assertTrue(body.get("eventTime") instanceof String, "transcription eventTime is ISO");
            } else {
                assertTrue(topic.matches("v2\\.(routing\\.queues|users)\\.[0-9a-f-]+\\.conversations"), topic);
                assertEquals(n.conversationId(), body.get("id"));
            }
            for (TimelineEvent e : n.carries()) {
                assertEquals(n.conversationId(), e.conversationId());
            }
        }
    }

    @Test
    void carriesAreWhatAnIndependentDecoderMakesOfTheJson() {
        ReferenceDecoder decoder = new ReferenceDecoder();
        Map<String, List<TimelineEvent>> decodedByConversation = new LinkedHashMap<>();
        Map<String, List<TimelineEvent>> carriedByConversation = new LinkedHashMap<>();
        int snapshotCopies = 0;
        int emptyDecodes = 0;
        for (Notification n : SCENARIO.notifications()) {
            List<TimelineEvent> decoded = decoder.envelope(n.json());
            boolean snapshot = n.topicName().endsWith(".conversations");
            if (snapshot) {
                snapshotCopies++;
                // The decoder emits a state's events on the first copy it sees; every copy carries them.
                if (decoded.isEmpty()) {
                    emptyDecodes++;
                } else {
                    assertEquals(set(n.carries()), set(decoded), n.json());
                }
            } else {
                assertEquals(n.carries(), decoded, n.json());
            }
            decodedByConversation.computeIfAbsent(n.conversationId(), k -> new ArrayList<>()).addAll(decoded);
            carriedByConversation.computeIfAbsent(n.conversationId(), k -> new ArrayList<>()).addAll(n.carries());
        }
        assertTrue(emptyDecodes > 0 && emptyDecodes < snapshotCopies, "copies and repeats exist");
        for (String id : SCENARIO.conversationIds()) {
            Timeline truth = SCENARIO.truth(id);
            assertEquals(truth, Timeline.of(id, decodedByConversation.get(id)), id);
            assertEquals(truth, Timeline.of(id, carriedByConversation.get(id)), id);
        }
    }

    @Test
    void eventIdsAreUniqueExceptForTheSameFactCarriedTwice() {
        Map<String, Map<Long, TimelineEvent>> seen = new HashMap<>();
        for (Notification n : SCENARIO.notifications()) {
            Map<Long, TimelineEvent> ids = seen.computeIfAbsent(n.conversationId(), k -> new HashMap<>());
            for (TimelineEvent e : n.carries()) {
                TimelineEvent before = ids.putIfAbsent(e.eventId(), e);
                if (before != null && !before.equals(e)) {
                    fail("two different events share id " + Long.toHexString(e.eventId()) + ":\n" + before + "\n" + e);
                }
            }
        }
        for (String id : SCENARIO.conversationIds()) {
            assertEquals(seen.get(id).size(), SCENARIO.truth(id).size(), "truth holds each distinct event once");
        }
    }

    @Test
    void detailEnumsAreUpperCaseSnapshotsLowerCase() {
        boolean sawTransferConsult = false;
        for (Notification n : SCENARIO.notifications()) {
            if (n.topicName().startsWith("v2.detail.")) {
                Map<String, Object> body = body(n);
                for (String k : List.of("mediaType", "direction", "disconnectType")) {
                    Object v = body.get(k);
                    if (v != null) {
                        assertEquals(((String) v).toUpperCase(java.util.Locale.ROOT), v, k);
                    }
                }
            } else if (n.topicName().endsWith(".conversations")) {
                sawTransferConsult |= n.json().contains("\"disconnectType\":\"transfer.consult\"");
                assertTrue(!n.json().contains("\"direction\":\"INBOUND\"") && !n.json().contains("\"state\":\"CONNECTED\""));
                assertTrue(n.json().contains("\"connectedTime\":\"20"), "ISO times in snapshots");
            }
        }
        assertTrue(sawTransferConsult, "consult transfers in 300 conversations");
    }

    @Test
    void multiByteTextReachesTheWire() {
        boolean umlaut = false;
        boolean cjk = false;
        boolean emoji = false;
        for (Notification n : SCENARIO.notifications()) {
            if (n.topicName().endsWith(".transcription")) {
                String j = n.json();
                umlaut |= j.indexOf('ü') >= 0 || j.indexOf('ö') >= 0;
                cjk |= j.codePoints().anyMatch(c -> c >= 0x3040 && c <= 0x9FFF);
                emoji |= j.codePoints().anyMatch(c -> c >= 0x1F300);
            }
        }
        assertTrue(umlaut && cjk && emoji, "transcripts carry umlauts, CJK and emoji");
    }

    @Test
    void snapshotsArePublishedOnQueueAndUserTopicsWithRepeats() {
        Map<String, Integer> copies = new HashMap<>();
        int users = 0;
        int queues = 0;
        for (Notification n : SCENARIO.notifications()) {
            if (n.topicName().startsWith("v2.users.")) {
                users++;
            } else if (n.topicName().startsWith("v2.routing.queues.")) {
                queues++;
            } else {
                continue;
            }
            copies.merge(n.conversationId() + "|" + body(n).hashCode(), 1, Integer::sum);
        }
        assertTrue(users > 0 && queues > 0);
        assertTrue(copies.values().stream().anyMatch(c -> c > 2), "some state seen more than twice (repeat)");
        for (ScenarioConversation c : SCENARIO.conversations()) {
            assertTrue(c.topics().contains("v2.routing.queues." + c.queueId() + ".conversations"));
            for (String user : c.userIds()) {
                assertTrue(c.topics().contains("v2.users." + user + ".conversations"), user);
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> body(Notification n) {
        return (Map<String, Object>) JsonTree.object(n.json()).get("eventBody");
    }

    private static Set<TimelineEvent> set(List<TimelineEvent> events) {
        return new HashSet<>(events);
    }
}
