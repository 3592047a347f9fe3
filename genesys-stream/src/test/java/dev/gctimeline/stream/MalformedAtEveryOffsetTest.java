package dev.gctimeline.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gctimeline.core.TimelineEvent;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Broken documents, cut into two parts (or two messages) at every offset, are rejected exactly once
 * as MALFORMED_JSON, yield nothing, and leave the next document intact.
 *
 * <p>Found by the end-to-end test: jackson-core's non-blocking parser (2.22.4) accepts a {@code '}'}
 * that directly follows a {@code ':'} or {@code ','} when a feed boundary falls between them, so
 * {@code {"eventTime":}} cut after the colon came out as a well-formed body without its field.
 */
class MalformedAtEveryOffsetTest {
    /** The simulator's malformed bodies, and the separators-before-brace shapes the parser let through. */
    private static final String[] BODIES = {
        "{\"eventTime\":}", "{\"a\":1,,\"b\":2}", "{\"a\" 1}", "{\"text\":\"\\q\"}",
        "{\"eventTime\": }", "{\"eventTime\":1795341600120,}", "{\"eventTime\":1795341600120, }",
        "{\"id\":\"x\",\"participants\":[{\"id\":\"p\",}]}", "{\"attributes\":{\"k\":}}",
    };
    private static final String[] TOPICS = {
        Samples.QUEUE_TOPIC, "v2.detail.events.conversation." + Samples.C + ".acw",
        "v2.conversations." + Samples.C + ".transcription",
    };

    private static List<String> brokenDocuments() {
        List<String> out = new ArrayList<>();
        for (String t : TOPICS) {
            for (String b : BODIES) {
                out.add("{\"topicName\":\"" + t + "\",\"version\":\"2\",\"eventBody\":" + b + "}");
            }
        }
        return out;
    }

    @Test
    void cutIntoTwoPartsOfOneMessageAtEveryOffset() {
        String good = Samples.detailEvents().get(0).json();
        List<TimelineEvent> goodEvents = Samples.detailEvents().get(0).expected();
        for (String doc : brokenDocuments()) {
            for (int cut = 0; cut <= doc.length(); cut++) {
                Feed f = new Feed();
                if (cut == 0 || cut == doc.length()) {
                    f.text(doc);
                } else {
                    f.textParts(doc, cut);
                }
                String where = doc + " cut at " + cut;
                assertEquals(List.of(), f.events, where);
                assertEquals(1, f.rejections.size(), where + ": " + f.rejections);
                assertTrue(f.rejections.get(0).startsWith("MALFORMED_JSON"), where + ": " + f.rejections);
                f.text(good);
                Feed.assertSameEvents(goodEvents, f.events, "the document after " + where);
            }
        }
    }

    @Test
    void cutIntoManyPartsAtRandomOffsets() {
        java.util.Random random = new java.util.Random(5);
        for (String doc : brokenDocuments()) {
            byte[] bytes = Feed.utf8(doc);
            for (int round = 0; round < 300; round++) {
                int[] cuts = Feed.randomCuts(random, bytes.length, 2 + random.nextInt(6));
                Feed f = new Feed();
                f.byteParts(bytes, cuts);
                String where = doc + " cut at " + java.util.Arrays.toString(cuts);
                assertEquals(List.of(), f.events, where);
                assertEquals(1, f.rejections.size(), where + ": " + f.rejections);
                assertTrue(f.rejections.get(0).startsWith("MALFORMED_JSON"), where + ": " + f.rejections);
            }
        }
    }

    @Test
    void cutAtEveryByteWithTheRestInASecondMessage() {
        // Genesys never splits an envelope, but the simulator's envelopeSplit fault does: the first
        // message then ends inside the document, and the resynchronisation rule must not swallow it.
        for (String doc : brokenDocuments()) {
            byte[] bytes = Feed.utf8(doc);
            for (int cut = 1; cut < bytes.length; cut++) {
                Feed f = new Feed();
                assertTrue(f.decoder.onBytes(bytes, 0, cut, true));
                assertTrue(f.decoder.onBytes(bytes, cut, bytes.length - cut, true));
                String where = doc + " split into messages at byte " + cut;
                assertEquals(List.of(), f.events, where);
                assertEquals(1, f.rejections.size(), where + ": " + f.rejections);
                assertTrue(f.rejections.get(0).startsWith("MALFORMED_JSON"), where + ": " + f.rejections);
            }
        }
    }

    @Test
    void aDocumentCutOffByTheEndOfTheSocketIsRejectedOnce() {
        String doc = Samples.detailEvents().get(0).json();
        for (int cut = 1; cut < doc.length(); cut++) {
            Feed f = new Feed();
            assertTrue(f.decoder.onText(doc.substring(0, cut), false));
            f.decoder.socketEnded();
            String where = "cut at " + cut;
            assertEquals(List.of(), f.events, where);
            assertEquals(1, f.rejections.size(), where + ": " + f.rejections);
            assertTrue(f.rejections.get(0).startsWith("MALFORMED_JSON"), where + ": " + f.rejections);
            f.text(doc); // the decoder starts afresh for a new socket
            Feed.assertSameEvents(Samples.detailEvents().get(0).expected(), f.events, "after " + where);
        }
    }
}
