package dev.gctimeline.stream;

import static dev.gctimeline.stream.Feed.assertSameEvents;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gctimeline.core.TimelineEvent;
import dev.gctimeline.testkit.ContactCenterScenario;
import dev.gctimeline.testkit.Notification;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The decoder and the testkit's ground truth agree on every message of whole scenarios: each
 * WebSocket notification, EventBridge record and seed-shape message decodes to exactly the events
 * the scenario says it carries (docs/event-mapping.md is the contract both follow). Snapshots are
 * diffs against what this decoder already emitted, so the second copy of a state (queue topic and
 * user topic) emits nothing: for them the union per conversation must be equal, and each message
 * may only emit what it carries.
 */
class ScenarioCrossCheckTest {

    private static final class Recorder {
        final List<TimelineEvent> events = new ArrayList<>();
        final List<String> rejections = new ArrayList<>();
        final NotificationDecoder decoder = NotificationDecoder.builder(events::add)
                .rejects((reason, detail) -> rejections.add(reason + ": " + detail)).build();

        List<TimelineEvent> decode(Notification n) {
            events.clear();
            assertTrue(decoder.onText(n.json(), true), "a recording sink never pauses");
            return List.copyOf(events);
        }
    }

    private static boolean isSnapshot(String topic) {
        return topic.startsWith("v2.routing.queues.") || topic.startsWith("v2.users.");
    }

    @ParameterizedTest(name = "seed {0}, {1} conversations")
    @CsvSource({"42, 300", "7, 2000"})
    void everyMessageDecodesToExactlyWhatItCarries(long seed, int conversations) {
        ContactCenterScenario scenario = ContactCenterScenario.builder().seed(seed).conversations(conversations).build();

        // WebSocket notifications: detail events and transcription exactly; snapshots by union.
        Recorder ws = new Recorder();
        Map<String, Set<TimelineEvent>> snapshotCarried = new LinkedHashMap<>();
        Map<String, Set<TimelineEvent>> snapshotDecoded = new LinkedHashMap<>();
        int details = 0;
        int transcriptions = 0;
        int snapshots = 0;
        for (Notification n : scenario.notifications()) {
            List<TimelineEvent> got = ws.decode(n);
            String where = n.topicName() + " " + n.json();
            if (isSnapshot(n.topicName())) {
                snapshots++;
                snapshotCarried.computeIfAbsent(n.conversationId(), k -> new HashSet<>()).addAll(n.carries());
                snapshotDecoded.computeIfAbsent(n.conversationId(), k -> new HashSet<>()).addAll(got);
                assertTrue(new HashSet<>(n.carries()).containsAll(got), "a snapshot emitted what it does not carry: " + where);
            } else {
                if (n.topicName().endsWith(".transcription")) {
                    transcriptions++;
                } else {
                    details++;
                }
                assertEquals(n.carries().size(), got.size(), where);
                assertSameEvents(n.carries(), got, where);
            }
        }
        assertEquals(List.of(), ws.rejections);
        assertEquals(0, ws.decoder.unknownTopics());
        assertEquals(scenario.notifications().size(), ws.decoder.documents());
        assertTrue(details > conversations && transcriptions > 0 && snapshots > conversations,
                details + " detail events, " + transcriptions + " transcriptions, " + snapshots + " snapshots");
        assertEquals(snapshotCarried.keySet(), snapshotDecoded.keySet());
        for (String id : snapshotCarried.keySet()) {
            assertSameEvents(new ArrayList<>(snapshotCarried.get(id)), new ArrayList<>(snapshotDecoded.get(id)),
                    "snapshot events of " + id);
        }

        // EventBridge records, each exactly.
        Recorder eb = new Recorder();
        List<Notification> records = scenario.eventBridgeRecords();
        for (Notification n : records) {
            assertSameEvents(n.carries(), eb.decode(n), "EventBridge " + n.json());
        }
        assertEquals(List.of(), eb.rejections);
        assertEquals(records.size(), eb.decoder.documents());
        assertFalse(records.isEmpty());

        // Seed shape A, one document per message; seed shape B, one batch per message.
        for (List<Notification> shape : List.of(scenario.shapeADocuments(), scenario.shapeBMessages())) {
            Recorder r = new Recorder();
            long carried = 0;
            for (Notification n : shape) {
                assertSameEvents(n.carries(), r.decode(n), n.json());
                carried += n.carries().size();
            }
            assertEquals(List.of(), r.rejections);
            assertEquals(carried, r.decoder.eventsDecoded());
            assertTrue(carried >= conversations, "every conversation has seed-shape events");
        }
    }
}
