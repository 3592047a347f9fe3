package dev.gctimeline.store.influx.internal;

import dev.gctimeline.core.EventKind;
import dev.gctimeline.core.TimelineEvent;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every escaping rule of the line protocol reference, newline handling, and allocation. */
class LineProtocolWriterTest {

    private static String line(Consumer<LineProtocolWriter> c) {
        LineProtocolWriter w = new LineProtocolWriter(16);
        c.accept(w);
        return new String(w.buffer(), 0, w.size(), StandardCharsets.UTF_8);
    }

    @Test
    void measurementEscapesCommaAndSpaceOnly() {
        assertEquals("my\\ meas\\,ure=x f=1i 0\n", line(w -> w.beginLine("my meas,ure=x").fieldLong("f", 1).endLine(0)));
    }

    @Test
    void tagKeysTagValuesAndFieldKeysEscapeCommaEqualsAndSpace() {
        assertEquals("m,k\\ \\,\\=k=v\\ \\,\\=v f\\ \\,\\=f=1i 0\n",
                line(w -> w.beginLine("m").tag("k ,=k", "v ,=v").fieldLong("f ,=f", 1).endLine(0)));
    }

    @Test
    void quotesInNamesAndTagsAreLiteral() {
        assertEquals("m,k\"=\"v' f\"=1i 0\n", line(w -> w.beginLine("m").tag("k\"", "\"v'").fieldLong("f\"", 1).endLine(0)));
    }

    @Test
    void stringFieldsQuoteAndEscapeDoubleQuoteAndBackslash() {
        assertEquals("m s=\"a\\\"b\\\\c, d=e\" 0\n", line(w -> w.beginLine("m").fieldString("s", "a\"b\\c, d=e").endLine(0)));
        assertEquals("m s=\"\" 0\n", line(w -> w.beginLine("m").fieldString("s", "").endLine(0)));
        assertEquals("m s=\"\\\\\" 0\n", line(w -> w.beginLine("m").fieldString("s", "\\").endLine(0)));
    }

    @Test
    void integersCarryTheSuffixAndBooleansAreWords() {
        assertEquals("m a=0i,b=-42i,c=9223372036854775807i,d=-9223372036854775808i,e=true,f=false -1\n",
                line(w -> w.beginLine("m").fieldLong("a", 0).fieldLong("b", -42).fieldLong("c", Long.MAX_VALUE)
                        .fieldLong("d", Long.MIN_VALUE).fieldBoolean("e", true).fieldBoolean("f", false).endLine(-1)));
    }

    @Test
    void nonAsciiIsUtf8() {
        String s = line(w -> w.beginLine("m").tag("t", "日本 😀").fieldString("s", "Ünï😀").endLine(1));
        assertEquals("m,t=日本\\ 😀 s=\"Ünï😀\" 1\n", s);
    }

    @Test
    void newlinesAreRejectedEverywhere() {
        for (String nl : List.of("\n", "\r")) {
            assertThrows(IllegalArgumentException.class, () -> line(w -> w.beginLine("m" + nl)));
            assertThrows(IllegalArgumentException.class, () -> line(w -> w.beginLine("m").tag("k" + nl, "v")));
            assertThrows(IllegalArgumentException.class, () -> line(w -> w.beginLine("m").tag("k", "v" + nl)));
            assertThrows(IllegalArgumentException.class, () -> line(w -> w.beginLine("m").fieldLong("f" + nl, 1)));
            assertThrows(IllegalArgumentException.class, () -> line(w -> w.beginLine("m").fieldString("f", "a" + nl + "b")));
        }
    }

    @Test
    void emptyNamesAndTagValuesAndTrailingBackslashesAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> line(w -> w.beginLine("")));
        assertThrows(IllegalArgumentException.class, () -> line(w -> w.beginLine("m").tag("", "v")));
        assertThrows(IllegalArgumentException.class, () -> line(w -> w.beginLine("m").tag("k", "")));
        assertThrows(IllegalArgumentException.class, () -> line(w -> w.beginLine("m").fieldLong("", 1)));
        assertThrows(IllegalArgumentException.class, () -> line(w -> w.beginLine("m").tag("k", "v\\")));
        assertThrows(IllegalArgumentException.class, () -> line(w -> w.beginLine("m\\")));
        assertThrows(IllegalArgumentException.class, () -> line(w -> w.beginLine("m").fieldLong("f\\", 1)));
        // a backslash inside is literal
        assertEquals("m,k=a\\b f=1i 0\n", line(w -> w.beginLine("m").tag("k", "a\\b").fieldLong("f", 1).endLine(0)));
    }

    @Test
    void unpairedSurrogatesAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> line(w -> w.beginLine("m").tag("k", "a\uD800")));
        assertThrows(IllegalArgumentException.class, () -> line(w -> w.beginLine("m").fieldString("s", "\uDC00x")));
    }

    @Test
    void aPointNeedsAField() {
        assertThrows(IllegalStateException.class, () -> line(w -> w.beginLine("m").tag("k", "v").endLine(0)));
    }

    @Test
    void abortLineKeepsEveryCompleteLine() {
        LineProtocolWriter w = new LineProtocolWriter(8);
        w.beginLine("m").fieldLong("f", 1).endLine(1);
        assertThrows(IllegalArgumentException.class, () -> w.beginLine("m").fieldString("s", "bad\n"));
        w.abortLine();
        w.beginLine("m").fieldLong("f", 2).endLine(2);
        assertEquals("m f=1i 1\nm f=2i 2\n", new String(w.buffer(), 0, w.size(), StandardCharsets.UTF_8));
        assertEquals(2, w.lines());
        w.reset();
        assertEquals(0, w.size());
        assertEquals(0, w.lines());
    }

    @Test
    void encodingEventsAllocatesNoPerEventObjects() {
        EventCodec codec = new EventCodec("timeline_event", "conversation_summary");
        LineProtocolWriter w = new LineProtocolWriter(1 << 20);
        EventCodec.Encoder enc = codec.encoder(w);
        List<TimelineEvent> events = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            events.add(TimelineEvent.builder("0c6bb8a5-7a2d-4d3e-9c57-" + (100000000000L + i), EventKind.SESSION_STATE,
                            1_732_240_000_000L + i).eventId(i * 0x9E3779B97F4A7C15L).sequence(i).sourceType("customer.start")
                    .participantId("p-1").sessionId("s-1").mediaType("VOICE").purpose("agent").userId("u 1")
                    .queueId("q,1").direction("INBOUND").state("connected")
                    .attribute("text", "hello \"world\" 😀").attribute("wrapupCode", "SALE=1").build());
        }
        Runnable pass = () -> {
            for (int round = 0; round < 50; round++) {
                w.reset();
                for (TimelineEvent e : events) {
                    enc.encode(e);
                }
            }
        };
        for (int i = 0; i < 5; i++) {
            pass.run(); // warm up: JIT, buffer at full size
        }
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long tid = Thread.currentThread().getId();
        long before = mx.getThreadAllocatedBytes(tid);
        pass.run();
        long allocated = mx.getThreadAllocatedBytes(tid) - before;
        int encoded = 50 * events.size();
        assertTrue(w.size() > 300 * events.size(), "lines really were written");
        // a single String per event would cost at least 40 bytes each; allow 2 bytes per event of noise
        assertTrue(allocated < 2L * encoded, "allocated " + allocated + " bytes for " + encoded + " events");
    }
}
