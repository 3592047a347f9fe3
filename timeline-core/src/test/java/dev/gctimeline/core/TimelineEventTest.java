package dev.gctimeline.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class TimelineEventTest {

    @Test
    void lamportIsNotPartOfEquality() {
        TimelineEvent a = TimelineEvent.builder("c", EventKind.SESSION_STARTED, 5).sessionId("s").build();
        TimelineEvent b = a.withLamport(42);
        assertEquals(a, b);
        assertEquals(42, b.lamport());
        assertEquals(a.hashCode(), b.hashCode());
        TimelineEvent rich = TimelineEvent.builder("c", EventKind.TRANSCRIPT, 7).sequence(3).participantId("p")
                .sessionId("s").mediaType("VOICE").userId("u").queueId("q").purpose("agent").direction("INBOUND")
                .state("connected").sourceType("transcription").attribute("text", "hi").build();
        TimelineEvent stamped = rich.withLamport(5);
        assertEquals(rich, stamped);
        assertEquals(rich.toBuilder().lamport(5).build().toString(), stamped.toString());
        assertSame(rich.attributes(), stamped.attributes(), "the stamp shares the immutable attribute map");
    }

    @Test
    void contentIdIsStableAndSensitiveToContent() {
        TimelineEvent a = TimelineEvent.builder("c", EventKind.ATTRIBUTES, 5).attribute("k", "v").build();
        TimelineEvent same = TimelineEvent.builder("c", EventKind.ATTRIBUTES, 5).attribute("k", "v").build();
        TimelineEvent other = TimelineEvent.builder("c", EventKind.ATTRIBUTES, 5).attribute("k", "w").build();
        assertEquals(a.eventId(), same.eventId());
        assertNotEquals(a.eventId(), other.eventId());
        // Pinned: the id is part of the stored data format and must never change.
        assertEquals(EventIds.of("a", "b"), EventIds.of("a", "b"));
        assertNotEquals(EventIds.of("ab", "c"), EventIds.of("a", "bc"));
        assertNotEquals(EventIds.of((String) null), EventIds.of(""));
    }

    @Test
    void timelineSortsCanonicallyAndDropsRepeats() {
        TimelineEvent late = TimelineEvent.builder("c", EventKind.SESSION_ENDED, 20).eventId(1).build();
        TimelineEvent early = TimelineEvent.builder("c", EventKind.SESSION_STARTED, 10).eventId(2).build();
        TimelineEvent tieJoin = TimelineEvent.builder("c", EventKind.PARTICIPANT_JOINED, 10).eventId(3).build();
        Timeline t = Timeline.of("c", List.of(late, early, late.withLamport(9), tieJoin));
        assertEquals(List.of(tieJoin, early, late), t.events());
        assertThrows(IllegalArgumentException.class, () -> new Timeline("c", List.of(late, early)));
        assertThrows(IllegalArgumentException.class,
                () -> Timeline.of("other", List.of(early)));
    }

    @Test
    void statesInOneMillisecondFollowTheSessionLifecycle() {
        List<TimelineEvent> states = new java.util.ArrayList<>();
        String[] lifecycle = {"alerting", "connected", "held", "disconnected", "terminated", "somethingNew"};
        for (String st : lifecycle) {
            states.add(TimelineEvent.builder("c", EventKind.SESSION_STATE, 100).sessionId("s").state(st).build());
        }
        for (int i = 0; i < 20; i++) {
            java.util.Collections.shuffle(states, new java.util.Random(i));
            List<String> ordered = Timeline.of("c", states).events().stream().map(TimelineEvent::state).toList();
            assertEquals(List.of(lifecycle), ordered);
        }
    }

    @Test
    void rejectsEventWithoutConversation() {
        assertThrows(IllegalArgumentException.class, () -> TimelineEvent.builder("", EventKind.OTHER, 1));
        assertThrows(IllegalArgumentException.class, () -> TimelineEvent.builder(null, EventKind.OTHER, 1));
    }
}
