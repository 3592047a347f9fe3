package dev.gctimeline.store.influx;

import dev.gctimeline.core.EventKind;
import dev.gctimeline.core.Timeline;
import dev.gctimeline.core.TimelineEvent;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/** Deterministic test events full of the values that break naive encoders. */
final class TestEvents {
    private TestEvents() {
    }

    /** Values with every character class line protocol, CSV, JSON and query languages care about. */
    public static final List<String> NASTY = List.of(
            "plain", "with space", "comma,here", "equals=sign", "quote\"double", "single'quote",
            "back\\slash", "trailing\\", "\\", "emoji 😀🎉", "日本語テキスト", "Ünïcödé ß", "new\nline", "cr\rreturn",
            "crlf\r\nend", "tab\there", "", " ", "\uE000starts with the marker", "=,\" \\ mixed", "%percent%25",
            "a.dot", "lone \uD800 surrogate", "${interp}", "\") |> drop(columns: [\"x\"])", "' OR 1=1 --",
            "\u0000nul", "x".repeat(300));

    /** Attribute keys, including ones that look like fixed fields and ones no field key could carry raw. */
    public static final List<String> KEYS = List.of(
            "text", "eventId", "kind", "a.b", "t.mediaType", "weird key,=\" ", "%", "%41", "back\\slash",
            "new\nline key", "emoji😀", "", "conversationId", "time", "lone\uDC00");

    /** Conversation ids: mostly UUID-like, some with every escapable character. */
    public static String conversationId(int i) {
        return switch (i % 10) {
            case 0 -> "conv with space, comma=equals \"q\" 'sq' 😀 " + i;
            case 1 -> "' OR 1=1 -- " + i;
            case 2 -> "\") |> drop(columns: [\"_value\"]) // " + i;
            case 3 -> "日本-" + i;
            default -> String.format("%08x-0000-4000-8000-%012d", i * 2654435761L & 0xffffffffL, i);
        };
    }

    /** {@code perConversation} events for each of {@code conversations} conversations. */
    public static List<TimelineEvent> generate(long seed, int conversations, int perConversation) {
        SplittableRandom r = new SplittableRandom(seed);
        List<TimelineEvent> out = new ArrayList<>(conversations * perConversation);
        EventKind[] kinds = EventKind.values();
        long base = 1_732_240_000_000L;
        for (int c = 0; c < conversations; c++) {
            String conv = conversationId(c);
            long t = base + c * 60_000L;
            for (int i = 0; i < perConversation; i++) {
                // every fourth event shares the previous one's millisecond
                if (i % 4 != 3) {
                    t += r.nextInt(1, 5_000);
                }
                TimelineEvent.Builder b = TimelineEvent.builder(conv, kinds[r.nextInt(kinds.length)], t)
                        .eventId(r.nextLong())
                        .sequence(r.nextInt(4) == 0 ? -1 : r.nextLong(0, Long.MAX_VALUE))
                        .lamport(r.nextLong(1, 1_000_000));
                b.sourceType(pick(r, "customer.start", 3));
                b.participantId(pick(r, "p-" + r.nextInt(5), 3));
                b.sessionId(pick(r, "s-" + r.nextInt(5), 3));
                b.mediaType(pick(r, "VOICE", 2));
                b.userId(pick(r, "u-" + r.nextInt(9), 3));
                b.queueId(pick(r, "q-1", 3));
                b.purpose(pick(r, "agent", 2));
                b.direction(pick(r, "INBOUND", 3));
                b.state(pick(r, "connected", 3));
                int attrs = r.nextInt(4);
                Map<String, String> a = new LinkedHashMap<>();
                for (int k = 0; k < attrs; k++) {
                    a.put(KEYS.get(r.nextInt(KEYS.size())), NASTY.get(r.nextInt(NASTY.size())));
                }
                b.attributes(a);
                out.add(b.build());
            }
        }
        return out;
    }

    /** Null a third of the time, a nasty value a third, the usual value otherwise. */
    private static String pick(SplittableRandom r, String usual, int weight) {
        int x = r.nextInt(weight + 2);
        if (x == 0) {
            return null;
        }
        if (x == 1) {
            return NASTY.get(r.nextInt(NASTY.size()));
        }
        return usual;
    }

    /** The expected timeline of every conversation. */
    public static Map<String, Timeline> timelines(List<TimelineEvent> events) {
        Map<String, List<TimelineEvent>> by = new LinkedHashMap<>();
        for (TimelineEvent e : events) {
            by.computeIfAbsent(e.conversationId(), k -> new ArrayList<>()).add(e);
        }
        Map<String, Timeline> out = new LinkedHashMap<>();
        by.forEach((id, list) -> out.put(id, Timeline.of(id, list)));
        return out;
    }
}
