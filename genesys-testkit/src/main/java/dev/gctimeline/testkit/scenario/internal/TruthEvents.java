package dev.gctimeline.testkit.scenario.internal;

import dev.gctimeline.core.EventIds;
import dev.gctimeline.core.EventKind;
import dev.gctimeline.core.TimelineEvent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The one place where the scenario turns wire documents into the {@link TimelineEvent}s they carry.
 * It implements docs/event-mapping.md to the letter (ids via {@link EventIds} with exactly the parts
 * listed there, the normalisation rules, the snapshot difference rules), because the decoders in
 * genesys-stream must produce identical events from the same bytes. It reads the very
 * {@link WireObject}s that {@link WireJson} renders, so truth and wire cannot drift apart.
 *
 * <p>Where the mapping left a choice, the reading taken is written at the spot (search "Reading:"),
 * and repeated in the module README.
 */
public final class TruthEvents {
    public static final String DETAIL_TOPIC_PREFIX = "v2.detail.events.conversation.";

    private static final List<String> START_ATTRIBUTES = List.of(
            "ani", "dnis", "provider", "addressFrom", "addressTo", "divisionId", "flowId", "flowType");
    private static final List<String> END_ATTRIBUTES = List.of(
            "disconnectType", "interactingDurationMs", "acdOutcome", "answeredUserId", "exitReason", "transferType");
    private static final List<String> WRAPUP_ATTRIBUTES = List.of("wrapupCode", "wrapupNotes", "wrapupDurationMs");
    private static final List<String> FLOW_ATTRIBUTES = List.of(
            "flowId", "flowType", "flowOutcome", "flowOutcomeId", "flowOutcomeValue");

    /** Snapshot media lists and the media type each stands for (docs/event-mapping.md, normalisation). */
    public static final Map<String, String> SNAPSHOT_MEDIA_LISTS;

    static {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("calls", "VOICE");
        m.put("callbacks", "CALLBACK");
        m.put("chats", "CHAT");
        m.put("emails", "EMAIL");
        m.put("messages", "MESSAGE");
        m.put("videos", "VIDEO");
        m.put("screenshares", "SCREENSHARE");
        m.put("cobrowsesessions", "COBROWSE");
        m.put("socialExpressions", "SOCIAL");
        SNAPSHOT_MEDIA_LISTS = java.util.Collections.unmodifiableMap(m);
    }

    private TruthEvents() {
    }

    // ---------------------------------------------------------------- detail events

    /** The kind a detail-event topic suffix maps to. */
    public static EventKind detailKind(String suffix) {
        switch (suffix) {
            case "customer.start", "user.start", "acd.start", "flow.start", "voicemail.start":
                return EventKind.SESSION_STARTED;
            case "customer.end", "user.end", "acd.end", "flow.end", "voicemail.end":
                return EventKind.SESSION_ENDED;
            case "acw", "wrapup":
                return EventKind.WRAPUP;
            case "attributes":
                return EventKind.ATTRIBUTES;
            case "flow.outcome":
                return EventKind.FLOW;
            default:
                return EventKind.OTHER;
        }
    }

    /**
     * The purpose a suffix implies. Reading: the suffix's first segment decides, so
     * {@code flow.outcome} is {@code ivr} like {@code flow.start}; {@code acw}, {@code wrapup},
     * {@code attributes}, {@code contact} leave it null.
     */
    public static String detailPurpose(String suffix) {
        int dot = suffix.indexOf('.');
        String head = dot < 0 ? suffix : suffix.substring(0, dot);
        switch (head) {
            case "customer":
                return dot < 0 ? null : "customer";
            case "user":
                return dot < 0 ? null : "agent";
            case "acd":
                return dot < 0 ? null : "acd";
            case "flow":
                return dot < 0 ? null : "ivr";
            case "voicemail":
                return dot < 0 ? null : "voicemail";
            default:
                return null;
        }
    }

    /** The event a detail-event body on {@code v2.detail.events.conversation.{topicConversationId}.{suffix}} carries. */
    public static TimelineEvent detail(String topicConversationId, String suffix, WireObject body) {
        long time = body.millis("eventTime");
        String conversationId = body.string("conversationId");
        if (conversationId == null) {
            conversationId = topicConversationId;
        }
        String participantId = body.string("participantId");
        String sessionId = body.string("sessionId");
        EventKind kind = detailKind(suffix);
        TimelineEvent.Builder b = TimelineEvent.builder(conversationId, kind, time)
                .eventId(EventIds.of("detail", suffix, conversationId, participantId, sessionId, Long.toString(time)))
                .sourceType(suffix)
                .participantId(participantId)
                .sessionId(sessionId)
                .mediaType(upper(body.string("mediaType")))
                .direction(upper(body.string("direction")))
                .userId(body.string("userId"))
                .queueId(body.string("queueId"))
                .purpose(detailPurpose(suffix));
        List<String> keys = switch (kind) {
            case SESSION_STARTED -> START_ATTRIBUTES;
            case SESSION_ENDED -> END_ATTRIBUTES;
            case WRAPUP -> WRAPUP_ATTRIBUTES;
            case FLOW -> FLOW_ATTRIBUTES;
            default -> List.of();
        };
        if (kind == EventKind.ATTRIBUTES) {
            WireObject attributes = body.object("attributes");
            if (attributes != null) {
                for (int i = 0; i < attributes.size(); i++) {
                    String text = jsonText(attributes.value(i));
                    if (text != null) {
                        b.attribute(attributes.key(i), text);
                    }
                }
            }
        } else {
            // Body order, filtered: what a one-pass streaming decoder naturally produces (order is
            // not part of equality anyway).
            for (int i = 0; i < body.size(); i++) {
                if (keys.contains(body.key(i))) {
                    String text = jsonText(body.value(i));
                    if (text != null) {
                        b.attribute(body.key(i), text);
                    }
                }
            }
        }
        return b.build();
    }

    // ---------------------------------------------------------------- transcription

    /** One TRANSCRIPT per final utterance of a {@code v2.conversations.{id}.transcription} body. */
    public static List<TimelineEvent> transcription(String topicConversationId, WireObject body) {
        String conversationId = body.string("conversationId");
        if (conversationId == null) {
            conversationId = topicConversationId;
        }
        String communicationId = body.string("communicationId");
        long transcriptionStart = body.millis("transcriptionStartTimeMs");
        long sessionStart = body.millis("sessionStartTimeMs");
        long bodyTime = body.millis("eventTime");
        List<?> transcripts = body.list("transcripts");
        List<TimelineEvent> out = new ArrayList<>(2);
        if (transcripts == null) {
            return out;
        }
        for (Object o : transcripts) {
            WireObject t = (WireObject) o;
            if (!Boolean.TRUE.equals(t.get("isFinal"))) {
                continue;
            }
            List<?> alternatives = t.list("alternatives");
            WireObject alt = alternatives == null || alternatives.isEmpty() ? null : (WireObject) alternatives.get(0);
            long offset = alt == null ? -1 : alt.millis("offsetMs");
            long time;
            if (transcriptionStart >= 0 && offset >= 0) {
                time = transcriptionStart + offset;
            } else if (sessionStart >= 0 && offset >= 0) {
                time = sessionStart + offset;
            } else {
                time = bodyTime;
            }
            String utteranceId = t.string("utteranceId");
            out.add(TimelineEvent.builder(conversationId, EventKind.TRANSCRIPT, time)
                    .eventId(EventIds.of("transcript", conversationId, communicationId, utteranceId))
                    .sourceType("transcription")
                    .sessionId(communicationId)
                    .attribute("utteranceId", utteranceId)
                    .attribute("channel", t.string("channel"))
                    .attribute("text", alt == null ? null : alt.string("transcript"))
                    .attribute("confidence", alt == null ? null : jsonText(alt.get("confidence")))
                    .build());
        }
        return out;
    }

    // ---------------------------------------------------------------- snapshots

    /**
     * The decoder side of conversation snapshots for one conversation: fed every snapshot of the
     * conversation in send order, it returns the events each adds (docs/event-mapping.md,
     * "Conversation snapshots"). Not thread-safe; one per conversation. Its maps are lookups only,
     * never iterated for output, so hash order cannot leak into the result.
     *
     * <p>Readings taken where the table leaves room:
     * <ul>
     * <li>A media item seen for the first time is "not seen before" (SESSION_STARTED) and its state
     *     also "differs from the last emitted" (nothing was), so it emits SESSION_STATE too.</li>
     * <li>Participant-level events (joined, left, wrapup, attributes) carry {@code participantId};
     *     session-level events (started, state, ended) carry {@code participantId}, {@code sessionId}
     *     and {@code mediaType} (from the list the item is in); besides those, only the fields the
     *     table lists are set. {@code sourceType} is {@code snapshot}. (mediaType on state and ended
     *     events is not in the table; it is what genesys-stream's SnapshotTracker does.)</li>
     * <li>State times: {@code alerting} startAlertingTime, {@code connected} connectedTime,
     *     {@code held} startHoldTime, {@code disconnected}/{@code terminated} disconnectedTime; other
     *     states have none of their own and take the participant's latest timestamp.</li>
     * <li>"Latest timestamp anywhere in the participant": participant connectedTime, endTime,
     *     endAcwTime (the table's list; startAcwTime is not one), and its media items'
     *     startAlertingTime, connectedTime, startHoldTime, disconnectedTime.</li>
     * <li>A stale state transition (earlier than the session's last emitted one) is not emitted
     *     and does not replace the remembered state. (The scenario never lets this choice show: at
     *     most one hold per session, so after an unhold the next change is a disconnect.)</li>
     * </ul>
     */
    public static final class SnapshotDiffer {
        private final Set<String> participants = new HashSet<>();
        private final Set<String> left = new HashSet<>();
        private final Set<String> wrapped = new HashSet<>();
        private final Map<String, Map<String, String>> attributes = new HashMap<>();
        private final Set<String> sessions = new HashSet<>();
        private final Set<String> ended = new HashSet<>();
        private final Map<String, String> lastState = new HashMap<>();
        private final Map<String, Long> lastStateTime = new HashMap<>();

        /** The events {@code snapshot} adds to what earlier snapshots of the conversation emitted. */
        public List<TimelineEvent> apply(WireObject snapshot) {
            String conversationId = snapshot.string("id");
            List<?> ps = snapshot.list("participants");
            List<TimelineEvent> out = new ArrayList<>();
            if (ps == null) {
                return out;
            }
            long latestInSnapshot = -1;
            for (Object o : ps) {
                latestInSnapshot = Math.max(latestInSnapshot, latestIn((WireObject) o));
            }
            for (Object o : ps) {
                participant(conversationId, (WireObject) o, latestInSnapshot, out);
            }
            return out;
        }

        private void participant(String conversationId, WireObject p, long latestInSnapshot, List<TimelineEvent> out) {
            String pid = p.string("id");
            long latest = latestIn(p);
            if (latest < 0) {
                latest = latestInSnapshot;
            }
            if (participants.add(pid)) {
                long t = p.millis("connectedTime");
                if (t < 0) {
                    t = earliestMediaTime(p);
                }
                if (t < 0) {
                    t = latest;
                }
                out.add(snapshotEvent(conversationId, EventKind.PARTICIPANT_JOINED, pid, null, null, t)
                        .purpose(lower(p.string("purpose")))
                        .userId(p.string("userId"))
                        .queueId(p.string("queueId"))
                        .attribute("name", p.string("name"))
                        .build());
            }
            for (Map.Entry<String, String> list : SNAPSHOT_MEDIA_LISTS.entrySet()) {
                // Document order and table order agree for what the scenario writes; event order
                // inside one message does not matter to a timeline.
                List<?> items = p.list(list.getKey());
                if (items == null) {
                    continue;
                }
                for (Object io : items) {
                    media(conversationId, pid, list.getValue(), (WireObject) io, latest, out);
                }
            }
            long endTime = p.millis("endTime");
            if (endTime >= 0 && left.add(pid)) {
                out.add(snapshotEvent(conversationId, EventKind.PARTICIPANT_LEFT, pid, null, null, endTime).build());
            }
            WireObject wrapup = p.object("wrapup");
            if (wrapup != null && wrapped.add(pid)) {
                long t = p.millis("endAcwTime");
                if (t < 0) {
                    t = latest;
                }
                long seconds = wrapup.millis("durationSeconds");
                out.add(snapshotEvent(conversationId, EventKind.WRAPUP, pid, null, null, t)
                        .attribute("wrapupCode", wrapup.string("code"))
                        .attribute("wrapupNotes", wrapup.string("notes"))
                        .attribute("wrapupDurationMs", seconds < 0 ? null : Long.toString(seconds * 1000))
                        .build());
            }
            WireObject attrs = p.object("attributes");
            if (attrs != null && attrs.size() > 0) {
                Map<String, String> known = attributes.computeIfAbsent(pid, k -> new HashMap<>());
                TimelineEvent.Builder b = null;
                for (int i = 0; i < attrs.size(); i++) {
                    String value = jsonText(attrs.value(i));
                    if (value != null && !value.equals(known.get(attrs.key(i)))) {
                        known.put(attrs.key(i), value);
                        if (b == null) {
                            b = snapshotEvent(conversationId, EventKind.ATTRIBUTES, pid, null, null, latest);
                        }
                        b.attribute(attrs.key(i), value);
                    }
                }
                if (b != null) {
                    out.add(b.build());
                }
            }
        }

        private void media(String conversationId, String pid, String mediaType, WireObject m, long latest,
                           List<TimelineEvent> out) {
            String sid = m.string("id");
            if (sessions.add(sid)) {
                long t = m.millis("startAlertingTime");
                if (t < 0) {
                    t = m.millis("connectedTime");
                }
                if (t < 0) {
                    t = latest;
                }
                out.add(snapshotEvent(conversationId, EventKind.SESSION_STARTED, pid, sid, null, t)
                        .mediaType(mediaType)
                        .direction(upper(m.string("direction")))
                        .build());
            }
            String state = lower(m.string("state"));
            if (state != null) {
                if ("connected".equals(state) && Boolean.TRUE.equals(m.get("held"))) {
                    state = "held";
                }
                if (!state.equals(lastState.get(sid))) {
                    long t = stateTime(state, m);
                    if (t < 0) {
                        t = latest;
                    }
                    Long previous = lastStateTime.get(sid);
                    if (previous == null || t >= previous) {
                        lastState.put(sid, state);
                        lastStateTime.put(sid, t);
                        out.add(snapshotEvent(conversationId, EventKind.SESSION_STATE, pid, sid, state, t)
                                .mediaType(mediaType).build());
                    }
                }
            }
            long disconnected = m.millis("disconnectedTime");
            if (disconnected >= 0 && ended.add(sid)) {
                out.add(snapshotEvent(conversationId, EventKind.SESSION_ENDED, pid, sid, null, disconnected)
                        .mediaType(mediaType)
                        .attribute("disconnectType", m.string("disconnectType"))
                        .build());
            }
        }

        private static long stateTime(String state, WireObject m) {
            switch (state) {
                case "alerting":
                    return m.millis("startAlertingTime");
                case "connected":
                    return m.millis("connectedTime");
                case "held":
                    return m.millis("startHoldTime");
                case "disconnected", "terminated":
                    return m.millis("disconnectedTime");
                default:
                    return -1;
            }
        }

        private static long latestIn(WireObject p) {
            long t = Math.max(Math.max(p.millis("connectedTime"), p.millis("endTime")), p.millis("endAcwTime"));
            for (String list : SNAPSHOT_MEDIA_LISTS.keySet()) {
                List<?> items = p.list(list);
                if (items == null) {
                    continue;
                }
                for (Object io : items) {
                    WireObject m = (WireObject) io;
                    t = Math.max(t, Math.max(Math.max(m.millis("startAlertingTime"), m.millis("connectedTime")),
                            Math.max(m.millis("startHoldTime"), m.millis("disconnectedTime"))));
                }
            }
            return t;
        }

        private static long earliestMediaTime(WireObject p) {
            long t = Long.MAX_VALUE;
            for (String list : SNAPSHOT_MEDIA_LISTS.keySet()) {
                List<?> items = p.list(list);
                if (items == null) {
                    continue;
                }
                for (Object io : items) {
                    WireObject m = (WireObject) io;
                    for (String k : new String[] {"startAlertingTime", "connectedTime", "startHoldTime", "disconnectedTime"}) {
                        long v = m.millis(k);
                        if (v >= 0) {
                            t = Math.min(t, v);
                        }
                    }
                }
            }
            return t == Long.MAX_VALUE ? -1 : t;
        }
    }

    private static TimelineEvent.Builder snapshotEvent(String conversationId, EventKind kind, String participantId,
                                                       String sessionId, String state, long time) {
        return TimelineEvent.builder(conversationId, kind, time)
                .eventId(EventIds.of("snapshot", kind.name(), conversationId, participantId, sessionId, state,
                        Long.toString(time)))
                .sourceType("snapshot")
                .participantId(participantId)
                .sessionId(sessionId)
                .state(state);
    }

    // ---------------------------------------------------------------- seed shape A

    /** The event one shape-A document carries ({@code eventId} = the builder's content id). */
    public static TimelineEvent shapeA(WireObject doc) {
        String conversationId = doc.string("conversationId");
        String type = doc.string("type");
        long time = doc.millis("timestamp");
        Object data = doc.get("data");
        EventKind kind;
        TimelineEvent.Builder b;
        switch (type) {
            case "statusChange": {
                String status = lower(((WireObject) data).string("status"));
                kind = "completed".equals(status) || "ended".equals(status)
                        ? EventKind.CONVERSATION_ENDED : EventKind.CONVERSATION_STATUS;
                b = TimelineEvent.builder(conversationId, kind, time).state(status);
                break;
            }
            case "participants": {
                b = TimelineEvent.builder(conversationId, EventKind.PARTICIPANTS_REPLACED, time);
                for (Object o : (List<?>) data) {
                    WireObject p = (WireObject) o;
                    String purpose = lower(p.string("purpose"));
                    b.attribute(p.string("id"), purpose == null ? "" : purpose);
                }
                break;
            }
            case "transcript": {
                WireObject d = (WireObject) data;
                b = TimelineEvent.builder(conversationId, EventKind.TRANSCRIPT, time)
                        .participantId(d.string("participantId"))
                        .attribute("text", d.string("text"));
                break;
            }
            case "metadata": {
                WireObject d = (WireObject) data;
                b = TimelineEvent.builder(conversationId, EventKind.ATTRIBUTES, time);
                for (int i = 0; i < d.size(); i++) {
                    String text = jsonText(d.value(i));
                    if (text != null) {
                        b.attribute(d.key(i), text);
                    }
                }
                break;
            }
            default:
                b = TimelineEvent.builder(conversationId, EventKind.OTHER, time);
        }
        return b.sourceType(type).build();
    }

    // ---------------------------------------------------------------- seed shape B

    /** The kind a shape-B event type maps to. */
    public static EventKind shapeBKind(String type) {
        switch (type) {
            case "interaction-participant-joined":
                return EventKind.PARTICIPANT_JOINED;
            case "interaction-participant-left":
                return EventKind.PARTICIPANT_LEFT;
            case "interaction-media-channel-added":
                return EventKind.SESSION_STARTED;
            case "interaction-media-channel-removed":
                return EventKind.SESSION_ENDED;
            case "interaction-updated":
                return EventKind.ATTRIBUTES;
            default:
                return EventKind.OTHER;
        }
    }

    /**
     * The event one element of a shape-B batch's {@code events} carries. Reading: "other scalar data
     * fields become attributes" applies to every type, OTHER included.
     */
    public static TimelineEvent shapeB(WireObject event) {
        WireObject data = event.object("data");
        String type = event.string("type");
        TimelineEvent.Builder b = TimelineEvent.builder(data.string("interactionId"), shapeBKind(type),
                        event.millis("timestamp"))
                .eventId(EventIds.ofSourceId(event.string("id")))
                .sequence(event.millis("sequence"))
                .sourceType(type)
                .participantId(data.string("participantId"))
                .sessionId(data.string("channelId"));
        for (int i = 0; i < data.size(); i++) {
            String key = data.key(i);
            if (key.equals("interactionId") || key.equals("participantId") || key.equals("channelId")) {
                continue;
            }
            String text = jsonText(data.value(i));
            if (text != null) {
                b.attribute(key, text);
            }
        }
        return b.build();
    }

    // ---------------------------------------------------------------- helpers

    /** "As their JSON text": a string's value, a number as written, true/false; null for objects and arrays. */
    public static String jsonText(Object v) {
        if (v instanceof String s) {
            return s;
        }
        if (v instanceof Long || v instanceof Integer || v instanceof Boolean) {
            return v.toString();
        }
        if (v instanceof WireObject.RawNumber n) {
            return n.text();
        }
        if (v instanceof WireObject.Iso t) {
            return IsoTime.format(t.millis());
        }
        return null;
    }

    /** ASCII-only upper case (docs/event-mapping.md: case folding is ASCII-only). */
    static String upper(String s) {
        if (s == null) {
            return null;
        }
        char[] c = null;
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch >= 'a' && ch <= 'z') {
                if (c == null) {
                    c = s.toCharArray();
                }
                c[i] = (char) (ch - 32);
            }
        }
        return c == null ? s : new String(c);
    }

    /** ASCII-only lower case. */
    static String lower(String s) {
        if (s == null) {
            return null;
        }
        char[] c = null;
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch >= 'A' && ch <= 'Z') {
                if (c == null) {
                    c = s.toCharArray();
                }
                c[i] = (char) (ch + 32);
            }
        }
        return c == null ? s : new String(c);
    }
}
