package dev.gctimeline.stream;

import dev.gctimeline.core.RejectReason;
import static dev.gctimeline.stream.Feed.assertSameEvents;
import static dev.gctimeline.stream.Feed.utf8;
import static dev.gctimeline.stream.Samples.C;
import static dev.gctimeline.stream.Samples.PC;
import static dev.gctimeline.stream.Samples.SC;
import static dev.gctimeline.stream.Samples.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gctimeline.core.EventKind;
import dev.gctimeline.core.TimelineEvent;
import dev.gctimeline.stream.Samples.Sample;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Stateful snapshots, control messages, rejections, counters and backpressure of the decoder. */
class NotificationDecoderTest {

    static final class ManualClock implements InstantSource {
        long millis = 1_000_000;

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis);
        }
    }

    static final class Signals implements ControlListener {
        final List<String> calls = new ArrayList<>();

        @Override
        public void heartbeat() {
            calls.add("heartbeat");
        }

        @Override
        public void pong() {
            calls.add("pong");
        }

        @Override
        public void socketClosing() {
            calls.add("socketClosing");
        }

        @Override
        public void noLongerSubscribed(String channelId) {
            calls.add("noLongerSubscribed " + channelId);
        }

        @Override
        public void tokenRevoked(String channelId) {
            calls.add("tokenRevoked " + channelId);
        }

        @Override
        public void conversationSeen(String conversationId) {
            calls.add("seen " + conversationId);
        }

        @Override
        public void conversationEnded(String conversationId) {
            calls.add("ended " + conversationId);
        }
    }

    @Test
    void channelAndSystemMessagesReachTheControlListenerAndMakeNoEvents() {
        Signals signals = new Signals();
        Feed f = new Feed(b -> b.control(signals));
        f.text(Samples.HEARTBEAT).text(Samples.PONG).text(Samples.SOCKET_CLOSING)
                .text(Samples.NO_LONGER_SUBSCRIBED).text(Samples.TOKEN_REVOKED)
                .text("{\"topicName\":\"v2.system.something_new." + Samples.CHANNEL + "\",\"eventBody\":{}}");
        assertEquals(List.of("heartbeat", "pong", "socketClosing", "noLongerSubscribed " + Samples.CHANNEL,
                "tokenRevoked " + Samples.CHANNEL), signals.calls);
        assertEquals(List.of(), f.events);
        assertEquals(List.of(), f.rejections);
        assertEquals(1, f.decoder.heartbeats());
        assertEquals(1, f.decoder.pongs());
        assertEquals(4, f.decoder.systemMessages());
        assertEquals(1, f.decoder.unknownTopics());
    }

    @Test
    void snapshotsEmitOnlyWhatChangedWhateverTopicTheyCameOnAndNeverMoveBackwards() {
        Signals signals = new Signals();
        ManualClock clock = new ManualClock();
        Feed f = new Feed(b -> b.control(signals).clock(clock));
        f.text(Samples.envelope(Samples.QUEUE_TOPIC, Samples.snapshotBody1()));
        assertSameEvents(Samples.snapshot1Events(), f.events, "first snapshot");

        f.events.clear();
        f.text(Samples.envelope(Samples.USER_TOPIC + ".calls", Samples.snapshotBody1())); // same state, other topic
        f.text(Samples.envelope(Samples.QUEUE_TOPIC, Samples.snapshotBody1()));          // repeated
        assertEquals(List.of(), f.events);

        f.text(Samples.envelope(Samples.USER_TOPIC, Samples.snapshotBody2()));
        assertSameEvents(Samples.snapshot2Events(), f.events, "second snapshot");
        f.events.clear();
        f.text(Samples.envelope(Samples.USER_TOPIC, Samples.snapshotBody3()));
        assertSameEvents(Samples.snapshot3Events(), f.events, "hold");
        f.events.clear();

        long staleBefore = f.decoder.staleTransitions();
        f.text(Samples.envelope(Samples.QUEUE_TOPIC, Samples.snapshotBody2())); // reordered: older than the hold
        assertEquals(List.of(), f.events);
        assertEquals(staleBefore + 1, f.decoder.staleTransitions());

        f.text(Samples.envelope(Samples.USER_TOPIC, Samples.snapshotBody4()));
        assertSameEvents(Samples.snapshot4Events(), f.events, "all ended, wrap-up");
        f.events.clear();
        f.text(Samples.envelope(Samples.QUEUE_TOPIC, Samples.snapshotBody4()));
        assertEquals(List.of(), f.events);

        assertEquals(List.of("seen " + C, "ended " + C), signals.calls);
        assertEquals(1, f.decoder.trackedConversations());
        assertEquals(List.of(), f.rejections);

        // an ended conversation is kept for the retention, then evicted
        clock.millis += Duration.ofMinutes(14).toMillis();
        f.text(Samples.envelope(Samples.QUEUE_TOPIC, Samples.snapshotBody4()));
        assertEquals(1, f.decoder.trackedConversations());
        clock.millis += Duration.ofMinutes(16).toMillis();
        f.text(Samples.envelope(Samples.QUEUE_TOPIC, otherConversation("c-other")));
        assertEquals(1, f.decoder.trackedConversations());
        assertEquals(1, f.decoder.conversationsEvicted());
    }

    static String otherConversation(String id) {
        return "{\"id\":\"" + id + "\",\"participants\":[{\"id\":\"p-" + id + "\",\"purpose\":\"customer\","
                + "\"connectedTime\":\"2026-11-22T11:00:00Z\",\"chats\":[{\"id\":\"s-" + id + "\",\"state\":\"connected\","
                + "\"connectedTime\":\"2026-11-22T11:00:01Z\",\"direction\":\"inbound\"}]}]}";
    }

    @Test
    void snapshotStateIsBoundedByCountAndIdleTimeAndReEmitsTheSameIdsAfterEviction() {
        ManualClock clock = new ManualClock();
        Feed f = new Feed(b -> b.clock(clock).maxTrackedConversations(3).conversationIdleTtl(Duration.ofHours(1)));
        for (int i = 0; i < 5; i++) {
            f.text(Samples.envelope(Samples.QUEUE_TOPIC, otherConversation("c" + i)));
        }
        assertEquals(3, f.decoder.trackedConversations());
        assertEquals(2, f.decoder.conversationsEvicted());
        List<TimelineEvent> first = List.copyOf(f.events);
        assertEquals(15, first.size()); // joined, started, state per conversation
        f.events.clear();
        f.text(Samples.envelope(Samples.QUEUE_TOPIC, otherConversation("c0"))); // evicted: decoded afresh
        assertEquals(first.subList(0, 3), f.events, "same ids after eviction, so dedup collapses them");
        f.events.clear();
        f.text(Samples.envelope(Samples.QUEUE_TOPIC, otherConversation("c4"))); // still tracked
        assertEquals(List.of(), f.events);

        clock.millis += Duration.ofHours(1).toMillis();
        f.text(Samples.envelope(Samples.QUEUE_TOPIC, otherConversation("c9")));
        assertEquals(1, f.decoder.trackedConversations()); // the idle ones went
    }

    @Test
    void everyMediaListMapsToItsMediaType() {
        String[][] lists = {{"calls", "VOICE"}, {"callbacks", "CALLBACK"}, {"chats", "CHAT"}, {"emails", "EMAIL"},
            {"messages", "MESSAGE"}, {"videos", "VIDEO"}, {"screenshares", "SCREENSHARE"},
            {"cobrowsesessions", "COBROWSE"}, {"socialExpressions", "SOCIAL"}};
        StringBuilder media = new StringBuilder();
        for (String[] l : lists) {
            media.append(",\"").append(l[0]).append("\":[{\"id\":\"s-").append(l[0])
                    .append("\",\"state\":\"Contacting\",\"direction\":\"Outbound\",\"startAlertingTime\":\"2026-11-22T10:00:00Z\"}]");
        }
        media.append(",\"workitems\":[{\"id\":\"s-w\",\"state\":\"connected\"}]");
        Feed f = new Feed().text(Samples.envelope("v2.users." + Samples.U + ".conversations.emails",
                "{\"id\":\"c-m\",\"participants\":[{\"id\":\"p\",\"purpose\":\"Agent\",\"userId\":\"u\"" + media + "}]}"));
        List<TimelineEvent> started = f.events.stream().filter(e -> e.kind() == EventKind.SESSION_STARTED).toList();
        assertEquals(lists.length, started.size());
        for (int i = 0; i < lists.length; i++) {
            TimelineEvent e = started.get(i);
            assertEquals("s-" + lists[i][0], e.sessionId());
            assertEquals(lists[i][1], e.mediaType());
            assertEquals("OUTBOUND", e.direction());
        }
        assertTrue(f.events.stream().filter(e -> e.kind() == EventKind.SESSION_STATE)
                .allMatch(e -> "contacting".equals(e.state()) && e.eventTime() == T0));
        assertTrue(f.decoder.unknownFields() >= 1, "the unknown media list is counted");
    }

    @Test
    void unknownTopicsAndFieldsAreSkippedAndCountedNeverRejected() {
        Feed f = new Feed();
        f.text(Samples.envelope("v2.users." + Samples.U + ".presence", "{\"presenceDefinition\":{\"id\":\"x\"}}"));
        f.text(Samples.envelope("v2.detail.events.conversation." + C, "{\"eventTime\":1}")); // no suffix
        assertEquals(2, f.decoder.unknownTopics());
        f.text(Samples.detailEvents().get(0).json());
        // externalOrganizationId (null), conversationExternalContactIds (array), callbackUserName
        assertEquals(3, f.decoder.unknownFields());
        assertEquals(List.of(), f.rejections);
        assertEquals(1, f.events.size());
    }

    @Test
    void fieldOrderDoesNotMatterTopicNameMayComeLast() {
        Sample s = Samples.detailEvents().get(0);
        String body = s.json().substring(s.json().indexOf("\"eventBody\":") + 12, s.json().indexOf(",\"metadata\""));
        String reordered = "{\"metadata\":{\"CorrelationId\":\"x\"},\"eventBody\":" + body
                + ",\"version\":\"2\",\"topicName\":\"v2.detail.events.conversation." + C + ".customer.start\"}";
        Feed f = new Feed().text(reordered);
        assertSameEvents(s.expected(), f.events, "reordered envelope");
    }

    @Test
    void badDocumentsAreRejectedWithTheirReasonAndTheirGoodNeighboursSurvive() {
        Feed f = new Feed();
        f.text("[1,2,3]");
        f.text("{\"hello\":\"world\"}");
        f.text("{\"conversationId\":\"c-1\",\"data\":{}}");
        f.text("{\"conversationId\":\"c-1\",\"type\":\"statusChange\",\"data\":{\"status\":\"active\"}}");
        f.text("{\"conversationId\":\"c-1\",\"type\":\"statusChange\",\"data\":{},\"timestamp\":\"2026-11-22T10:00:00Z\"}");
        f.text(Samples.detail("customer.start", "{\"conversationId\":\"" + C + "\",\"participantId\":\"p\"}"));
        f.text(Samples.detail("customer.start", "{\"eventTime\":\"yesterday\",\"participantId\":\"p\"}"));
        f.text(Samples.envelope(Samples.QUEUE_TOPIC, "{\"participants\":[]}"));
        f.text(Samples.envelope(Samples.QUEUE_TOPIC, "{\"id\":\"c-x\",\"participants\":[{\"id\":\"p\","
                + "\"connectedTime\":\"2026-11-22T10:00:00Z\",\"endTime\":\"soon\"}]}"));
        f.text("{\"version\":\"0\",\"detail-type\":\"x\",\"detail\":{\"eventBody\":{}}}");
        assertEquals(List.of(), f.events);
        assertEquals(List.of(RejectReason.UNKNOWN_SHAPE, RejectReason.UNKNOWN_SHAPE, RejectReason.MISSING_FIELD,
                RejectReason.MISSING_FIELD, RejectReason.MISSING_FIELD, RejectReason.MISSING_FIELD,
                RejectReason.INVALID_VALUE, RejectReason.MISSING_FIELD, RejectReason.INVALID_VALUE,
                RejectReason.MISSING_FIELD), f.rejections.stream().map(r -> RejectReason.valueOf(r.split(":")[0])).toList());
        assertEquals(10, f.decoder.rejected());
        assertEquals(2, f.decoder.rejected(RejectReason.UNKNOWN_SHAPE));
        assertEquals(6, f.decoder.rejected(RejectReason.MISSING_FIELD));
        assertEquals(2, f.decoder.rejected(RejectReason.INVALID_VALUE));
        // the snapshot with an invalid time changed nothing: its conversation decodes in full later
        assertEquals(0, f.decoder.trackedConversations());
        f.text(Samples.envelope(Samples.QUEUE_TOPIC, Samples.snapshotBody1()));
        assertSameEvents(Samples.snapshot1Events(), f.events, "after the rejections");
    }

    @Test
    void oneBadElementOfABatchNeverTakesItsNeighboursWithIt() {
        Feed f = new Feed();
        f.text("{\"events\":[{\"id\":\"e-1\",\"timestamp\":\"2026-11-22T10:00:00Z\",\"type\":\"interaction-updated\","
                + "\"data\":{\"participantId\":\"p\"}},"
                + "{\"id\":\"e-2\",\"timestamp\":\"2026-11-22T10:00:00Z\",\"type\":\"interaction-updated\","
                + "\"data\":{\"interactionId\":\"i\",\"k\":\"v\"}},"
                + "{\"id\":\"e-3\",\"timestamp\":\"later\",\"type\":\"interaction-updated\",\"data\":{\"interactionId\":\"i\"}},"
                + "{\"timestamp\":\"2026-11-22T10:00:00Z\",\"type\":\"interaction-updated\",\"data\":{\"interactionId\":\"i\"}}]}");
        assertEquals(1, f.events.size());
        assertEquals("i", f.events.get(0).conversationId()); // never an invented conversation
        assertEquals(3, f.decoder.rejected());
        assertEquals(1, f.decoder.rejected(RejectReason.INVALID_VALUE));

        Feed t = new Feed();
        t.text(Samples.transcription().replace("\"utteranceId\":\"u-3\",", ""));
        assertEquals(1, t.events.size());
        assertEquals(1, t.decoder.rejected(RejectReason.MISSING_FIELD));
        assertEquals(1, t.decoder.interimSkipped());
    }

    @Test
    void oversizeAndMalformedDocumentsBetweenGoodOnesCostOnlyThemselves() {
        List<Sample> good = Samples.stateless();
        Feed f = new Feed(b -> b.maxDocumentBytes(16 * 1024));
        List<TimelineEvent> expected = new ArrayList<>();
        int i = 0;
        String oversize = Samples.detail("customer.start", "{\"eventTime\":1,\"pad\":\"" + "z".repeat(20_000) + "\"}");
        for (Sample s : good) {
            f.text(s.json());
            expected.addAll(s.expected());
            switch (i++ % 4) {
                case 0 -> f.text(oversize);
                // a raw control character is malformed inside a string and outside one
                case 1 -> f.text(s.json().substring(0, s.json().length() / 2) + "\u0001"
                        + s.json().substring(s.json().length() / 2));
                // lost its tail; the next message starts a good document
                case 2 -> f.text(s.json().substring(0, s.json().length() - 1));
                default -> f.textParts(oversize, 100, 9000, 17000);
            }
        }
        // newline-delimited seed shape A in one message: the bad line costs only itself
        String lines = Samples.shapeA().get(0).json() + "\n{\"conversationId\":\"c-1\",\"type\":,}\n"
                + Samples.shapeA().get(2).json() + "\n";
        f.text(lines);
        expected.addAll(Samples.shapeA().get(0).expected());
        expected.addAll(Samples.shapeA().get(2).expected());

        assertSameEvents(expected, f.events, "good documents around bad ones");
        int n = good.size();
        assertEquals((n + 3) / 4 + n / 4, f.decoder.rejected(RejectReason.OVERSIZE));
        assertEquals((n + 2) / 4 + (n + 1) / 4 + 1, f.decoder.rejected(RejectReason.MALFORMED_JSON));
        assertEquals(f.decoder.rejected(), f.rejections.size());
    }

    @Test
    void faultMessagesOfEachRouteBetweenGoodOnesCostOnlyThemselves() {
        // The shapes the simulator injects: extra messages before a real one, braces balanced.
        String[] malformedBodies = {"{\"eventTime\":}", "{\"a\":1,,\"b\":2}", "{\"a\" 1}", "{\"text\":\"\\q\"}"};
        String[][] routes = {
            {"{\"topicName\":\"" + Samples.QUEUE_TOPIC + "\",\"version\":\"2\",\"eventBody\":", "}"},
            {"{\"conversationId\":\"c-1\",\"type\":\"metadata\",\"data\":", "}"},
            {"{\"events\":[{\"id\":\"fault-1\",\"type\":\"interaction-updated\",\"data\":", "}]}"}};
        int bound = 4096;
        Feed f = new Feed(b -> b.maxDocumentBytes(bound));
        List<TimelineEvent> expected = new ArrayList<>();
        int n = 0;
        for (String[] route : routes) {
            for (String body : malformedBodies) {
                f.text(route[0] + body + route[1]);
                Sample good = Samples.stateless().get(n++ % Samples.stateless().size());
                f.text(good.json());
                expected.addAll(good.expected());
            }
            String head = route[0] + "{\"padding\":\"";
            String tail = "\"}" + route[1];
            String oversize = head + "x".repeat(bound + 1 - head.length() - tail.length()) + tail;
            assertEquals(bound + 1, utf8(oversize).length);
            f.text(oversize);
            String atBound = head + "x".repeat(bound - head.length() - tail.length()) + tail;
            f.text(atBound); // exactly the bound: accepted (its events, if any, are not the point)
            // several good documents in one message, separated by nothing, a newline or a space
            Sample a = Samples.detailEvents().get(n % 16);
            Sample b = Samples.detailEvents().get((n + 5) % 16);
            f.text(a.json() + (n % 3 == 0 ? "" : n % 3 == 1 ? "\n" : " ") + b.json());
            expected.addAll(a.expected());
            expected.addAll(b.expected());
        }
        // (the at-bound shape A document adds an event of conversation c-1; the good ones are detail events)
        List<TimelineEvent> fromGood = f.events.stream().filter(e -> !e.conversationId().equals("c-1")).toList();
        assertSameEvents(expected, fromGood, "good messages between fault messages");
        assertEquals(12, f.decoder.rejected(RejectReason.MALFORMED_JSON));
        assertEquals(3, f.decoder.rejected(RejectReason.OVERSIZE));
    }

    @Test
    void fiftyThousandDocumentsThroughOneDecoder() {
        Feed f = new Feed();
        Random random = new Random(3);
        StringBuilder message = new StringBuilder();
        for (int i = 0; i < 50_000; i++) {
            message.append("{\"conversationId\":\"c-").append(i % 97).append("\",\"type\":\"transcript\",\"data\":{\"participantId\":\"p\",")
                    .append("\"text\":\"utterance ").append(i).append(" ü\"},\"timestamp\":\"2026-11-22T10:00:00.000Z\"}\n");
            if (message.length() > 8000 || i == 49_999) {
                String m = message.toString();
                f.textParts(m, Feed.randomCuts(random, m.length(), 1 + random.nextInt(5)));
                message.setLength(0);
            }
        }
        assertEquals(50_000, f.events.size());
        assertEquals(50_000, f.decoder.documents());
        assertEquals(0, f.decoder.rejected());
        assertEquals("utterance 49999 ü", f.events.get(49_999).attribute("text"));
    }

    /** A sink that takes at most {@code room} events, then refuses until given more room. */
    static final class ThrottledSink implements DecodedEventSink {
        final List<TimelineEvent> taken = new ArrayList<>();
        int room;
        int refusals;

        @Override
        public boolean accept(TimelineEvent event) {
            if (room == 0) {
                refusals++;
                return false;
            }
            room--;
            taken.add(event);
            return true;
        }
    }

    @Test
    void aFullSinkPausesDecodingMidMessageAndNothingIsLostOrReordered() {
        StringBuilder message = new StringBuilder();
        List<TimelineEvent> expected = new ArrayList<>();
        for (Sample s : Samples.stateless()) {
            message.append(s.json()).append('\n');
            expected.addAll(s.expected());
        }
        ThrottledSink sink = new ThrottledSink();
        NotificationDecoder d = NotificationDecoder.builder(sink).build();
        sink.room = 3;
        String m = message.toString();
        int half = m.length() / 2;
        assertFalse(d.onText(m.substring(0, half), false));
        assertTrue(d.isPaused());
        assertTrue(d.pendingEvents() > 0);
        assertThrows(IllegalStateException.class, () -> d.onText("{}", false));
        assertFalse(d.retryPending(), "still no room");
        int rounds = 0;
        boolean done = false;
        while (!done) {
            sink.room = 1 + rounds % 3;
            done = d.retryPending();
            rounds++;
        }
        assertFalse(d.isPaused());
        sink.room = 2;
        boolean more = d.onText(m.substring(half), true);
        while (!more) {
            sink.room = 2;
            more = d.retryPending();
        }
        assertEquals(expected, sink.taken, "every event, in decode order");
        assertEquals(expected.size(), d.eventsDelivered());
        assertEquals(d.eventsDecoded(), d.eventsDelivered());
        assertEquals(0, d.pendingEvents());
        assertTrue(d.pauses() > 0);
    }

    @Test
    void aSocketEndingWhilePausedStillDeliversWhatWasReceived() {
        ThrottledSink sink = new ThrottledSink();
        NotificationDecoder d = NotificationDecoder.builder(sink).build();
        String two = Samples.detailEvents().get(0).json() + Samples.detailEvents().get(1).json();
        assertFalse(d.onText(two + "{\"topicName\":\"v2.detail.events.conv", false));
        d.socketEnded();
        sink.room = 100;
        assertTrue(d.retryPending());
        assertEquals(2, sink.taken.size());
        assertEquals(1, d.rejected(RejectReason.MALFORMED_JSON)); // the truncated third
        assertTrue(d.onText(Samples.detailEvents().get(2).json(), true)); // a new socket's stream
        assertEquals(3, sink.taken.size());
    }

    @Test
    void transcriptsWithMultiByteTextSurviveEverySplitOfTheirSurrogatePairs() {
        String json = Samples.transcription();
        int emoji = json.indexOf("🙂");
        Feed f = new Feed().textParts(json, emoji + 1); // between the two halves of the pair
        assertSameEvents(Samples.transcriptionEvents(), f.events, "split inside the emoji");
        byte[] bytes = utf8(json);
        int emojiByte = utf8(json.substring(0, emoji)).length;
        for (int k = 1; k < 4; k++) {
            Feed g = new Feed().byteParts(bytes, emojiByte + k); // inside its four UTF-8 bytes
            assertSameEvents(Samples.transcriptionEvents(), g.events, "split inside the emoji's bytes");
        }
    }

    @Test
    void eventBridgeAndWebSocketYieldTheSameEventIds() {
        Feed ws = new Feed().text(Samples.detailEvents().get(0).json());
        Feed eb = new Feed().text(Samples.eventBridge());
        assertEquals(ws.events, eb.events);
        assertEquals(List.of(), eb.rejections);
    }

    @Test
    void shapeBSubscribeMessageIsTheDocumentedJson() {
        assertEquals("{\"type\":\"subscribe\",\"events\":[\"interaction-participant-joined\","
                + "\"interaction-participant-left\",\"interaction-media-channel-added\","
                + "\"interaction-media-channel-removed\",\"interaction-updated\"]}", ShapeBSubscription.subscribeMessage());
        assertEquals("{\"type\":\"subscribe\",\"events\":[\"a\\\"b\"]}", ShapeBSubscription.subscribeMessage(List.of("a\"b")));
        assertThrows(IllegalArgumentException.class, () -> ShapeBSubscription.subscribeMessage(List.of()));
    }

    @Test
    void customerAttributesInTheSnapshotAreAttributedToTheirParticipant() {
        Feed f = new Feed().text(Samples.envelope(Samples.QUEUE_TOPIC, Samples.snapshotBody1()));
        TimelineEvent attributes = f.events.stream().filter(e -> e.kind() == EventKind.ATTRIBUTES).findFirst().orElseThrow();
        assertEquals(PC, attributes.participantId());
        assertEquals(T0 + 120, attributes.eventTime()); // latest time in the participant: its call's connectedTime
        TimelineEvent started = f.events.stream().filter(e -> SC.equals(e.sessionId())
                && e.kind() == EventKind.SESSION_STARTED).findFirst().orElseThrow();
        assertEquals("INBOUND", started.direction());
    }
}
