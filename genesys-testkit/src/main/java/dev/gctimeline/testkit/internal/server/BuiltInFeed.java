package dev.gctimeline.testkit.internal.server;

import dev.gctimeline.core.EventIds;
import dev.gctimeline.core.EventKind;
import dev.gctimeline.core.Timeline;
import dev.gctimeline.core.TimelineEvent;
import dev.gctimeline.testkit.Notification;
import dev.gctimeline.testkit.ScenarioFeed;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * The smoke-test feed {@code SimulatorMain} plays when no {@code --feed} class is given: inbound
 * voice calls, each customer.start, acd.start, acd.end, user.start, user.end, customer.end and acw
 * detail events plus one queue snapshot, so a client can discover the conversation and subscribe
 * its detail topics.
 *
 * <p>Honest limits: the detail events carry their ground truth exactly per docs/event-mapping.md;
 * the queue snapshot carries none (its {@code carries} is empty, although a snapshot decoder
 * emits events from it), so {@link #truth} is the detail-event timeline only. For full ground truth
 * use the scripted contact centre ({@code ContactCenterScenario}) through {@code --feed}.
 */
public final class BuiltInFeed implements ScenarioFeed {
    /** Scenario time of the first conversation: 2026-11-22T10:00:00Z. */
    public static final long START = Instant.parse("2026-11-22T10:00:00Z").toEpochMilli();
    private static final String QUEUE = "q-simulated-support";

    private final List<Notification> notifications;
    private final List<String> ids;
    private final Map<String, long[]> spans = new LinkedHashMap<>();
    private final Map<String, String> analytics = new LinkedHashMap<>();

    /**
     * @param seed                conversation and agent ids derive from it
     * @param conversations       how many calls
     * @param conversationsPerSec scenario-time rate at which calls start
     */
    public BuiltInFeed(long seed, int conversations, double conversationsPerSec) {
        if (conversations < 0 || !(conversationsPerSec > 0)) {
            throw new IllegalArgumentException("need conversations >= 0 and a positive rate");
        }
        SplittableRandom r = new SplittableRandom(seed);
        List<Notification> all = new ArrayList<>();
        List<String> order = new ArrayList<>();
        for (int i = 0; i < conversations; i++) {
            String c = uuid(r);
            String agent = "u-" + Integer.toHexString(r.nextInt(1 << 16));
            long t = START + (long) (i * 1000.0 / conversationsPerSec);
            long talk = 60_000 + r.nextInt(240_000);
            order.add(c);
            all.addAll(call(c, agent, t, talk));
            long end = t + 20_100 + talk + 30_100;
            spans.put(c, new long[] {t, end});
            analytics.put(c, analyticsJson(c, agent, t, t + 20_100 + talk + 100));
        }
        all.sort((a, b) -> Long.compare(a.sendAtMillis(), b.sendAtMillis()));
        this.notifications = List.copyOf(all);
        this.ids = List.copyOf(order);
    }

    private static List<Notification> call(String c, String agent, long t, long talk) {
        String pc = c + "-p-customer";
        String sc = c + "-s-customer";
        String pa = c + "-p-acd";
        String sa = c + "-s-acd";
        String pu = c + "-p-agent";
        String su = c + "-s-agent";
        long answered = t + 20_100;
        long hangup = answered + talk;
        List<Notification> out = new ArrayList<>();
        out.add(snapshot(c, pc, sc, t));
        out.add(detail(c, "customer.start", t + 50, pc, sc, null, null,
                new String[][] {{"ani", "tel:+493012345"}, {"dnis", "tel:+498001234"}, {"provider", "Edge"}}));
        out.add(detail(c, "acd.start", t + 1000, pa, sa, null, QUEUE, new String[0][]));
        out.add(detail(c, "acd.end", t + 20_000, pa, sa, null, QUEUE,
                new String[][] {{"acdOutcome", "ANSWERED"}, {"answeredUserId", agent}}));
        out.add(detail(c, "user.start", answered, pu, su, agent, QUEUE, new String[0][]));
        out.add(detail(c, "user.end", hangup, pu, su, agent, QUEUE,
                new String[][] {{"disconnectType", "PEER"}, {"interactingDurationMs", Long.toString(talk)}}));
        out.add(detail(c, "customer.end", hangup + 100, pc, sc, null, null,
                new String[][] {{"disconnectType", "ENDPOINT"}}));
        out.add(detail(c, "acw", hangup + 30_000, pu, su, agent, QUEUE,
                new String[][] {{"wrapupCode", "wc-resolved"}, {"wrapupNotes", "Kunde zufrieden – gelöst"},
                        {"wrapupDurationMs", "30000"}}));
        return out;
    }

    private static Notification snapshot(String c, String pc, String sc, long t) {
        String topic = "v2.routing.queues." + QUEUE + ".conversations";
        String iso = Instant.ofEpochMilli(t).toString();
        String json = "{\"topicName\":\"" + topic + "\",\"version\":\"2\",\"eventBody\":{\"id\":\"" + c
                + "\",\"participants\":[{\"id\":\"" + pc + "\",\"purpose\":\"customer\",\"connectedTime\":\"" + iso
                + "\",\"calls\":[{\"id\":\"" + sc + "\",\"state\":\"connected\",\"direction\":\"inbound\","
                + "\"connectedTime\":\"" + iso + "\"}]}]},\"metadata\":{\"CorrelationId\":\"" + c + "-snapshot\"}}";
        return new Notification(t, topic, c, json, List.of());
    }

    /** A detail event whose carries follow docs/event-mapping.md exactly. */
    private static Notification detail(String c, String suffix, long time, String participantId, String sessionId,
                                       String userId, String queueId, String[][] attributes) {
        String topic = "v2.detail.events.conversation." + c + "." + suffix;
        StringBuilder body = new StringBuilder("{\"eventTime\":").append(time)
                .append(",\"conversationId\":\"").append(c)
                .append("\",\"participantId\":\"").append(participantId)
                .append("\",\"sessionId\":\"").append(sessionId)
                .append("\",\"mediaType\":\"VOICE\",\"direction\":\"INBOUND\"");
        if (userId != null) {
            body.append(",\"userId\":\"").append(userId).append('"');
        }
        if (queueId != null) {
            body.append(",\"queueId\":\"").append(queueId).append('"');
        }
        for (String[] a : attributes) {
            boolean number = a[0].endsWith("Ms");
            body.append(",\"").append(a[0]).append("\":").append(number ? a[1] : "\"" + Json.escape(a[1]) + "\"");
        }
        body.append('}');
        String json = "{\"topicName\":\"" + topic + "\",\"version\":\"2\",\"eventBody\":" + body
                + ",\"metadata\":{\"CorrelationId\":\"" + c + "-" + suffix + "\"}}";

        EventKind kind = suffix.endsWith(".start") ? EventKind.SESSION_STARTED
                : suffix.endsWith(".end") ? EventKind.SESSION_ENDED : EventKind.WRAPUP;
        String purpose = switch (suffix.substring(0, suffix.indexOf('.') < 0 ? suffix.length() : suffix.indexOf('.'))) {
            case "customer" -> "customer";
            case "user" -> "agent";
            case "acd" -> "acd";
            default -> null;
        };
        TimelineEvent.Builder e = TimelineEvent.builder(c, kind, time)
                .eventId(EventIds.of("detail", suffix, c, participantId, sessionId, Long.toString(time)))
                .sourceType(suffix).participantId(participantId).sessionId(sessionId)
                .mediaType("VOICE").direction("INBOUND").userId(userId).queueId(queueId).purpose(purpose);
        for (String[] a : attributes) {
            e.attribute(a[0], a[1]);
        }
        return new Notification(time, topic, c, json, List.of(e.build()));
    }

    private static String analyticsJson(String c, String agent, long start, long end) {
        String s = Instant.ofEpochMilli(start).toString();
        String e = Instant.ofEpochMilli(end).toString();
        return "{\"conversationId\":\"" + c + "\",\"conversationStart\":\"" + s + "\",\"conversationEnd\":\"" + e
                + "\",\"originatingDirection\":\"inbound\",\"divisionIds\":[\"d-simulated\"],\"participants\":["
                + "{\"participantId\":\"" + c + "-p-customer\",\"purpose\":\"customer\",\"sessions\":[{\"sessionId\":\""
                + c + "-s-customer\",\"mediaType\":\"voice\",\"direction\":\"inbound\",\"segments\":[{\"segmentStart\":\""
                + s + "\",\"segmentEnd\":\"" + e + "\",\"segmentType\":\"interact\"}]}]},"
                + "{\"participantId\":\"" + c + "-p-agent\",\"purpose\":\"agent\",\"userId\":\"" + agent
                + "\",\"sessions\":[{\"sessionId\":\"" + c + "-s-agent\",\"mediaType\":\"voice\",\"direction\":\"inbound\","
                + "\"segments\":[{\"segmentStart\":\"" + s + "\",\"segmentEnd\":\"" + e
                + "\",\"segmentType\":\"interact\",\"queueId\":\"" + QUEUE + "\"}]}]}]}";
    }

    private static String uuid(SplittableRandom r) {
        String h = Long.toHexString(r.nextLong() | Long.MIN_VALUE) + Long.toHexString(r.nextLong() | Long.MIN_VALUE);
        return h.substring(0, 8) + "-" + h.substring(8, 12) + "-4" + h.substring(13, 16) + "-a" + h.substring(17, 20)
                + "-" + h.substring(20, 32);
    }

    @Override
    public List<Notification> notifications() {
        return notifications;
    }

    @Override
    public List<String> conversationIds() {
        return ids;
    }

    @Override
    public Timeline truth(String conversationId) {
        List<TimelineEvent> events = new ArrayList<>();
        for (Notification n : notifications) {
            if (conversationId.equals(n.conversationId())) {
                events.addAll(n.carries());
            }
        }
        return Timeline.of(conversationId, events);
    }

    @Override
    public Set<String> conversationsIn(long fromMillis, long toMillis) {
        Set<String> out = new LinkedHashSet<>();
        spans.forEach((id, span) -> {
            if (span[0] < toMillis && span[1] >= fromMillis) {
                out.add(id);
            }
        });
        return Collections.unmodifiableSet(out);
    }

    @Override
    public String analyticsConversationJson(String conversationId) {
        return analytics.get(conversationId);
    }
}
