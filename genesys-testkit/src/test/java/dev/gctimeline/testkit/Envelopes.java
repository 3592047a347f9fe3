package dev.gctimeline.testkit;

import dev.gctimeline.core.EventIds;
import dev.gctimeline.core.EventKind;
import dev.gctimeline.core.TimelineEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Hand-written notifications in the shapes of genesys-reference.md, with the ground truth each
 * carries per docs/event-mapping.md.
 */
final class Envelopes {
    static final long T0 = Instant.parse("2026-11-22T10:00:00Z").toEpochMilli();

    private Envelopes() {
    }

    static String detailTopic(String conversationId, String suffix) {
        return "v2.detail.events.conversation." + conversationId + "." + suffix;
    }

    /** A customer.start detail event (SESSION_STARTED, purpose customer). */
    static Notification customerStart(String conversationId, long eventTime, long sendAt) {
        String topic = detailTopic(conversationId, "customer.start");
        String json = "{\"topicName\":\"" + topic + "\",\"version\":\"2\",\"eventBody\":{\"eventTime\":" + eventTime
                + ",\"conversationId\":\"" + conversationId + "\",\"participantId\":\"p-" + conversationId
                + "\",\"sessionId\":\"s-" + conversationId + "\",\"mediaType\":\"VOICE\",\"direction\":\"INBOUND\","
                + "\"ani\":\"tel:+4930123\",\"dnis\":\"tel:+4930999\"},\"metadata\":{\"CorrelationId\":\"corr-"
                + conversationId + "-" + eventTime + "\"}}";
        TimelineEvent e = TimelineEvent.builder(conversationId, EventKind.SESSION_STARTED, eventTime)
                .eventId(EventIds.of("detail", "customer.start", conversationId, "p-" + conversationId,
                        "s-" + conversationId, Long.toString(eventTime)))
                .sourceType("customer.start").participantId("p-" + conversationId).sessionId("s-" + conversationId)
                .mediaType("VOICE").direction("INBOUND").purpose("customer")
                .attribute("ani", "tel:+4930123").attribute("dnis", "tel:+4930999").build();
        return new Notification(sendAt, topic, conversationId, json, List.of(e));
    }

    /** An attributes detail event whose values are multi-byte UTF-8 (umlauts, CJK, an emoji). */
    static Notification attributes(String conversationId, long eventTime, long sendAt, String name) {
        String topic = detailTopic(conversationId, "attributes");
        String json = "{\"topicName\":\"" + topic + "\",\"version\":\"2\",\"eventBody\":{\"eventTime\":" + eventTime
                + ",\"conversationId\":\"" + conversationId + "\",\"participantId\":\"p-" + conversationId
                + "\",\"attributes\":{\"customerName\":\"" + name + "\",\"note\":\"Grüße aus Köln, 東京の顧客 🎧\"}},"
                + "\"metadata\":{\"CorrelationId\":\"corr-" + conversationId + "-" + eventTime + "\"}}";
        TimelineEvent e = TimelineEvent.builder(conversationId, EventKind.ATTRIBUTES, eventTime)
                .eventId(EventIds.of("detail", "attributes", conversationId, "p-" + conversationId, null,
                        Long.toString(eventTime)))
                .sourceType("attributes").participantId("p-" + conversationId)
                .attribute("customerName", name).attribute("note", "Grüße aus Köln, 東京の顧客 🎧").build();
        return new Notification(sendAt, topic, conversationId, json, List.of(e));
    }

    /** A queue conversation snapshot (no ground truth attached here: tests of routing only). */
    static Notification queueSnapshot(String queueId, String conversationId, long sendAt) {
        String topic = "v2.routing.queues." + queueId + ".conversations";
        String json = "{\"topicName\":\"" + topic + "\",\"version\":\"2\",\"eventBody\":{\"id\":\"" + conversationId
                + "\",\"participants\":[{\"id\":\"p-" + conversationId + "\",\"purpose\":\"customer\","
                + "\"connectedTime\":\"" + Instant.ofEpochMilli(sendAt) + "\",\"calls\":[{\"id\":\"s-" + conversationId
                + "\",\"state\":\"connected\",\"direction\":\"inbound\"}]}]},\"metadata\":{\"CorrelationId\":\"q-"
                + conversationId + "\"}}";
        return new Notification(sendAt, topic, conversationId, json, List.of());
    }

    /**
     * {@code conversations} conversations, each a customer.start then an attributes event, one
     * second apart, interleaved by send time.
     */
    static List<Notification> conversations(int conversations) {
        List<Notification> out = new ArrayList<>();
        for (int i = 0; i < conversations; i++) {
            String c = String.format("c-%03d", i);
            long t = T0 + i * 1000L;
            out.add(customerStart(c, t, t));
            out.add(attributes(c, t + 500, t + 500, "Jürgen Nº" + i));
        }
        return out;
    }

    /** Shape A documents of one conversation (no ground truth attached). */
    static List<Notification> shapeA(String conversationId, int documents) {
        List<Notification> out = new ArrayList<>();
        for (int i = 0; i < documents; i++) {
            long t = T0 + i * 100L;
            String json = "{\"conversationId\":\"" + conversationId + "\",\"type\":\"transcript\",\"data\":{"
                    + "\"participantId\":\"p-1\",\"text\":\"Hallo Nr. " + i + " – schön\"},\"timestamp\":\""
                    + Instant.ofEpochMilli(t) + "\"}";
            out.add(new Notification(t, null, conversationId, json, List.of()));
        }
        return out;
    }

    /** Shape B batches of one interaction (no ground truth attached). */
    static List<Notification> shapeB(String interactionId, int batches) {
        List<Notification> out = new ArrayList<>();
        for (int i = 0; i < batches; i++) {
            long t = T0 + i * 100L;
            String json = "{\"events\":[{\"id\":\"e-" + i + "\",\"timestamp\":\"" + Instant.ofEpochMilli(t)
                    + "\",\"type\":\"interaction-participant-joined\",\"sequence\":" + i + ",\"data\":{\"interactionId\":\""
                    + interactionId + "\",\"participantId\":\"p-" + i + "\"}}]}";
            out.add(new Notification(t, null, interactionId, json, List.of()));
        }
        return out;
    }
}
