package dev.gctimeline.stream;

import static dev.gctimeline.stream.Feed.assertSameEvents;
import static dev.gctimeline.stream.Feed.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gctimeline.core.TimelineEvent;
import dev.gctimeline.stream.Samples.Sample;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Every sample decodes to its hand-written events, and to the same events however it is cut:
 * at every byte offset into two frames, at every char offset into two text parts (between the two
 * halves of a surrogate pair too), and into random k-way splits.
 */
class DecodeSplitTest {

    private static List<Sample> all() {
        List<Sample> all = new ArrayList<>(Samples.stateless());
        all.addAll(Samples.snapshotsFresh());
        return all;
    }

    /** What else a decode produced besides events: must not depend on the cuts either. */
    static List<Long> counters(NotificationDecoder d) {
        return List.of(d.documents(), d.eventsDecoded(), d.rejected(), d.heartbeats(), d.pongs(), d.systemMessages(),
                d.unknownTopics(), d.unknownFields(), d.interimSkipped(), (long) d.trackedConversations());
    }

    @Test
    void everySampleDecodesToTheEventsTheMappingDocumentPrescribes() {
        for (Sample s : all()) {
            Feed f = new Feed().text(s.json());
            assertSameEvents(s.expected(), f.events, s.name());
            assertEquals(List.of(), f.rejections, s.name());
            assertEquals(1, f.decoder.documents(), s.name());
        }
    }

    @Test
    void everyByteOffsetSplitIntoTwoFramesDecodesAlike() {
        for (Sample s : all()) {
            byte[] bytes = utf8(s.json());
            List<Long> whole = counters(new Feed().text(s.json()).decoder);
            for (int cut = 0; cut <= bytes.length; cut++) {
                Feed f = new Feed().byteParts(bytes, cut);
                assertSameEvents(s.expected(), f.events, s.name() + " cut at byte " + cut);
                assertEquals(whole, counters(f.decoder), s.name() + " cut at byte " + cut);
            }
        }
    }

    @Test
    void everyCharOffsetSplitIntoTwoTextPartsDecodesAlike() {
        for (Sample s : all()) {
            String json = s.json();
            List<Long> whole = counters(new Feed().text(json).decoder);
            assertEquals(0, whole.get(2), s.name() + " rejected");
            for (int cut = 0; cut <= json.length(); cut++) {
                Feed f = new Feed().textParts(json, cut);
                assertSameEvents(s.expected(), f.events, s.name() + " cut at char " + cut);
                assertEquals(whole, counters(f.decoder), s.name() + " cut at char " + cut);
            }
        }
    }

    @Test
    void randomMultiWaySplitsDecodeAlike() {
        Random random = new Random(20261122L);
        for (Sample s : all()) {
            byte[] bytes = utf8(s.json());
            for (int i = 0; i < 150; i++) {
                int k = 2 + random.nextInt(i % 3 == 0 ? 200 : 12);
                int[] byteCuts = Feed.randomCuts(random, bytes.length, k);
                Feed f = new Feed().byteParts(bytes, byteCuts);
                assertSameEvents(s.expected(), f.events, s.name() + " bytes " + java.util.Arrays.toString(byteCuts));
                int[] charCuts = Feed.randomCuts(random, s.json().length(), k);
                Feed g = new Feed().textParts(s.json(), charCuts);
                assertSameEvents(s.expected(), g.events, s.name() + " chars " + java.util.Arrays.toString(charCuts));
            }
        }
    }

    @Test
    void severalDocumentsInOneMessageWithAnyWhitespaceBetween() {
        List<Sample> samples = Samples.stateless();
        StringBuilder message = new StringBuilder();
        List<TimelineEvent> expected = new ArrayList<>();
        String[] gaps = {"", "\n", " ", "\r\n", "\t \n  "};
        for (int i = 0; i < samples.size(); i++) {
            message.append(samples.get(i).json()).append(gaps[i % gaps.length]);
            expected.addAll(samples.get(i).expected());
        }
        String all = message.toString();
        Feed f = new Feed().text(all);
        assertSameEvents(expected, f.events, "one message");
        assertEquals(samples.size(), f.decoder.documents());
        assertEquals(0, f.decoder.rejected());

        // and the same stream cut anywhere, as bytes and as text
        Random random = new Random(7);
        byte[] bytes = utf8(all);
        for (int i = 0; i < 40; i++) {
            int k = 2 + random.nextInt(300);
            Feed b = new Feed().byteParts(bytes, Feed.randomCuts(random, bytes.length, k));
            assertSameEvents(expected, b.events, "bytes, " + k + " parts");
            Feed t = new Feed().textParts(all, Feed.randomCuts(random, all.length(), k));
            assertSameEvents(expected, t.events, "text, " + k + " parts");
        }
    }

    @Test
    void aDocumentSplitAcrossMessagesIsReassembled() {
        for (Sample s : all()) {
            String json = s.json();
            for (int cut = 1; cut < json.length(); cut += 7) {
                Feed f = new Feed();
                assertTrue(f.decoder.onText(json.substring(0, cut), true)); // first message ends mid-document
                assertTrue(f.decoder.onText(json.substring(cut), true));
                assertSameEvents(s.expected(), f.events, s.name() + " across messages at " + cut);
                assertEquals(0, f.decoder.rejected());
                assertEquals(2, f.decoder.messages());
            }
        }
    }

    @Test
    void oneDecoderKeepsDecodingSampleAfterSampleInAnyFraming() {
        // The same decoder across many documents and framings: no state leaks between documents.
        Random random = new Random(99);
        Feed f = new Feed();
        List<TimelineEvent> expected = new ArrayList<>();
        List<Sample> samples = Samples.stateless();
        for (int round = 0; round < 20; round++) {
            for (Sample s : samples) {
                byte[] bytes = utf8(s.json());
                f.byteParts(bytes, Feed.randomCuts(random, bytes.length, 1 + random.nextInt(6)));
                expected.addAll(s.expected());
            }
        }
        assertSameEvents(expected, f.events, "20 rounds");
        assertEquals(0, f.decoder.rejected());
    }
}
