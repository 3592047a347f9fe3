package dev.gctimeline.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gctimeline.core.TimelineEvent;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

/** Test helpers: a recording decoder, and ways to cut documents into frames. */
final class Feed {
    final List<TimelineEvent> events = new ArrayList<>();
    final List<String> rejections = new ArrayList<>();
    final NotificationDecoder decoder;

    Feed() {
        this(b -> b);
    }

    /** A recording decoder; {@code options} may set anything but the sink and the reject sink. */
    Feed(UnaryOperator<NotificationDecoder.Builder> options) {
        decoder = options.apply(NotificationDecoder.builder(events::add)
                .rejects((reason, detail) -> rejections.add(reason + ": " + detail))).build();
    }

    /** Feeds one whole text message. */
    Feed text(String message) {
        assertTrue(decoder.onText(message, true));
        return this;
    }

    /** Feeds one text message cut into parts at the given char offsets (ascending). */
    Feed textParts(String message, int... cuts) {
        int from = 0;
        for (int cut : cuts) {
            assertTrue(decoder.onText(CharBuffer.wrap(message, from, cut), false));
            from = cut;
        }
        assertTrue(decoder.onText(message.substring(from), true));
        return this;
    }

    /** Feeds one message's UTF-8 bytes cut at the given byte offsets (ascending). */
    Feed byteParts(byte[] message, int... cuts) {
        int from = 0;
        for (int cut : cuts) {
            assertTrue(decoder.onBytes(message, from, cut - from, false));
            from = cut;
        }
        assertTrue(decoder.onBytes(message, from, message.length - from, true));
        return this;
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** {@code k - 1} distinct sorted cut points in (0, length). */
    static int[] randomCuts(Random random, int length, int k) {
        int n = Math.min(k - 1, Math.max(0, length - 1));
        int[] cuts = random.ints(1, Math.max(2, length)).distinct().limit(n).sorted().toArray();
        return cuts;
    }

    static void assertSameEvents(List<TimelineEvent> expected, List<TimelineEvent> actual, String context) {
        List<TimelineEvent> e = new ArrayList<>(expected);
        List<TimelineEvent> a = new ArrayList<>(actual);
        e.sort(TimelineEvent.CANONICAL_ORDER);
        a.sort(TimelineEvent.CANONICAL_ORDER);
        if (!e.equals(a)) {
            // toString shows every field, so the message points at the mismatch
            assertEquals(lines(e), lines(a), context);
            assertEquals(e, a, context + " (equal text, different ids)");
        }
    }

    static String lines(List<TimelineEvent> events) {
        return events.stream().map(TimelineEvent::toString).collect(Collectors.joining("\n"));
    }
}
