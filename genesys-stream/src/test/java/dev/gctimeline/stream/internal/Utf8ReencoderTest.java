package dev.gctimeline.stream.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** Byte-exact against {@code String.getBytes(UTF_8)} for every way a message can be cut into parts. */
class Utf8ReencoderTest {
    private static final String MIXED = "{\"t\":\"Grüß Gott – 我可以帮您 🙂👍🏽 Ωμέγα \\u00e9 \u007f\u0080\u07ff\u0800\uffff\"}";

    /** Every representation the JDK (or a caller) might hand over. */
    private static final List<Function<String, CharSequence>> VIEWS = List.of(
            s -> s,
            StringBuilder::new,
            s -> CharBuffer.wrap(s.toCharArray()),
            s -> { // array-backed with a non-zero offset and position
                char[] a = new char[s.length() + 10];
                s.getChars(0, s.length(), a, 7);
                return CharBuffer.wrap(a, 3, s.length() + 4).position(7).slice().limit(s.length());
            },
            s -> CharBuffer.wrap(s.toCharArray()).asReadOnlyBuffer()); // no accessible array

    private static byte[] encodeParts(Utf8Reencoder r, String message, int[] cuts, Function<String, CharSequence> view) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int from = 0;
        for (int i = 0; i <= cuts.length; i++) {
            int to = i < cuts.length ? cuts[i] : message.length();
            int n = r.encode(view.apply(message.substring(from, to)), i == cuts.length);
            out.write(r.buffer(), 0, n);
            from = to;
        }
        return out.toByteArray();
    }

    @Test
    void everyTwoWaySplitMatchesTheJdkEncoder() {
        String[] texts = {MIXED, "🙂", "a🙂b", "\uD83D", "\uDE42", "x\uD83Dy", "x\uDE42y", "\uD83D\uD83D\uDE42",
            "\uDE42\uD83D", "end\uD83D", "", "plain ascii only"};
        for (String text : texts) {
            byte[] expected = text.getBytes(StandardCharsets.UTF_8);
            for (Function<String, CharSequence> view : VIEWS) {
                Utf8Reencoder r = new Utf8Reencoder(1);
                for (int cut = 0; cut <= text.length(); cut++) {
                    assertArrayEquals(expected, encodeParts(r, text, new int[] {cut}, view),
                            () -> "'" + escape(text) + "'");
                }
            }
        }
    }

    @Test
    void randomTextsAndRandomSplitsMatchTheJdkEncoder() {
        Random random = new Random(42);
        char[] alphabet = {'a', '"', '\\', 'ü', 'ß', 'é', '我', '帮', '\u0800', '\uffff', '\u007f', '\u0080',
            '\uD83D', '\uDE42', '\uD83C', '\uDFFD', '\n'};
        Utf8Reencoder r = new Utf8Reencoder(4);
        for (int i = 0; i < 20_000; i++) {
            char[] c = new char[random.nextInt(40)];
            for (int j = 0; j < c.length; j++) {
                c[j] = alphabet[random.nextInt(alphabet.length)];
            }
            String text = new String(c);
            int[] cuts = random.ints(random.nextInt(6), 0, text.length() + 1).sorted().toArray();
            Function<String, CharSequence> view = VIEWS.get(i % VIEWS.size());
            assertArrayEquals(text.getBytes(StandardCharsets.UTF_8), encodeParts(r, text, cuts, view),
                    () -> escape(text) + " cut at " + Arrays.toString(cuts));
        }
    }

    @Test
    void aHighSurrogateEndingAPartIsJoinedWithTheNextPart() {
        Utf8Reencoder r = new Utf8Reencoder(16);
        assertEquals(1, r.encode("a\uD83D", false)); // only 'a' so far; the high half is carried
        int n = r.encode("\uDE42b", true);
        assertArrayEquals("🙂b".getBytes(StandardCharsets.UTF_8), Arrays.copyOf(r.buffer(), n));
    }

    @Test
    void aCarriedHighSurrogateSurvivesEmptyPartsAndIsUnpairedAtTheMessageEnd() {
        Utf8Reencoder r = new Utf8Reencoder(16);
        assertEquals(0, r.encode("\uD83D", false));
        assertEquals(0, r.encode("", false));
        int n = r.encode("", true);
        assertArrayEquals(new byte[] {'?'}, Arrays.copyOf(r.buffer(), n));
        // and nothing leaks into the next message
        n = r.encode("\uDE42", true);
        assertArrayEquals(new byte[] {'?'}, Arrays.copyOf(r.buffer(), n));
    }

    @Test
    void unpairedSurrogatesBecomeTheJdkReplacementByte() {
        assertArrayEquals("a?b?c".getBytes(StandardCharsets.UTF_8), "a\uD83Db\uDE42c".getBytes(StandardCharsets.UTF_8));
        Utf8Reencoder r = new Utf8Reencoder(16);
        int n = r.encode("a\uD83Db\uDE42c", true);
        assertArrayEquals("a?b?c".getBytes(StandardCharsets.UTF_8), Arrays.copyOf(r.buffer(), n));
    }

    @Test
    void theBufferIsReusedOnceLargeEnough() {
        Utf8Reencoder r = new Utf8Reencoder(16);
        r.encode("x".repeat(1000), true);
        byte[] buffer = r.buffer();
        for (int i = 0; i < 100; i++) {
            r.encode(MIXED, true);
            r.encode("y".repeat(300), true);
        }
        assertSame(buffer, r.buffer());
    }

    @Test
    void encodingAFrameAllocatesNothingOnceWarm() {
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        Utf8Reencoder r = new Utf8Reencoder(16);
        CharBuffer[] frames = {CharBuffer.wrap(MIXED.toCharArray()), CharBuffer.wrap("{\"ascii\":\"only\"}".toCharArray()),
            CharBuffer.wrap("tail \uD83D".toCharArray()), CharBuffer.wrap("\uDE42 head".toCharArray())};
        long sink = 0;
        for (int i = 0; i < 50_000; i++) { // warm up: buffer grown, code compiled
            sink += r.encode(frames[i & 3], (i & 3) != 2);
        }
        long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 100_000; i++) {
            sink += r.encode(frames[i & 3], (i & 3) != 2);
        }
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertTrue(sink > 0);
        // a stray object from the measurement itself is tolerated; one allocation per frame is not
        assertTrue(allocated < 10_000, allocated + " bytes allocated for 100,000 frames");
    }

    private static String escape(String s) {
        StringBuilder b = new StringBuilder();
        for (char c : s.toCharArray()) {
            b.append(c < 0x80 ? String.valueOf(c) : String.format("\\u%04x", (int) c));
        }
        return b.toString();
    }
}
