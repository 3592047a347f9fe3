package dev.gctimeline.stream.internal;

import dev.gctimeline.core.EventIds;
import dev.gctimeline.core.EventKind;
import dev.gctimeline.core.TimelineEvent;
import dev.gctimeline.stream.ControlListener;
import dev.gctimeline.core.RejectReason;
import dev.gctimeline.stream.RejectSink;
import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Turns conversation snapshots ({@code v2.routing.queues.{id}.conversations[.media]},
 * {@code v2.users.{id}.conversations[.media]}) into the events that changed since the last snapshot
 * of the same conversation, per docs/event-mapping.md.
 *
 * <p>State per conversation is what has been emitted: participants joined/left/wrapped up, their
 * last attributes, and per media session whether it started and ended and its last state with that
 * state's time. So a repeated snapshot, or the same snapshot on a queue topic and a user topic,
 * emits nothing, and a stale snapshot (reordered on the wire) never moves a session backwards (a
 * transition earlier than the last one emitted for the session is skipped and counted).
 *
 * <p>Bounded: at most {@code maxConversations} (least recently updated evicted first), a
 * conversation idle for {@code idleTtl} is evicted, and one whose participants have all ended is
 * kept {@code endedRetention} (so a late wrap-up still diffs against it) and then evicted. Times
 * here are the clock's (wall time), not event time, so a replay or a skewed source clock cannot
 * evict live state. Evicting is safe: every emitted id is deterministic, so a conversation seen
 * again after eviction re-emits events with the same ids, which the pipeline's dedup collapses.
 *
 * <p>All timestamps of a snapshot are parsed (and validated) before any state changes: an invalid
 * time rejects the whole snapshot and leaves the state as it was.
 *
 * <p>Thread-safe: {@link #apply} and {@link #trackedConversations} are synchronized, so the decoders
 * of one stream's sockets can share one tracker (through {@code SnapshotMemory}): a socket opened by
 * a reconnect or a rotation continues the diff where the old one left it, instead of re-emitting
 * every transition (whose fallback times would differ). Contention is limited to rotation overlaps.
 */
public final class SnapshotTracker {
    static final String SOURCE_TYPE = "snapshot";
    private static final long ABSENT = IsoTimes.ABSENT;

    private final int maxConversations;
    private final long idleTtlMillis;
    private final long endedRetentionMillis;
    private final InstantSource clock;
    private final LinkedHashMap<String, Conversation> conversations = new LinkedHashMap<>(256, 0.75f, true);
    private final ArrayDeque<Conversation> ended = new ArrayDeque<>();

    public SnapshotTracker(int maxConversations, long idleTtlMillis, long endedRetentionMillis, InstantSource clock) {
        this.maxConversations = maxConversations;
        this.idleTtlMillis = idleTtlMillis;
        this.endedRetentionMillis = endedRetentionMillis;
        this.clock = clock;
    }

    public synchronized int trackedConversations() {
        return conversations.size();
    }

    /**
     * Emits what changed in this snapshot.
     *
     * @throws DecodeRejection (before any state changed) when the snapshot has no id or an invalid time
     */
    synchronized void apply(EnvelopeCapture c, Outbox out, RejectSink rejects, ControlListener control,
                            Counters counters) {
        FieldBag body = c.body;
        String conversationId = body.text("id");
        if (conversationId == null || conversationId.isEmpty()) {
            throw DecodeRejection.missing("conversation snapshot without id");
        }
        long snapshotLatest = parseTimes(c);
        long now = clock.millis();

        Conversation conv = conversations.get(conversationId);
        if (conv == null) {
            conv = new Conversation(conversationId);
            conversations.put(conversationId, conv);
            control.conversationSeen(conversationId);
        }
        conv.lastSeen = now;
        boolean allEnded = c.participants.size() > 0;
        if (snapshotLatest != ABSENT) {
            for (int i = 0; i < c.participants.size(); i++) {
                EnvelopeCapture.Participant pc = c.participants.get(i);
                diffParticipant(conv, pc, snapshotLatest, out, rejects, counters);
                allEnded &= pc.endTime != ABSENT;
            }
        } else {
            allEnded = false; // nothing can be timed: wait for a snapshot that carries times
        }
        if (allEnded && conv.endedAt == ABSENT) {
            conv.endedAt = now;
            ended.addLast(conv);
            control.conversationEnded(conversationId);
        }
        evict(now, counters);
    }

    /** Parses every timestamp of the snapshot into the capture; returns the latest, or ABSENT. */
    private static long parseTimes(EnvelopeCapture c) {
        long latest = ABSENT;
        for (int i = 0; i < c.participants.size(); i++) {
            EnvelopeCapture.Participant p = c.participants.get(i);
            p.connectedTime = p.fields.epochMillis("connectedTime");
            p.endTime = p.fields.epochMillis("endTime");
            p.endAcwTime = p.fields.epochMillis("endAcwTime");
            long pLatest = max(max(p.connectedTime, p.endTime), p.endAcwTime);
            long earliestMedia = ABSENT;
            for (int j = 0; j < p.media.size(); j++) {
                EnvelopeCapture.Media m = p.media.get(j);
                m.startAlertingTime = m.fields.epochMillis("startAlertingTime");
                m.connectedTime = m.fields.epochMillis("connectedTime");
                m.startHoldTime = m.fields.epochMillis("startHoldTime");
                m.disconnectedTime = m.fields.epochMillis("disconnectedTime");
                long mLatest = max(max(m.startAlertingTime, m.connectedTime),
                        max(m.startHoldTime, m.disconnectedTime));
                long mEarliest = min(min(m.startAlertingTime, m.connectedTime),
                        min(m.startHoldTime, m.disconnectedTime));
                pLatest = max(pLatest, mLatest);
                earliestMedia = min(earliestMedia, mEarliest);
            }
            p.latestTime = pLatest;
            p.earliestMediaTime = earliestMedia;
            latest = max(latest, pLatest);
        }
        return latest;
    }

    private static void diffParticipant(Conversation conv, EnvelopeCapture.Participant pc, long snapshotLatest,
                                        Outbox out, RejectSink rejects, Counters counters) {
        String pid = pc.fields.text("id");
        if (pid == null || pid.isEmpty()) {
            rejects.reject(RejectReason.MISSING_FIELD, "snapshot participant without id in conversation " + conv.id);
            return;
        }
        // A transition with no timestamp of its own takes the latest time in its participant,
        // else the latest in the snapshot.
        long fallback = pc.latestTime != ABSENT ? pc.latestTime : snapshotLatest;
        Participant ps = conv.participants.get(pid);
        if (ps == null) {
            ps = new Participant();
            conv.participants.put(pid, ps);
            long t = first(pc.connectedTime, pc.earliestMediaTime, fallback);
            out.emit(event(conv.id, EventKind.PARTICIPANT_JOINED, pid, null, null, t)
                    .purpose(pc.fields.lower("purpose"))
                    .userId(pc.fields.text("userId"))
                    .queueId(pc.fields.text("queueId"))
                    .attribute("name", pc.fields.text("name"))
                    .build());
        }
        for (int j = 0; j < pc.media.size(); j++) {
            diffMedia(conv, pid, ps, pc.media.get(j), fallback, out, rejects, counters);
        }
        if (pc.endTime != ABSENT && !ps.left) {
            ps.left = true;
            out.emit(event(conv.id, EventKind.PARTICIPANT_LEFT, pid, null, null, pc.endTime).build());
        }
        if (pc.hasWrapup && !ps.wrappedUp && hasWrapupContent(pc.wrapup)) {
            ps.wrappedUp = true;
            long t = first(pc.endAcwTime, fallback, ABSENT);
            TimelineEvent.Builder b = event(conv.id, EventKind.WRAPUP, pid, null, null, t)
                    .attribute("wrapupCode", pc.wrapup.text("code"))
                    .attribute("wrapupNotes", pc.wrapup.text("notes"));
            double seconds = pc.wrapup.doubleValue("durationSeconds");
            if (!Double.isNaN(seconds)) {
                b.attribute("wrapupDurationMs", Long.toString(Math.round(seconds * 1000)));
            }
            out.emit(b.build());
        }
        if (pc.hasAttributes) {
            diffAttributes(conv, pid, ps, pc.attributes, fallback, out, counters);
        }
    }

    private static boolean hasWrapupContent(FieldBag wrapup) {
        for (int i = 0; i < wrapup.size(); i++) {
            if (wrapup.kind(i) != FieldBag.NULL) {
                return true;
            }
        }
        return false;
    }

    private static void diffMedia(Conversation conv, String pid, Participant ps, EnvelopeCapture.Media m,
                                  long fallback, Outbox out, RejectSink rejects, Counters counters) {
        String sid = m.fields.text("id");
        if (sid == null || sid.isEmpty()) {
            rejects.reject(RejectReason.MISSING_FIELD, "snapshot media item without id in conversation " + conv.id);
            return;
        }
        String mediaType = EnvelopeCapture.MEDIA_TYPES[m.list];
        Session ss = ps.sessions.get(sid);
        if (ss == null) {
            ss = new Session();
            ps.sessions.put(sid, ss);
            long t = first(m.startAlertingTime, m.connectedTime, fallback);
            out.emit(event(conv.id, EventKind.SESSION_STARTED, pid, sid, null, t)
                    .mediaType(mediaType)
                    .direction(m.fields.upper("direction"))
                    .build());
        }
        String raw = m.fields.lower("state");
        if (raw != null) {
            String state = m.fields.isTrue("held") && "connected".equals(raw) ? "held" : raw;
            if (!state.equals(ss.lastState)) {
                long own = stateTime(state, m);
                long t = own != ABSENT ? own : fallback;
                if (t >= ss.lastStateTime) {
                    ss.lastState = state;
                    ss.lastStateTime = t;
                    out.emit(event(conv.id, EventKind.SESSION_STATE, pid, sid, state, t)
                            .mediaType(mediaType)
                            .state(state)
                            .build());
                } else {
                    counters.increment(Counters.STALE_TRANSITIONS);
                }
            }
        }
        if (m.disconnectedTime != ABSENT && !ss.ended) {
            ss.ended = true;
            out.emit(event(conv.id, EventKind.SESSION_ENDED, pid, sid, null, m.disconnectedTime)
                    .mediaType(mediaType)
                    .attribute("disconnectType", m.fields.text("disconnectType"))
                    .build());
        }
    }

    /** The timestamp a media item carries for being in {@code state}, or ABSENT. */
    private static long stateTime(String state, EnvelopeCapture.Media m) {
        switch (state) {
            case "alerting":
            case "offering":
            case "contacting":
            case "dialing":
                return m.startAlertingTime;
            case "connected":
                return m.connectedTime;
            case "held":
                return m.startHoldTime;
            case "disconnected":
            case "terminated":
                return m.disconnectedTime;
            default:
                return ABSENT;
        }
    }

    private static void diffAttributes(Conversation conv, String pid, Participant ps, FieldBag attributes,
                                       long fallback, Outbox out, Counters counters) {
        TimelineEvent.Builder b = null;
        for (int i = 0; i < attributes.size(); i++) {
            String value = attributes.text(i);
            if (value == null) {
                continue;
            }
            String key = attributes.name(i);
            if (!value.equals(ps.attributes.get(key))) {
                if (b == null) {
                    if (fallback < ps.attributesTime) {
                        counters.increment(Counters.STALE_TRANSITIONS);
                        return; // older than the attributes already emitted
                    }
                    b = event(conv.id, EventKind.ATTRIBUTES, pid, null, null, fallback);
                }
                b.attribute(key, value);
            }
        }
        if (b != null) {
            TimelineEvent e = b.build();
            ps.attributes.putAll(e.attributes());
            ps.attributesTime = fallback;
            out.emit(e);
        }
    }

    private static TimelineEvent.Builder event(String conversationId, EventKind kind, String participantId,
                                               String sessionId, String state, long eventTime) {
        return TimelineEvent.builder(conversationId, kind, eventTime)
                .eventId(EventIds.of(SOURCE_TYPE, kind.name(), conversationId, participantId, sessionId, state,
                        Long.toString(eventTime)))
                .sourceType(SOURCE_TYPE)
                .participantId(participantId)
                .sessionId(sessionId);
    }

    private void evict(long now, Counters counters) {
        while (!ended.isEmpty() && now - ended.peekFirst().endedAt >= endedRetentionMillis) {
            Conversation e = ended.pollFirst();
            if (conversations.remove(e.id, e)) {
                counters.increment(Counters.CONVERSATIONS_EVICTED);
            }
        }
        Iterator<Conversation> it = conversations.values().iterator();
        while (it.hasNext()) {
            Conversation e = it.next(); // least recently updated first
            if (conversations.size() > maxConversations || now - e.lastSeen >= idleTtlMillis) {
                it.remove();
                counters.increment(Counters.CONVERSATIONS_EVICTED);
            } else {
                break;
            }
        }
    }

    private static long first(long a, long b, long c) {
        return a != ABSENT ? a : b != ABSENT ? b : c;
    }

    private static long max(long a, long b) {
        return a == ABSENT ? b : b == ABSENT ? a : Math.max(a, b);
    }

    private static long min(long a, long b) {
        return a == ABSENT ? b : b == ABSENT ? a : Math.min(a, b);
    }

    private static final class Conversation {
        final String id;
        final Map<String, Participant> participants = new HashMap<>(8);
        long lastSeen;
        long endedAt = ABSENT;

        Conversation(String id) {
            this.id = id;
        }
    }

    private static final class Participant {
        final Map<String, Session> sessions = new HashMap<>(4);
        final Map<String, String> attributes = new HashMap<>(4);
        long attributesTime = ABSENT;
        boolean left;
        boolean wrappedUp;
    }

    private static final class Session {
        String lastState;
        long lastStateTime = ABSENT;
        boolean ended;
    }
}
