package dev.gctimeline.store.influx;

import dev.gctimeline.core.EventKind;
import dev.gctimeline.core.TimelineEvent;
import dev.gctimeline.store.influx.internal.EventCodec;
import dev.gctimeline.store.influx.internal.LineProtocolWriter;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The schema, checked through an independent line-protocol parser (no server). */
class EventCodecTest {
    private final EventCodec codec = new EventCodec("timeline_event", "conversation_summary");

    private String encode(TimelineEvent e) {
        LineProtocolWriter w = new LineProtocolWriter(256);
        codec.encoder(w).encode(e);
        return new String(w.buffer(), 0, w.size(), StandardCharsets.UTF_8);
    }

    private TimelineEvent roundTrip(TimelineEvent e) {
        LineProtocolParser.Point p = LineProtocolParser.parseLine(encode(e).stripTrailing());
        return EventCodec.decode(p.time(), p.columns());
    }

    @Test
    void everyGeneratedEventSurvivesEncodeParseDecode() {
        for (TimelineEvent e : TestEvents.generate(7, 200, 50)) {
            TimelineEvent back = roundTrip(e);
            assertEquals(e, back, () -> encode(e));
            assertEquals(e.lamport(), back.lamport());
        }
    }

    @Test
    void onlyLowCardinalityFieldsAreTagsAndTheRestAreFields() {
        TimelineEvent e = TimelineEvent.builder("c 1", EventKind.SESSION_STARTED, 5).eventId(9).mediaType("VOICE")
                .purpose("agent").participantId("p").userId("u").attribute("text", "hi").build();
        LineProtocolParser.Point p = LineProtocolParser.parseLine(encode(e).stripTrailing());
        assertEquals("timeline_event", p.measurement());
        assertEquals(Map.of("conversationId", "c 1", "kind", "SESSION_STARTED", "mediaType", "VOICE", "purpose", "agent"),
                p.tags());
        assertEquals(Set.of("eventId", "sequence", "lamport", "participantId", "userId", "a.text"), p.fields().keySet());
        assertEquals(5_000_009L, p.time());
    }

    @Test
    void tagValuesATagCannotCarryGoToExactFields() {
        for (String v : List.of("", "back\\slash", "trailing\\", "new\nline", "x".repeat(257), "nul\u0000")) {
            TimelineEvent e = TimelineEvent.builder("c", EventKind.OTHER, 1).eventId(1).mediaType(v).purpose(v).build();
            LineProtocolParser.Point p = LineProtocolParser.parseLine(encode(e).stripTrailing());
            assertFalse(p.tags().containsKey("mediaType"), v);
            assertTrue(p.fields().containsKey("t.mediaType"), v);
            assertTrue(p.fields().containsKey("t.purpose"), v);
            assertEquals(e, roundTrip(e));
        }
    }

    @Test
    void attributesNeverCollideWithFixedFields() {
        TimelineEvent e = TimelineEvent.builder("c", EventKind.OTHER, 1).eventId(77).state("s")
                .attribute("eventId", "not the id").attribute("state", "not the state").attribute("kind", "k")
                .attribute("a.x", "1").attribute("t.purpose", "2").build();
        LineProtocolParser.Point p = LineProtocolParser.parseLine(encode(e).stripTrailing());
        assertEquals(77L, p.fields().get("eventId"));
        assertEquals("s", p.fields().get("state"));
        assertEquals("not the id", p.fields().get("a.eventId"));
        assertEquals("1", p.fields().get("a.a.x"));
        assertEquals(e, roundTrip(e));
    }

    @Test
    void attributeKeysArePercentEncodedOnlyWhereNeeded() {
        TimelineEvent e = TimelineEvent.builder("c", EventKind.OTHER, 1).eventId(1)
                .attribute("100%", "a").attribute("x\\y", "b").attribute("l\nf", "c").attribute("s p,=", "d")
                .attribute("\uD800", "e").attribute("", "f").build();
        LineProtocolParser.Point p = LineProtocolParser.parseLine(encode(e).stripTrailing());
        assertEquals(Set.of("eventId", "sequence", "lamport", "a.100%25", "a.x%5Cy", "a.l%0Af", "a.s p,=", "a.%uD800", "a."),
                p.fields().keySet());
        assertEquals(e, roundTrip(e));
    }

    @Test
    void valuesLineProtocolCannotCarryUseTheMarkedForm() {
        assertEquals("plain", EventCodec.decodeValue("plain"));
        for (String v : TestEvents.NASTY) {
            TimelineEvent e = TimelineEvent.builder("c", EventKind.OTHER, 1).eventId(1).state(v).build();
            String line = encode(e);
            assertEquals(line.indexOf('\n'), line.length() - 1, "one line, no raw newline: " + line);
            assertFalse(line.contains("\r"));
            assertEquals(v, roundTrip(e).state());
        }
        // a value that merely starts with the marker is escaped too, so decoding is unambiguous
        TimelineEvent m = TimelineEvent.builder("c", EventKind.OTHER, 1).eventId(1).state("\uE000\\n").build();
        assertEquals("\uE000\\n", roundTrip(m).state());
    }

    @Test
    void timestampsAreDeterministicAndSpreadInsideTheMillisecond() {
        Set<Long> seen = new HashSet<>();
        for (long id = -500; id < 500; id++) {
            TimelineEvent e = TimelineEvent.builder("c", EventKind.OTHER, 1_000).eventId(id * 7919).build();
            long ts = EventCodec.timestamp(e);
            assertEquals(ts, EventCodec.timestamp(e.toBuilder().build()));
            assertEquals(1_000, Math.floorDiv(ts, 1_000_000L));
            assertTrue(seen.add(ts), "offsets differ for different ids");
        }
        TimelineEvent before1970 = TimelineEvent.builder("c", EventKind.OTHER, -1).eventId(-1).build();
        assertEquals(before1970, roundTrip(before1970));
        assertThrows(IllegalArgumentException.class,
                () -> EventCodec.timestamp(TimelineEvent.builder("c", EventKind.OTHER, Long.MAX_VALUE / 100).build()));
    }

    @Test
    void conversationIdRules() {
        assertNull(EventCodec.conversationIdProblem("c-1"));
        assertNull(EventCodec.conversationIdProblem("' OR 1=1 -- \") |> drop( 😀"));
        assertNotNull(EventCodec.conversationIdProblem(""));
        assertNotNull(EventCodec.conversationIdProblem(null));
        assertNotNull(EventCodec.conversationIdProblem("a\\b"));
        assertNotNull(EventCodec.conversationIdProblem("a\nb"));
        assertNotNull(EventCodec.conversationIdProblem("a\u0000b"));
        assertNotNull(EventCodec.conversationIdProblem("a\uD800"));
        assertNotNull(EventCodec.conversationIdProblem("x".repeat(257)));
        assertNull(EventCodec.conversationIdProblem("x".repeat(256)));
    }

    @Test
    void pointsWithoutAnEventIdAreNotEvents() {
        assertNull(EventCodec.decode(1, Map.of("conversationId", "c")));
        assertNull(EventCodec.decode(1, Map.of("eventId", 1L)));
        TimelineEvent unknownKind = EventCodec.decode(1_000_000, Map.of("conversationId", "c", "eventId", 1L, "kind", "FUTURE"));
        assertEquals(EventKind.OTHER, unknownKind.kind());
    }
}
