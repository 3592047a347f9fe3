package dev.gctimeline.testkit.internal.server;

import dev.gctimeline.testkit.Delivery;
import dev.gctimeline.testkit.Faults;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The per-socket fault decisions and the wire bytes they produce. One instance per socket, used
 * only under that socket's write lock, so the sequence of decisions depends on nothing but the seed
 * and the messages sent on that socket.
 */
final class WireFaults {

    private static final String[] MALFORMED_BODIES = {
        "{\"eventTime\":}",
        "{\"a\":1,,\"b\":2}",
        "{\"a\" 1}",
        "{\"text\":\"\\q\"}",
    };
    private static final String[] BATCH_SEPARATORS = {"", "\n", " "};

    private final Faults faults;
    private final SplittableRandom rng;

    WireFaults(Faults faults, long seed) {
        this.faults = faults;
        this.rng = new SplittableRandom(seed);
    }

    static long seedFor(long faultsSeed, long channelOrdinal, long socketOrdinal) {
        return mix(mix(faultsSeed ^ 0x77697265L) ^ channelOrdinal * 0x9E3779B97F4A7C15L) ^ socketOrdinal * 0xC2B2AE3D27D4EB4FL;
    }

    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    boolean hit(double rate) {
        return rate > 0 && rng.nextDouble() < rate;
    }

    /**
     * The offsets to cut one message's bytes at, or none: with the frame-split fault, 1 to
     * maxFramesPerMessage-1 distinct offsets uniformly inside the message, so cuts land inside
     * multi-byte UTF-8 sequences as often as the text has them.
     */
    int[] frameCuts(int length) {
        if (length < 2 || !hit(faults.frameSplit())) {
            return new int[0];
        }
        int frames = 2 + rng.nextInt(Math.min(faults.maxFramesPerMessage(), length) - 1);
        return distinctCuts(length, frames - 1);
    }

    /**
     * A document cut into 2 to 4 parts (each a separate message), or null to send it whole. Cuts
     * fall only on UTF-8 code-point boundaries: every text message must be valid UTF-8 on its own
     * (RFC 6455 section 8.1); cutting inside a character is the frame-split fault's job.
     */
    List<byte[]> split(byte[] doc, double rate) {
        if (doc.length < 2 || !hit(rate)) {
            return null;
        }
        int[] boundaries = new int[doc.length];
        int n = 0;
        for (int i = 1; i < doc.length; i++) {
            if ((doc[i] & 0xC0) != 0x80) {
                boundaries[n++] = i;
            }
        }
        if (n == 0) {
            return null;
        }
        int parts = 2 + rng.nextInt(Math.min(3, n));
        int[] picks = distinctCuts(n + 1, parts - 1); // offsets 1..n into boundaries[0..n-1]
        List<byte[]> out = new ArrayList<>(parts);
        int start = 0;
        for (int i = 0; i <= picks.length; i++) {
            int end = i < picks.length ? boundaries[picks[i] - 1] : doc.length;
            byte[] p = new byte[end - start];
            System.arraycopy(doc, start, p, 0, p.length);
            out.add(p);
            start = end;
        }
        return out;
    }

    /** Several documents in one message, separated by nothing, a newline or a space. */
    byte[] join(List<byte[]> docs) {
        if (docs.size() == 1) {
            return docs.get(0);
        }
        byte[] sep = BATCH_SEPARATORS[rng.nextInt(BATCH_SEPARATORS.length)].getBytes(StandardCharsets.US_ASCII);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < docs.size(); i++) {
            if (i > 0) {
                out.write(sep, 0, sep.length);
            }
            out.write(docs.get(i), 0, docs.get(i).length);
        }
        return out.toByteArray();
    }

    /** A syntactically broken document (braces balanced, so a depth-counting reader can resync). */
    byte[] malformed(Delivery.Route route, String topic) {
        String body = MALFORMED_BODIES[rng.nextInt(MALFORMED_BODIES.length)];
        return wrap(route, topic, body).getBytes(StandardCharsets.UTF_8);
    }

    /** A well-formed document of exactly oversizeBytes + 1 bytes. */
    byte[] oversize(Delivery.Route route, String topic) {
        String head = wrap(route, topic, "{\"padding\":\"");
        String tail = "\"}" + (route == Delivery.Route.STREAMING_EVENTS ? "}]}" : "}");
        int target = faults.oversizeBytes() + 1;
        int pad = Math.max(1, target - head.length() - tail.length());
        return (head + "x".repeat(pad) + tail).getBytes(StandardCharsets.UTF_8);
    }

    private static String wrap(Delivery.Route route, String topic, String body) {
        String t = Json.escape(topic == null ? "unknown" : topic);
        String open = switch (route) {
            case CHANNEL -> "{\"topicName\":\"" + t + "\",\"version\":\"2\",\"eventBody\":";
            case ANALYTICS_STREAM -> "{\"conversationId\":\"" + t + "\",\"type\":\"metadata\",\"data\":";
            case STREAMING_EVENTS -> "{\"events\":[{\"id\":\"fault-" + t + "\",\"type\":\"interaction-updated\",\"data\":";
        };
        if (body.startsWith("{\"padding\"")) {
            return open + body; // oversize(): the caller closes the braces
        }
        return open + body + (route == Delivery.Route.STREAMING_EVENTS ? "}]}" : "}");
    }

    /** Where to cut a dropped message: strictly inside a frame, never on a frame boundary. */
    int midFrameCut(int total, List<Integer> frameStarts) {
        int cut = 1 + rng.nextInt(Math.max(1, total - 1));
        if (frameStarts.contains(cut)) {
            cut++; // one byte into the next frame's header is still mid-frame
        }
        return Math.min(cut, total - 1);
    }

    private int[] distinctCuts(int length, int count) {
        // Floyd's sampling of `count` distinct offsets in [1, length-1], then sorted.
        java.util.TreeSet<Integer> chosen = new java.util.TreeSet<>();
        int n = length - 1;
        for (int j = n - count; j < n; j++) {
            int t = 1 + rng.nextInt(j + 1);
            if (!chosen.add(t)) {
                chosen.add(j + 1);
            }
        }
        int[] cuts = new int[chosen.size()];
        int i = 0;
        for (int c : chosen) {
            cuts[i++] = c;
        }
        return cuts;
    }
}
