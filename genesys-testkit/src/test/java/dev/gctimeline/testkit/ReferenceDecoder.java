package dev.gctimeline.testkit;

import dev.gctimeline.core.EventIds;
import dev.gctimeline.core.EventKind;
import dev.gctimeline.core.TimelineEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Test oracle: a second, independent implementation of docs/event-mapping.md that reads only the JSON
 * text (parsed with jackson-core). If it and the scenario's carries agree, the wire and the truth agree.
 * Snapshot state is kept per conversation, so feed snapshots in send order.
 */
final class ReferenceDecoder {
    private static final Map<String, String> LISTS = new LinkedHashMap<>();

    static {
        LISTS.put("calls", "VOICE");
        LISTS.put("callbacks", "CALLBACK");
        LISTS.put("chats", "CHAT");
        LISTS.put("emails", "EMAIL");
        LISTS.put("messages", "MESSAGE");
        LISTS.put("videos", "VIDEO");
        LISTS.put("screenshares", "SCREENSHARE");
        LISTS.put("cobrowsesessions", "COBROWSE");
        LISTS.put("socialExpressions", "SOCIAL");
    }

    private final Map<String, SnapState> snapshots = new HashMap<>();

    private static final class SnapState {
        final Set<String> participants = new HashSet<>();
        final Set<String> sessions = new HashSet<>();
        final Set<String> ended = new HashSet<>();
        final Set<String> left = new HashSet<>();
        final Set<String> wrapped = new HashSet<>();
        final Map<String, String> state = new HashMap<>();
        final Map<String, Long> stateTime = new HashMap<>();
        final Map<String, Map<String, String>> attributes = new HashMap<>();
    }

    /** The events a WebSocket notification envelope yields. */
    List<TimelineEvent> envelope(String json) {
        return envelope(JsonTree.object(json));
    }

    /** The events an EventBridge record yields: its {@code detail} decoded as an envelope. */
    @SuppressWarnings("unchecked")
    List<TimelineEvent> eventBridge(String json) {
        return envelope((Map<String, Object>) JsonTree.object(json).get("detail"));
    }

    @SuppressWarnings("unchecked")
    private List<TimelineEvent> envelope(Map<String, Object> env) {
        String topic = (String) env.get("topicName");
        Map<String, Object> body = (Map<String, Object>) env.get("eventBody");
        String detail = "v2.detail.events.conversation.";
        if (topic.startsWith(detail)) {
            String rest = topic.substring(detail.length());
            int dot = rest.indexOf('.');
            return List.of(detail(rest.substring(0, dot), rest.substring(dot + 1), body));
        }
        if (topic.startsWith("v2.conversations.") && topic.endsWith(".transcription")) {
            return transcription(topic.substring(17, topic.length() - 14), body);
        }
        if (topic.startsWith("v2.routing.queues.") || topic.startsWith("v2.users.")) {
            return snapshot(body);
        }
        throw new AssertionError("unexpected topic " + topic);
    }

    private static String text(Object v) {
        if (v instanceof String s) {
            return s;
        }
        if (v instanceof JsonTree.Num n) {
            return n.text();
        }
        if (v instanceof Boolean b) {
            return b.toString();
        }
        return null;
    }

    private static long time(Object v) {
        if (v instanceof JsonTree.Num n) {
            return n.longValue();
        }
        if (v instanceof String s) {
            return Instant.parse(s).toEpochMilli();
        }
        return -1;
    }

    private static String up(String s) {
        return s == null ? null : s.toUpperCase(java.util.Locale.ROOT);
    }

    private static String low(String s) {
        return s == null ? null : s.toLowerCase(java.util.Locale.ROOT);
    }

    @SuppressWarnings("unchecked")
    static TimelineEvent detail(String topicConversation, String suffix, Map<String, Object> b) {
        long t = time(b.get("eventTime"));
        String conv = b.containsKey("conversationId") ? (String) b.get("conversationId") : topicConversation;
        String pid = (String) b.get("participantId");
        String sid = (String) b.get("sessionId");
        EventKind kind;
        List<String> keys;
        switch (suffix) {
            case "customer.start", "user.start", "acd.start", "flow.start", "voicemail.start" -> {
                kind = EventKind.SESSION_STARTED;
                keys = List.of("ani", "dnis", "provider", "addressFrom", "addressTo", "divisionId", "flowId", "flowType");
            }
            case "customer.end", "user.end", "acd.end", "flow.end", "voicemail.end" -> {
                kind = EventKind.SESSION_ENDED;
                keys = List.of("disconnectType", "interactingDurationMs", "acdOutcome", "answeredUserId", "exitReason",
                        "transferType");
            }
            case "acw", "wrapup" -> {
                kind = EventKind.WRAPUP;
                keys = List.of("wrapupCode", "wrapupNotes", "wrapupDurationMs");
            }
            case "attributes" -> {
                kind = EventKind.ATTRIBUTES;
                keys = List.of();
            }
            case "flow.outcome" -> {
                kind = EventKind.FLOW;
                keys = List.of("flowId", "flowType", "flowOutcome", "flowOutcomeId", "flowOutcomeValue");
            }
            default -> {
                kind = EventKind.OTHER;
                keys = List.of();
            }
        }
        String purpose = switch (suffix.contains(".") ? suffix.substring(0, suffix.indexOf('.')) : "") {
            case "customer" -> "customer";
            case "user" -> "agent";
            case "acd" -> "acd";
            case "flow" -> "ivr";
            case "voicemail" -> "voicemail";
            default -> null;
        };
        TimelineEvent.Builder e = TimelineEvent.builder(conv, kind, t)
                .eventId(EventIds.of("detail", suffix, conv, pid, sid, Long.toString(t)))
                .sourceType(suffix).participantId(pid).sessionId(sid)
                .mediaType(up((String) b.get("mediaType"))).direction(up((String) b.get("direction")))
                .userId((String) b.get("userId")).queueId((String) b.get("queueId")).purpose(purpose);
        for (String k : keys) {
            e.attribute(k, text(b.get(k)));
        }
        if (kind == EventKind.ATTRIBUTES && b.get("attributes") instanceof Map<?, ?> m) {
            ((Map<String, Object>) m).forEach((k, v) -> e.attribute(k, text(v)));
        }
        return e.build();
    }

    @SuppressWarnings("unchecked")
    static List<TimelineEvent> transcription(String topicConversation, Map<String, Object> b) {
        String conv = b.containsKey("conversationId") ? (String) b.get("conversationId") : topicConversation;
        String comm = (String) b.get("communicationId");
        List<TimelineEvent> out = new ArrayList<>();
        for (Object o : (List<Object>) b.get("transcripts")) {
            Map<String, Object> t = (Map<String, Object>) o;
            if (!Boolean.TRUE.equals(t.get("isFinal"))) {
                continue;
            }
            Map<String, Object> alt = (Map<String, Object>) ((List<Object>) t.get("alternatives")).get(0);
            long offset = time(alt.get("offsetMs"));
            long when = b.get("transcriptionStartTimeMs") != null ? time(b.get("transcriptionStartTimeMs")) + offset
                    : b.get("sessionStartTimeMs") != null ? time(b.get("sessionStartTimeMs")) + offset
                    : time(b.get("eventTime"));
            String utterance = (String) t.get("utteranceId");
            out.add(TimelineEvent.builder(conv, EventKind.TRANSCRIPT, when)
                    .eventId(EventIds.of("transcript", conv, comm, utterance))
                    .sourceType("transcription").sessionId(comm)
                    .attribute("utteranceId", utterance).attribute("channel", (String) t.get("channel"))
                    .attribute("text", (String) alt.get("transcript")).attribute("confidence", text(alt.get("confidence")))
                    .build());
        }
        return out;
    }

    private static TimelineEvent.Builder snap(String conv, EventKind kind, String pid, String sid, String state, long t) {
        return TimelineEvent.builder(conv, kind, t)
                .eventId(EventIds.of("snapshot", kind.name(), conv, pid, sid, state, Long.toString(t)))
                .sourceType("snapshot").participantId(pid).sessionId(sid).state(state);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> media(Map<String, Object> p, String list) {
        Object v = p.get(list);
        return v == null ? List.of() : (List<Map<String, Object>>) v;
    }

    private static long latest(Map<String, Object> p) {
        long t = -1;
        for (String k : List.of("connectedTime", "endTime", "endAcwTime")) {
            t = Math.max(t, time(p.get(k)));
        }
        for (String list : LISTS.keySet()) {
            for (Map<String, Object> m : media(p, list)) {
                for (String k : List.of("startAlertingTime", "connectedTime", "startHoldTime", "disconnectedTime")) {
                    t = Math.max(t, time(m.get(k)));
                }
            }
        }
        return t;
    }

    @SuppressWarnings("unchecked")
    List<TimelineEvent> snapshot(Map<String, Object> body) {
        String conv = (String) body.get("id");
        SnapState st = snapshots.computeIfAbsent(conv, k -> new SnapState());
        List<Map<String, Object>> ps = (List<Map<String, Object>>) body.get("participants");
        long latestAll = -1;
        for (Map<String, Object> p : ps) {
            latestAll = Math.max(latestAll, latest(p));
        }
        List<TimelineEvent> out = new ArrayList<>();
        for (Map<String, Object> p : ps) {
            String pid = (String) p.get("id");
            long latest = latest(p) >= 0 ? latest(p) : latestAll;
            if (st.participants.add(pid)) {
                long t = time(p.get("connectedTime"));
                if (t < 0) {
                    long min = Long.MAX_VALUE;
                    for (String list : LISTS.keySet()) {
                        for (Map<String, Object> m : media(p, list)) {
                            for (String k : List.of("startAlertingTime", "connectedTime", "startHoldTime", "disconnectedTime")) {
                                long v = time(m.get(k));
                                if (v >= 0) {
                                    min = Math.min(min, v);
                                }
                            }
                        }
                    }
                    t = min == Long.MAX_VALUE ? latest : min;
                }
                out.add(snap(conv, EventKind.PARTICIPANT_JOINED, pid, null, null, t).purpose(low((String) p.get("purpose")))
                        .userId((String) p.get("userId")).queueId((String) p.get("queueId"))
                        .attribute("name", (String) p.get("name")).build());
            }
            for (Map.Entry<String, String> list : LISTS.entrySet()) {
                for (Map<String, Object> m : media(p, list.getKey())) {
                    String sid = (String) m.get("id");
                    if (st.sessions.add(sid)) {
                        long t = m.get("startAlertingTime") != null ? time(m.get("startAlertingTime"))
                                : m.get("connectedTime") != null ? time(m.get("connectedTime")) : latest;
                        out.add(snap(conv, EventKind.SESSION_STARTED, pid, sid, null, t).mediaType(list.getValue())
                                .direction(up((String) m.get("direction"))).build());
                    }
                    String state = low((String) m.get("state"));
                    if ("connected".equals(state) && Boolean.TRUE.equals(m.get("held"))) {
                        state = "held";
                    }
                    if (state != null && !state.equals(st.state.get(sid))) {
                        String key = switch (state) {
                            case "alerting" -> "startAlertingTime";
                            case "connected" -> "connectedTime";
                            case "held" -> "startHoldTime";
                            case "disconnected", "terminated" -> "disconnectedTime";
                            default -> "-";
                        };
                        long t = m.get(key) != null ? time(m.get(key)) : latest;
                        Long before = st.stateTime.get(sid);
                        if (before == null || t >= before) {
                            st.state.put(sid, state);
                            st.stateTime.put(sid, t);
                            out.add(snap(conv, EventKind.SESSION_STATE, pid, sid, state, t).mediaType(list.getValue()).build());
                        }
                    }
                    if (m.get("disconnectedTime") != null && st.ended.add(sid)) {
                        out.add(snap(conv, EventKind.SESSION_ENDED, pid, sid, null, time(m.get("disconnectedTime")))
                                .mediaType(list.getValue()).attribute("disconnectType", (String) m.get("disconnectType")).build());
                    }
                }
            }
            if (p.get("endTime") != null && st.left.add(pid)) {
                out.add(snap(conv, EventKind.PARTICIPANT_LEFT, pid, null, null, time(p.get("endTime"))).build());
            }
            if (p.get("wrapup") instanceof Map<?, ?> w && st.wrapped.add(pid)) {
                long t = p.get("endAcwTime") != null ? time(p.get("endAcwTime")) : latest;
                Object seconds = w.get("durationSeconds");
                out.add(snap(conv, EventKind.WRAPUP, pid, null, null, t)
                        .attribute("wrapupCode", (String) w.get("code")).attribute("wrapupNotes", (String) w.get("notes"))
                        .attribute("wrapupDurationMs", seconds == null ? null
                                : Long.toString(((JsonTree.Num) seconds).longValue() * 1000)).build());
            }
            if (p.get("attributes") instanceof Map<?, ?> a && !a.isEmpty()) {
                Map<String, String> known = st.attributes.computeIfAbsent(pid, k -> new HashMap<>());
                TimelineEvent.Builder e = null;
                for (Map.Entry<?, ?> en : a.entrySet()) {
                    String k = (String) en.getKey();
                    String v = text(en.getValue());
                    if (v != null && !v.equals(known.get(k))) {
                        known.put(k, v);
                        if (e == null) {
                            e = snap(conv, EventKind.ATTRIBUTES, pid, null, null, latest);
                        }
                        e.attribute(k, v);
                    }
                }
                if (e != null) {
                    out.add(e.build());
                }
            }
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    static TimelineEvent shapeA(String json) {
        Map<String, Object> d = JsonTree.object(json);
        String conv = (String) d.get("conversationId");
        String type = (String) d.get("type");
        long t = time(d.get("timestamp"));
        Object data = d.get("data");
        TimelineEvent.Builder b;
        switch (type) {
            case "statusChange" -> {
                String status = low((String) ((Map<String, Object>) data).get("status"));
                b = TimelineEvent.builder(conv, status.equals("completed") || status.equals("ended")
                        ? EventKind.CONVERSATION_ENDED : EventKind.CONVERSATION_STATUS, t).state(status);
            }
            case "participants" -> {
                b = TimelineEvent.builder(conv, EventKind.PARTICIPANTS_REPLACED, t);
                for (Object o : (List<Object>) data) {
                    Map<String, Object> p = (Map<String, Object>) o;
                    String purpose = low((String) p.get("purpose"));
                    b.attribute((String) p.get("id"), purpose == null ? "" : purpose);
                }
            }
            case "transcript" -> {
                Map<String, Object> m = (Map<String, Object>) data;
                b = TimelineEvent.builder(conv, EventKind.TRANSCRIPT, t).participantId((String) m.get("participantId"))
                        .attribute("text", (String) m.get("text"));
            }
            case "metadata" -> {
                b = TimelineEvent.builder(conv, EventKind.ATTRIBUTES, t);
                for (Map.Entry<String, Object> e : ((Map<String, Object>) data).entrySet()) {
                    b.attribute(e.getKey(), text(e.getValue()));
                }
            }
            default -> b = TimelineEvent.builder(conv, EventKind.OTHER, t);
        }
        return b.sourceType(type).build();
    }

    @SuppressWarnings("unchecked")
    static List<TimelineEvent> shapeB(String json) {
        List<TimelineEvent> out = new ArrayList<>();
        for (Object o : (List<Object>) JsonTree.object(json).get("events")) {
            Map<String, Object> e = (Map<String, Object>) o;
            Map<String, Object> data = (Map<String, Object>) e.get("data");
            String type = (String) e.get("type");
            EventKind kind = switch (type) {
                case "interaction-participant-joined" -> EventKind.PARTICIPANT_JOINED;
                case "interaction-participant-left" -> EventKind.PARTICIPANT_LEFT;
                case "interaction-media-channel-added" -> EventKind.SESSION_STARTED;
                case "interaction-media-channel-removed" -> EventKind.SESSION_ENDED;
                case "interaction-updated" -> EventKind.ATTRIBUTES;
                default -> EventKind.OTHER;
            };
            TimelineEvent.Builder b = TimelineEvent.builder((String) data.get("interactionId"), kind, time(e.get("timestamp")))
                    .eventId(EventIds.ofSourceId((String) e.get("id"))).sequence(((JsonTree.Num) e.get("sequence")).longValue())
                    .sourceType(type).participantId((String) data.get("participantId"))
                    .sessionId((String) data.get("channelId"));
            for (Map.Entry<String, Object> d : data.entrySet()) {
                if (!Set.of("interactionId", "participantId", "channelId").contains(d.getKey())) {
                    b.attribute(d.getKey(), text(d.getValue()));
                }
            }
            out.add(b.build());
        }
        return out;
    }
}
