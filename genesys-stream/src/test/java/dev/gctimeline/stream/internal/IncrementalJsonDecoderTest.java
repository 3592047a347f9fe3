package dev.gctimeline.stream.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.async.ByteArrayFeeder;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import dev.gctimeline.core.RejectReason;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Document boundaries, bounds and resynchronisation of the incremental decoder itself. */
class IncrementalJsonDecoderTest {

    /** Records each document as its token sequence, and each rejection. */
    static final class Recorder implements DocumentHandler {
        final List<String> documents = new ArrayList<>();
        final List<RejectReason> rejections = new ArrayList<>();
        final List<String> details = new ArrayList<>();
        final Counters counters = new Counters();
        int aborted;
        boolean pauseAfterEach;
        private StringBuilder current;

        @Override
        public void startDocument() {
            current = new StringBuilder();
        }

        @Override
        public void token(JsonToken token, JsonParser parser) throws IOException {
            append(current, token, parser);
        }

        @Override
        public boolean endDocument() {
            documents.add(current.toString());
            current = null;
            return !pauseAfterEach;
        }

        @Override
        public void abortDocument() {
            aborted++;
            current = null;
        }

        IncrementalJsonDecoder decoder(int maxBytes) {
            return new IncrementalJsonDecoder(this, (r, d) -> {
                rejections.add(r);
                details.add(d);
            }, counters, maxBytes);
        }

        IncrementalJsonDecoder decoder(int maxBytes, long recycleBytes) {
            return new IncrementalJsonDecoder(this, (r, d) -> {
                rejections.add(r);
                details.add(d);
            }, counters, maxBytes, recycleBytes);
        }
    }

    static void append(StringBuilder b, JsonToken token, JsonParser parser) throws IOException {
        if (token == JsonToken.FIELD_NAME) {
            b.append(parser.currentName()).append(':');
        } else if (token.isScalarValue()) {
            b.append(new String(parser.getTextCharacters(), parser.getTextOffset(), parser.getTextLength()))
                    .append(' ');
        } else {
            b.append(token.asString());
        }
    }

    /** The token sequences a blocking parser reads from {@code json}: the reference. */
    static List<String> reference(String json) throws IOException {
        List<String> docs = new ArrayList<>();
        try (JsonParser p = new JsonFactory().createParser(json)) {
            JsonToken t;
            int depth = 0;
            StringBuilder b = new StringBuilder();
            while ((t = p.nextToken()) != null) {
                append(b, t, p);
                depth += t.isStructStart() ? 1 : t.isStructEnd() ? -1 : 0;
                if (depth == 0) {
                    docs.add(b.toString());
                    b = new StringBuilder();
                }
            }
        }
        return docs;
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static final String DOCS = "{\"a\":1,\"b\":[true,false,null,-2.5e3],\"c\":{\"d\":\"ü€🙂\\n\\\"x\"}}\n"
            + " {\"e\":[]}{\"f\":{}}\r\n\t{\"g\":12345678901234567890,\"h\":\"\"} [1,2] \"root\" ";

    @Test
    void documentsAreFoundAtEveryByteSplitIncludingInsideMultiByteCharacters() throws IOException {
        byte[] bytes = utf8(DOCS);
        // A root number at the very end would wait for more input, so the reference excludes none here.
        List<String> expected = reference(DOCS);
        assertEquals(6, expected.size());
        for (int cut = 0; cut <= bytes.length; cut++) {
            Recorder r = new Recorder();
            IncrementalJsonDecoder d = r.decoder(1 << 20);
            assertTrue(d.feed(bytes, 0, cut, false));
            assertTrue(d.feed(bytes, cut, bytes.length - cut, true));
            assertEquals(expected, r.documents, "cut at " + cut);
            assertEquals(List.of(), r.rejections);
        }
        for (int cut = 0; cut <= DOCS.length(); cut++) {
            Recorder r = new Recorder();
            IncrementalJsonDecoder d = r.decoder(1 << 20);
            assertTrue(d.feed(DOCS.substring(0, cut), false));
            assertTrue(d.feed(DOCS.substring(cut), true));
            assertEquals(expected, r.documents, "char cut at " + cut);
        }
    }

    @Test
    void byteByByteFeedingFindsTheSameDocuments() throws IOException {
        byte[] bytes = utf8(DOCS);
        Recorder r = new Recorder();
        IncrementalJsonDecoder d = r.decoder(1 << 20);
        for (int i = 0; i < bytes.length; i++) {
            assertTrue(d.feed(bytes, i, 1, i == bytes.length - 1));
        }
        assertEquals(reference(DOCS), r.documents);
        assertEquals(6, r.counters.get(Counters.DOCUMENTS));
        assertEquals(1, r.counters.get(Counters.MESSAGES));
        assertEquals(bytes.length, r.counters.get(Counters.BYTES));
    }

    @Test
    void theSizeBoundIsExactAndNeighboursSurvive() throws IOException {
        int bound = 200;
        String atBound = padded(bound);
        String overBound = padded(bound + 1);
        assertEquals(bound, utf8(atBound).length);
        String stream = "{\"n\":1}" + atBound + " " + overBound + "{\"n\":2}\n" + overBound + "\n{\"n\":3}";
        byte[] bytes = utf8(stream);
        for (int cut = 0; cut <= bytes.length; cut += 3) {
            Recorder r = new Recorder();
            IncrementalJsonDecoder d = r.decoder(bound);
            d.feed(bytes, 0, cut, false);
            d.feed(bytes, cut, bytes.length - cut, true);
            assertEquals(List.of(reference("{\"n\":1}").get(0), reference(atBound).get(0),
                    reference("{\"n\":2}").get(0), reference("{\"n\":3}").get(0)), r.documents, "cut " + cut);
            assertEquals(List.of(RejectReason.OVERSIZE, RejectReason.OVERSIZE), r.rejections, "cut " + cut);
            assertEquals(2, r.aborted);
            assertEquals(0, r.counters.get(Counters.PARSER_RESTARTS), "oversize is skipped, not resynchronised");
        }
    }

    /** A document of exactly {@code size} bytes. */
    static String padded(int size) {
        String head = "{\"pad\":\"";
        String tail = "\"}";
        return head + "x".repeat(size - head.length() - tail.length()) + tail;
    }

    @Test
    void anEndlessDocumentIsCutOffWhileItStreamsAndTheNextOneSurvives() throws IOException {
        Recorder r = new Recorder();
        IncrementalJsonDecoder d = r.decoder(64 * 1024);
        d.feed("{\"before\":1}{\"big\":[", false);
        byte[] chunk = utf8("{\"k\":\"vvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvv\"},");
        int fed = 0;
        while (fed < 2_000_000) {
            d.feed(chunk, 0, chunk.length, false);
            fed += chunk.length;
            if (fed > 64 * 1024 + 2 * IncrementalJsonDecoder.SLICE_BYTES) {
                // rejected while still streaming, within one slice of the bound
                assertEquals(List.of(RejectReason.OVERSIZE), r.rejections);
            }
        }
        d.feed("{}]}{\"after\":2}", true);
        assertEquals(List.of(reference("{\"before\":1}").get(0), reference("{\"after\":2}").get(0)), r.documents);
        assertEquals(List.of(RejectReason.OVERSIZE), r.rejections);
    }

    @Test
    void aHugeStringHitsJacksonsPerTokenBoundAndIsOneOversizeRejection() throws IOException {
        Recorder r = new Recorder();
        IncrementalJsonDecoder d = r.decoder(1000);
        String s = "{\"a\":1}\n{\"s\":\"" + "y".repeat(100_000) + "\"}\n{\"b\":2}";
        d.feed(s, true);
        assertEquals(List.of(reference("{\"a\":1}").get(0), reference("{\"b\":2}").get(0)), r.documents);
        assertEquals(List.of(RejectReason.OVERSIZE), r.rejections);
    }

    @Test
    void malformedDocumentInItsOwnMessageLosesOnlyThatMessage() throws IOException {
        Recorder r = new Recorder();
        IncrementalJsonDecoder d = r.decoder(1 << 20);
        d.feed("{\"ok\":1}", true);
        d.feed("{\"bad\":1,,\"x\":{\"looks\":\"like a document\"}}", true);
        d.feed("{\"ok\":2}", true);
        assertEquals(List.of(reference("{\"ok\":1}").get(0), reference("{\"ok\":2}").get(0)), r.documents);
        assertEquals(List.of(RejectReason.MALFORMED_JSON), r.rejections);
        assertTrue(r.details.get(0).contains("malformed JSON near stream byte"), r.details.get(0));
        assertEquals(1, r.aborted);
    }

    @Test
    void malformedLineInNewlineDelimitedStreamLosesOnlyThatLine() throws IOException {
        String stream = "{\"n\":1}\n{\"n\":2,\"x\":{\"nested\":true} oops}\n{\"n\":3}\n{\"n\":4,\"s\":\"a\nb\"}\n{\"n\":5}\n";
        Recorder r = new Recorder();
        IncrementalJsonDecoder d = r.decoder(1 << 20);
        d.feed(stream, true);
        assertEquals(List.of(reference("{\"n\":1}").get(0), reference("{\"n\":3}").get(0),
                reference("{\"n\":5}").get(0)), r.documents);
        assertEquals(List.of(RejectReason.MALFORMED_JSON, RejectReason.MALFORMED_JSON), r.rejections);
    }

    @Test
    void aTruncatedDocumentDoesNotSwallowTheNextMessage() throws IOException {
        Recorder r = new Recorder();
        IncrementalJsonDecoder d = r.decoder(1 << 20);
        d.feed("{\"topicName\":\"t\",\"eventBody\":{\"a\":\"b\"", true); // cut off after a value
        d.feed("{\"next\":1}", true);
        d.feed("{\"then\":2}", true);
        assertEquals(List.of(reference("{\"next\":1}").get(0), reference("{\"then\":2}").get(0)), r.documents);
        assertEquals(List.of(RejectReason.MALFORMED_JSON), r.rejections);
    }

    @Test
    void knownCostATruncatedDocumentCutAtAValuePositionSwallowsOneMessage() throws IOException {
        // The parser cannot tell "{"a": + {"next":1}" from one document: the next one is lost with it,
        // as one counted rejection, and decoding is back in sync at the message after.
        Recorder r = new Recorder();
        IncrementalJsonDecoder d = r.decoder(1 << 20);
        d.feed("{\"a\":", true);
        d.feed("{\"next\":1}", true);
        d.feed("{\"then\":2}", true);
        assertEquals(List.of(reference("{\"then\":2}").get(0)), r.documents);
        assertEquals(List.of(RejectReason.MALFORMED_JSON), r.rejections);
    }

    @Test
    void strayBytesBetweenDocumentsAreSkippedToTheNextBrace() throws IOException {
        Recorder r = new Recorder();
        IncrementalJsonDecoder d = r.decoder(1 << 20);
        d.feed("{\"n\":1} garbage{\"n\":2}}{\"n\":3} ]{\"n\":4}", true);
        assertEquals(List.of(reference("{\"n\":1}").get(0), reference("{\"n\":2}").get(0),
                reference("{\"n\":3}").get(0), reference("{\"n\":4}").get(0)), r.documents);
        assertEquals(3, r.rejections.size());
    }

    @Test
    void aDocumentThatLostItsOpeningBraceDoesNotYieldItsNestedObjects() throws IOException {
        Recorder r = new Recorder();
        IncrementalJsonDecoder d = r.decoder(1 << 20);
        d.feed("\"topicName\":\"t\",\"eventBody\":{\"conversationId\":\"c\",\"type\":\"x\"}}", true);
        d.feed("{\"ok\":1}", true);
        // the scalar root "topicName" is a (useless) document; the nested object is not one
        assertEquals(List.of("topicName ", reference("{\"ok\":1}").get(0)), r.documents);
        assertEquals(List.of(RejectReason.MALFORMED_JSON), r.rejections);
    }

    @Test
    void invalidUtf8IsMalformedAndResynchronises() throws IOException {
        Recorder r = new Recorder();
        IncrementalJsonDecoder d = r.decoder(1 << 20);
        byte[] bad = utf8("{\"s\":\"ab\"}");
        bad[7] = (byte) 0xC3; // a lead byte followed by an ASCII byte
        d.feed(bad, 0, bad.length, true);
        d.feed(utf8("{\"ok\":1}"), 0, 8, true);
        assertEquals(List.of(reference("{\"ok\":1}").get(0)), r.documents);
        assertEquals(List.of(RejectReason.MALFORMED_JSON), r.rejections);
    }

    @Test
    void singleByteCorruptionInANewlineDelimitedStreamNeverCostsAnotherDocument() throws IOException {
        Random random = new Random(5);
        byte[] noise = utf8("{}[]\":,\\ x1-.etn\n\u00fc");
        for (int iteration = 0; iteration < 3000; iteration++) {
            List<String> docs = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                docs.add("{\"id\":" + i + ",\"s\":\"v" + i + "\",\"o\":{\"k\":[1,{\"d\":" + i + "}]},\"t\":true}");
            }
            int victim = random.nextInt(docs.size());
            byte[] v = utf8(docs.get(victim));
            int at = random.nextInt(v.length);
            byte[] corrupted;
            if (random.nextBoolean()) {
                corrupted = new byte[v.length + 1];
                System.arraycopy(v, 0, corrupted, 0, at);
                corrupted[at] = noise[random.nextInt(noise.length)];
                System.arraycopy(v, at, corrupted, at + 1, v.length - at);
            } else {
                corrupted = new byte[v.length - 1];
                System.arraycopy(v, 0, corrupted, 0, at);
                System.arraycopy(v, at + 1, corrupted, at, v.length - at - 1);
            }
            StringBuilder stream = new StringBuilder();
            for (int i = 0; i < docs.size(); i++) {
                stream.append(i == victim ? new String(corrupted, StandardCharsets.UTF_8) : docs.get(i)).append('\n');
            }
            byte[] bytes = utf8(stream.toString());
            Recorder r = new Recorder();
            IncrementalJsonDecoder d = r.decoder(1 << 20);
            int cut = random.nextInt(bytes.length + 1);
            d.feed(bytes, 0, cut, false);
            d.feed(bytes, cut, bytes.length - cut, true);
            // every intact document arrives, in order (the corrupted one may or may not parse)
            List<String> intact = new ArrayList<>();
            for (int i = 0; i < docs.size(); i++) {
                if (i != victim) {
                    intact.add(reference(docs.get(i)).get(0));
                }
            }
            int found = 0;
            for (String got : r.documents) {
                if (found < intact.size() && got.equals(intact.get(found))) {
                    found++;
                }
            }
            assertEquals(intact.size(), found, () -> "lost a good document after corrupting #" + victim + " at " + at
                    + ": " + stream + " -> " + r.documents + " rejections " + r.rejections);
            assertTrue(r.rejections.size() <= 2, () -> "too many rejections: " + r.rejections + " for " + stream);
        }
    }

    @Test
    void fiftyThousandDocumentsThroughOneDecoderWithAFrequentlyRecycledParser() throws IOException {
        Recorder r = new Recorder();
        IncrementalJsonDecoder d = r.decoder(1 << 20, 64 * 1024);
        StringBuilder batch = new StringBuilder();
        int total = 0;
        for (int i = 0; i < 50_000; i++) {
            batch.append("{\"i\":").append(i).append(",\"s\":\"doc ").append(i).append("\"}");
            if (i % 7 == 6) {
                batch.append('\n');
            }
            if (batch.length() > 3000 || i == 49_999) {
                byte[] b = utf8(batch.toString());
                int cut = b.length / 3;
                d.feed(b, 0, cut, false);
                d.feed(b, cut, b.length - cut, true);
                total += b.length;
                batch.setLength(0);
            }
        }
        assertEquals(50_000, r.documents.size());
        assertEquals(reference("{\"i\":49999,\"s\":\"doc 49999\"}").get(0), r.documents.get(49_999));
        assertEquals(List.of(), r.rejections);
        assertTrue(r.counters.get(Counters.PARSER_RECYCLES) >= total / (64 * 1024) - 1,
                "recycled " + r.counters.get(Counters.PARSER_RECYCLES) + " times over " + total + " bytes");
    }

    @Test
    void whyThisClassEnforcesTheBoundItselfJacksonsDocumentLengthIsCumulative() throws IOException {
        // A parser kept across documents with maxDocumentLength = 1000 fails once 1000 bytes of
        // *small* documents have passed: the limit is never reset between root values.
        JsonFactory f = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder().maxDocumentLength(1000).build()).build();
        JsonParser p = f.createNonBlockingByteArrayParser();
        ByteArrayFeeder feeder = (ByteArrayFeeder) p.getNonBlockingInputFeeder();
        byte[] doc = utf8("{\"small\":\"document of about forty bytes\"}");
        assertThrows(StreamConstraintsException.class, () -> {
            for (int i = 0; i < 100; i++) {
                feeder.feedInput(doc, 0, doc.length);
                while (p.nextToken() != JsonToken.NOT_AVAILABLE) {
                    // drain
                }
            }
        });
        // ... while this decoder, same bound per document, takes any number of them.
        Recorder r = new Recorder();
        IncrementalJsonDecoder d = r.decoder(1000);
        for (int i = 0; i < 10_000; i++) {
            d.feed(doc, 0, doc.length, true);
        }
        assertEquals(10_000, r.documents.size());
        assertEquals(List.of(), r.rejections);
    }

    @Test
    void aHandlerCanPauseAfterAnyDocumentAndResumeWithNothingLost() throws IOException {
        Recorder r = new Recorder();
        r.pauseAfterEach = true;
        IncrementalJsonDecoder d = r.decoder(1 << 20);
        String three = "{\"n\":1}{\"n\":2}\n{\"n\":3}  ";
        assertFalse(d.feed(three, true));
        assertTrue(d.isPaused());
        assertEquals(1, r.documents.size());
        assertThrows(IllegalStateException.class, () -> d.feed("{}", true));
        assertFalse(d.resume());
        assertEquals(2, r.documents.size());
        assertFalse(d.resume());
        assertEquals(3, r.documents.size());
        r.pauseAfterEach = false;
        assertTrue(d.resume()); // only whitespace was left
        assertEquals(reference(three), r.documents);
        assertEquals(1, r.counters.get(Counters.MESSAGES));
        assertTrue(d.feed("{\"n\":4}", true));
        assertEquals(4, r.documents.size());
    }

    @Test
    void theStreamEndingInsideADocumentRejectsItAndTheNextStreamStartsClean() throws IOException {
        Recorder r = new Recorder();
        IncrementalJsonDecoder d = r.decoder(1 << 20);
        d.feed("{\"n\":1}{\"half\":\"docu", false);
        d.endOfStream();
        assertEquals(List.of(RejectReason.MALFORMED_JSON), r.rejections);
        d.feed("{\"n\":2}", true);
        assertEquals(List.of(reference("{\"n\":1}").get(0), reference("{\"n\":2}").get(0)), r.documents);

        // ended while paused: the held input is decoded first, then the stream ends
        r.pauseAfterEach = true;
        assertFalse(d.feed("{\"n\":3}{\"n\":4}{\"cut", false));
        d.endOfStream();
        r.pauseAfterEach = false;
        assertTrue(d.resume());
        assertEquals(4, r.documents.size());
        assertEquals(List.of(RejectReason.MALFORMED_JSON, RejectReason.MALFORMED_JSON), r.rejections);
        assertTrue(d.feed("{\"n\":5}", true));
        assertEquals(5, r.documents.size());
    }
}
