package dev.gctimeline.store.influx;

import dev.gctimeline.core.ConversationState;
import dev.gctimeline.core.ConversationSummary;
import dev.gctimeline.core.EventKind;
import dev.gctimeline.core.Timeline;
import dev.gctimeline.core.TimelineEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Everything written to a real InfluxDB 1.x comes back from {@code timeline()} exactly, once. */
@ExtendWith(InfluxServer.Extension.class)
class InfluxRoundTripTest {

    private static InfluxTimelineStore store(InfluxServer influx, String db) {
        return InfluxTimelineStore.create(InfluxConfig.builder().url(influx.url()).database(db).build());
    }

    @Test
    void tenThousandNastyEventsComeBackExactlyAndWritingTwiceAddsNoPoint(InfluxServer influx) {
        String db = influx.newDatabase("roundtrip");
        List<TimelineEvent> events = TestEvents.generate(42, 500, 20);
        Map<String, Timeline> expected = TestEvents.timelines(events);
        try (InfluxTimelineStore store = store(influx, db)) {
            store.append(events);
            assertEquals(events.size(), influx.countPoints(db, "timeline_event", "eventId"));
            assertEquals(2, store.metrics().writeRequests(), "10,000 lines in batches of 5,000");
            assertEquals(10_000, store.metrics().pointsWritten());
            assertEquals(0, store.metrics().rejectedEvents());

            for (Map.Entry<String, Timeline> e : expected.entrySet()) {
                Timeline actual = store.timeline(e.getKey());
                assertEquals(e.getValue().events(), actual.events(), () -> "timeline of " + e.getKey());
                for (int i = 0; i < actual.size(); i++) {
                    TimelineEvent want = e.getValue().events().get(i);
                    TimelineEvent got = actual.events().get(i);
                    assertEquals(want.attributes(), got.attributes());
                    assertEquals(want.lamport(), got.lamport(), "lamport is stored too");
                }
            }

            // the same batch again (a retry) rewrites the same points
            List<TimelineEvent> shuffled = new ArrayList<>(events);
            shuffled.sort(Comparator.comparingLong(TimelineEvent::eventId));
            store.append(shuffled);
            assertEquals(events.size(), influx.countPoints(db, "timeline_event", "eventId"));
            assertEquals(expected.get(TestEvents.conversationId(7)), store.timeline(TestEvents.conversationId(7)));
        }
    }

    @Test
    void twoEventsInOneMillisecondBothSurvive(InfluxServer influx) {
        String db = influx.newDatabase("samems");
        long t = 1_732_240_000_123L;
        TimelineEvent a = TimelineEvent.builder("c-same", EventKind.SESSION_STATE, t).eventId(1).state("held")
                .mediaType("VOICE").purpose("agent").build();
        TimelineEvent b = a.toBuilder().eventId(2).state("connected").build();
        TimelineEvent c = a.toBuilder().eventId(-1).state("alerting").build(); // unsigned offset of a negative id
        try (InfluxTimelineStore store = store(influx, db)) {
            store.append(List.of(a, b, c));
            Timeline back = store.timeline("c-same");
            assertEquals(Timeline.of("c-same", List.of(a, b, c)), back);
            assertEquals(3, back.size());
            assertEquals(3, influx.countPoints(db, "timeline_event", "eventId"));
        }
    }

    @Test
    void nullAndEmptyStringsStayDistinctAndUnknownConversationIsEmpty(InfluxServer influx) {
        String db = influx.newDatabase("nulls");
        TimelineEvent empty = TimelineEvent.builder("c-n", EventKind.OTHER, 1000).eventId(10)
                .sourceType("").participantId("").sessionId("").mediaType("").userId("").queueId("")
                .purpose("").direction("").state("").attribute("", "").build();
        TimelineEvent nulls = TimelineEvent.builder("c-n", EventKind.OTHER, 1000).eventId(11).build();
        try (InfluxTimelineStore store = store(influx, db)) {
            store.append(List.of(empty, nulls));
            Timeline back = store.timeline("c-n");
            assertEquals(Timeline.of("c-n", List.of(empty, nulls)), back);
            assertEquals(2, back.size());
            assertTrue(back.events().contains(empty) && back.events().contains(nulls));
            assertNotEquals(back.events().get(0), back.events().get(1));
            assertTrue(store.timeline("c-unknown").isEmpty());
        }
    }

    @Test
    void conversationsListsTheMostRecentWithWholeConversationCounts(InfluxServer influx) {
        String db = influx.newDatabase("listing");
        List<TimelineEvent> events = new ArrayList<>();
        for (int c = 0; c < 5; c++) {
            for (int i = 0; i < 3; i++) {
                events.add(TimelineEvent.builder("list-" + c, EventKind.OTHER, 10_000L * c + 1_000L * i)
                        .eventId(c * 100L + i).build());
            }
        }
        try (InfluxTimelineStore store = store(influx, db)) {
            store.append(events);
            // window [10_500, 42_000): list-1 (events 11000,12000), list-2, list-3, list-4 (40000, 41000)
            List<ConversationSummary> s = store.conversations(10_500, 42_000, 3);
            assertEquals(List.of(
                    new ConversationSummary("list-4", 40_000, 42_000, 3),
                    new ConversationSummary("list-3", 30_000, 32_000, 3),
                    new ConversationSummary("list-2", 20_000, 22_000, 3)), s);
            assertEquals(List.of(), store.conversations(100_000, 200_000, 10));
            assertEquals(5, store.conversations(0, Long.MAX_VALUE, 100).size());
        }
    }

    @Test
    void completedConversationWritesOneSummaryPoint(InfluxServer influx) {
        String db = influx.newDatabase("summary");
        ConversationState s = new ConversationState("c-sum, with \"quotes\"", "ended", 1_000, 61_000,
                List.of(new ConversationState.Participant("p1", "customer", null, null, null, 1_000, 61_000),
                        new ConversationState.Participant("p2", "agent", "u1", "q1", "Ann", 2_000, 30_000),
                        new ConversationState.Participant("p3", "agent", "u2", "q1", "Bo", 31_000, 61_000)),
                List.of(new ConversationState.MediaSession("s1", "p2", "VOICE", "INBOUND", 2_000, 30_000, List.of(), "transfer"),
                        new ConversationState.MediaSession("s2", "p3", "VOICE", "INBOUND", 31_000, 61_000, List.of(), "client")),
                List.of(), Map.of("k", "v"),
                List.of(new ConversationState.Wrapup(62_000, "p3", "u2", "SALE", "notes\nmore", 5_000)),
                9, 62_000);
        try (InfluxTimelineStore store = store(influx, db)) {
            store.completed(s);
            store.completed(s); // again: same point
            assertEquals(1, influx.countPoints(db, "conversation_summary", "durationMs"));
            String answer = influx.query("SELECT * FROM conversation_summary", db);
            assertTrue(answer.contains("\"durationMs\""), answer);
            assertTrue(answer.contains("60000,"), answer);
            assertTrue(answer.contains("\"SALE\""), answer);
            assertTrue(answer.contains("c-sum, with \\\"quotes\\\""), answer);
            assertEquals(2, store.metrics().summariesWritten());
        }
    }
}
