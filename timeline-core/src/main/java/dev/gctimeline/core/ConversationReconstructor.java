package dev.gctimeline.core;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Folds {@link TimelineEvent}s into one {@link ConversationState} per live conversation, in event-time
 * order whatever the arrival order.
 *
 * <p><b>Exactness.</b> Each conversation keeps its distinct events sorted by
 * {@link TimelineEvent#CANONICAL_ORDER}; its state is a pure function of that sorted list. An event
 * that sorts last (the usual case) is folded incrementally; one that arrives out of order makes the
 * conversation refold from its first event. So any permutation of the same events, with any
 * repeats, yields an equal state and an equal {@link Timeline}. Lamport stamps are kept on the
 * events but never decide anything.
 *
 * <p><b>Lifecycle.</b> A conversation has ended when a {@link EventKind#CONVERSATION_ENDED} event is
 * on its timeline, or when it has participants and every one of them has left (explicitly, or by all
 * of its media sessions having ended). It completes when it has ended and nothing new arrived for
 * the grace period (measured in processing time, the {@code nowMillis} callers pass): then the
 * listener's {@code completed} receives its final state and timeline, and the live set lets it go.
 * An event that reopens it during the grace period (a participant joining late) cancels the ending.
 * A conversation with no event for the idle timeout is evicted ({@link EvictionReason#IDLE}); when
 * a new conversation arrives with the live set at its maximum, the least recently active one is
 * evicted ({@link EvictionReason#CAPACITY}, counted). Events for a conversation that completed
 * recently (a bounded memory of ids) are {@link Outcome#LATE}: not folded, so a completion is never
 * reported twice, but the caller still stores them.
 *
 * <p><b>Threading.</b> Not thread-safe: one instance belongs to one consumer thread (a pipeline
 * shard). Listener calls happen on that thread, inside {@link #accept}, {@link #advance} or
 * {@link #closeAll}; a listener that throws is logged and does not disturb the reconstructor.
 *
 * <pre>{@code
 * ConversationReconstructor r = ConversationReconstructor.builder()
 *     .gracePeriod(Duration.ofSeconds(60)).listener(myListener).build();
 * r.accept(event, System.currentTimeMillis());
 * r.advance(System.currentTimeMillis());
 * }</pre>
 */
public final class ConversationReconstructor {

    /** What {@link #accept} did with an event. */
    public enum Outcome {
        /** Folded into the conversation's live state (or already on its timeline). */
        APPLIED,
        /** The conversation completed before this event arrived; not folded, should still be stored. */
        LATE
    }

    private static final System.Logger LOG = System.getLogger(ConversationReconstructor.class.getName());

    private final long graceMillis;
    private final long idleMillis;
    private final int maxLive;
    private final ConversationListener listener;
    /** Access-ordered: the head is the least recently active conversation. */
    private final LinkedHashMap<String, Live> live = new LinkedHashMap<>(1024, 0.75f, true);
    /** Ended conversations by completion deadline; constant grace makes insertion order deadline order. */
    private final ArrayDeque<Pending> completions = new ArrayDeque<>();
    private final RecentIds recentlyCompleted;
    private long evictedForCapacity;
    private long evictedIdle;
    private long completedCount;
    private long lateCount;
    private long listenerFailures;

    private ConversationReconstructor(Builder b) {
        this.graceMillis = b.grace.toMillis();
        this.idleMillis = b.idle.toMillis();
        this.maxLive = b.maxLive;
        this.listener = b.listener;
        this.recentlyCompleted = new RecentIds(b.recentlyCompletedCapacity);
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Folds {@code event} into its conversation.
     *
     * @param nowMillis processing time, used for the grace period and idle timeout
     * @return {@link Outcome#LATE} if the conversation already completed, else {@link Outcome#APPLIED}
     */
    public Outcome accept(TimelineEvent event, long nowMillis) {
        String id = event.conversationId();
        Live c = live.get(id);
        if (c == null) {
            if (recentlyCompleted.contains(id)) {
                lateCount++;
                return Outcome.LATE;
            }
            if (live.size() >= maxLive) {
                evictEldest(EvictionReason.CAPACITY);
            }
            c = new Live(id);
            live.put(id, c);
        }
        c.lastActive = nowMillis;
        boolean wasEnded = c.fold.ended();
        c.add(event);
        boolean ended = c.fold.ended();
        if (ended) {
            // Every event after the end restarts the grace period: wrap-up and late transcripts belong.
            c.completionVersion++;
            completions.addLast(new Pending(nowMillis + graceMillis, c, c.completionVersion));
        } else if (wasEnded) {
            c.completionVersion++; // reopened: the pending completion no longer applies
        }
        return Outcome.APPLIED;
    }

    /** Completes ended conversations whose grace period passed and evicts idle ones. */
    public void advance(long nowMillis) {
        while (!completions.isEmpty() && completions.peekFirst().deadline <= nowMillis) {
            Pending p = completions.pollFirst();
            Live c = p.conversation;
            if (p.version == c.completionVersion && live.get(c.id) == c && c.fold.ended()) {
                live.remove(c.id);
                recentlyCompleted.add(c.id);
                completedCount++;
                ConversationState state = c.fold.state();
                Timeline timeline = c.timeline();
                try {
                    listener.completed(state, timeline);
                } catch (RuntimeException e) {
                    listenerFailed(e);
                }
            }
        }
        Iterator<Live> it = live.values().iterator();
        while (it.hasNext()) {
            Live c = it.next();
            if (nowMillis - c.lastActive < idleMillis) {
                break; // access order: everything after is more recent
            }
            it.remove();
            evictedIdle++;
            notifyEvicted(c, EvictionReason.IDLE);
        }
    }

    /** Shutdown: every live conversation is reported as evicted with {@link EvictionReason#SHUTDOWN}. */
    public void closeAll(long nowMillis) {
        advance(nowMillis);
        List<Live> all = new ArrayList<>(live.values());
        live.clear();
        completions.clear();
        for (Live c : all) {
            notifyEvicted(c, EvictionReason.SHUTDOWN);
        }
    }

    /** The live state of a conversation, or null if it is not live. */
    public ConversationState state(String conversationId) {
        Live c = live.get(conversationId);
        return c == null ? null : c.fold.state();
    }

    /** The live timeline of a conversation, or null if it is not live. */
    public Timeline timeline(String conversationId) {
        Live c = live.get(conversationId);
        return c == null ? null : c.timeline();
    }

    public int liveCount() {
        return live.size();
    }

    public long evictedForCapacity() {
        return evictedForCapacity;
    }

    public long evictedIdle() {
        return evictedIdle;
    }

    public long completedCount() {
        return completedCount;
    }

    public long lateCount() {
        return lateCount;
    }

    public long listenerFailures() {
        return listenerFailures;
    }

    private void evictEldest(EvictionReason reason) {
        Iterator<Live> it = live.values().iterator();
        Live eldest = it.next();
        it.remove();
        evictedForCapacity++;
        notifyEvicted(eldest, reason);
    }

    private void notifyEvicted(Live c, EvictionReason reason) {
        try {
            listener.evicted(c.fold.state(), c.timeline(), reason);
        } catch (RuntimeException e) {
            listenerFailed(e);
        }
    }

    private void listenerFailed(RuntimeException e) {
        listenerFailures++;
        LOG.log(System.Logger.Level.WARNING, "conversation listener threw; the reconstructor carries on", e);
    }

    /** Options for a {@link ConversationReconstructor}. */
    public static final class Builder {
        private Duration grace = Duration.ofSeconds(60);
        private Duration idle = Duration.ofMinutes(30);
        private int maxLive = 100_000;
        private int recentlyCompletedCapacity = 65_536;
        private ConversationListener listener = new ConversationListener() {
        };

        private Builder() {
        }

        /** How long an ended conversation waits for stragglers before completing (default 60 s). */
        public Builder gracePeriod(Duration grace) {
            this.grace = requireNonNegative(grace, "gracePeriod");
            return this;
        }

        /** How long a conversation may go without events before it is evicted (default 30 min). */
        public Builder idleTimeout(Duration idle) {
            this.idle = requireNonNegative(idle, "idleTimeout");
            return this;
        }

        /** The most conversations kept live at once (default 100,000). */
        public Builder maxLiveConversations(int max) {
            if (max < 1) {
                throw new IllegalArgumentException("maxLiveConversations must be at least 1, was " + max);
            }
            this.maxLive = max;
            return this;
        }

        /** How many completed conversation ids are remembered to recognise late events (default 65,536). */
        public Builder recentlyCompletedCapacity(int capacity) {
            if (capacity < 0) {
                throw new IllegalArgumentException("recentlyCompletedCapacity must be >= 0, was " + capacity);
            }
            this.recentlyCompletedCapacity = capacity;
            return this;
        }

        public Builder listener(ConversationListener listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        public ConversationReconstructor build() {
            return new ConversationReconstructor(this);
        }

        private static Duration requireNonNegative(Duration d, String name) {
            Objects.requireNonNull(d, name);
            if (d.isNegative()) {
                throw new IllegalArgumentException(name + " must not be negative, was " + d);
            }
            return d;
        }
    }

    private static final class Pending {
        final long deadline;
        final Live conversation;
        final long version;

        Pending(long deadline, Live conversation, long version) {
            this.deadline = deadline;
            this.conversation = conversation;
            this.version = version;
        }
    }

    /** One live conversation: its sorted distinct events and the fold over them. */
    private static final class Live {
        final String id;
        final ArrayList<TimelineEvent> events = new ArrayList<>(16);
        final Fold fold;
        long lastActive;
        long completionVersion;

        Live(String id) {
            this.id = id;
            this.fold = new Fold(id);
        }

        void add(TimelineEvent e) {
            int n = events.size();
            if (n == 0 || TimelineEvent.CANONICAL_ORDER.compare(events.get(n - 1), e) < 0) {
                events.add(e);
                fold.apply(e);
                return;
            }
            int pos = Collections.binarySearch(events, e, TimelineEvent.CANONICAL_ORDER);
            if (pos >= 0) {
                return; // already on the timeline
            }
            events.add(-pos - 1, e);
            fold.reset();
            for (TimelineEvent x : events) {
                fold.apply(x);
            }
        }

        Timeline timeline() {
            return new Timeline(id, events);
        }
    }

    /** A bounded FIFO memory of conversation ids. */
    private static final class RecentIds {
        private final int capacity;
        private final LinkedHashMap<String, Boolean> ids;

        RecentIds(int capacity) {
            this.capacity = capacity;
            this.ids = new LinkedHashMap<>();
        }

        boolean contains(String id) {
            return ids.containsKey(id);
        }

        void add(String id) {
            if (capacity == 0) {
                return;
            }
            ids.put(id, Boolean.TRUE);
            if (ids.size() > capacity) {
                Iterator<String> it = ids.keySet().iterator();
                it.next();
                it.remove();
            }
        }
    }

    /**
     * The state fold: a pure function of the canonical event sequence applied in order. Mutable and
     * private; {@link #state()} takes an immutable snapshot.
     */
    private static final class Fold {
        private final String conversationId;
        private final LinkedHashMap<String, MutableParticipant> participants = new LinkedHashMap<>();
        private final LinkedHashMap<String, MutableSession> sessions = new LinkedHashMap<>();
        private final ArrayList<ConversationState.Transcript> transcripts = new ArrayList<>();
        private final LinkedHashMap<String, String> attributes = new LinkedHashMap<>();
        private final LinkedHashMap<String, MutableWrapup> wrapups = new LinkedHashMap<>();
        private String status;
        private long startTime;
        private long lastEventTime;
        private long explicitEndTime;
        private String explicitEndStatus;
        private long eventCount;
        private int anonymousWrapups;

        Fold(String conversationId) {
            this.conversationId = conversationId;
            reset();
        }

        void reset() {
            participants.clear();
            sessions.clear();
            transcripts.clear();
            attributes.clear();
            wrapups.clear();
            status = "active";
            startTime = -1;
            lastEventTime = -1;
            explicitEndTime = -1;
            explicitEndStatus = null;
            eventCount = 0;
            anonymousWrapups = 0;
        }

        void apply(TimelineEvent e) {
            long t = e.eventTime();
            eventCount++;
            if (startTime < 0) {
                startTime = t;
            }
            lastEventTime = t;
            switch (e.kind()) {
                case CONVERSATION_STARTED:
                    break;
                case CONVERSATION_STATUS:
                    if (e.state() != null) {
                        status = e.state();
                    }
                    break;
                case CONVERSATION_ENDED:
                    if (explicitEndTime < 0) {
                        explicitEndTime = t;
                    }
                    explicitEndStatus = e.state() != null ? e.state() : "ended";
                    status = explicitEndStatus;
                    break;
                case PARTICIPANT_JOINED: {
                    MutableParticipant p = participant(e.participantId());
                    if (p != null) {
                        p.fill(e);
                        p.join(t);
                    }
                    break;
                }
                case PARTICIPANTS_REPLACED:
                    replaceParticipants(e, t);
                    break;
                case SESSION_STARTED: {
                    MutableSession s = session(e);
                    if (s != null) {
                        s.start(t);
                        if (e.state() != null) {
                            s.state(t, e.state());
                        }
                    }
                    MutableParticipant p = participant(e.participantId());
                    if (p != null) {
                        p.fill(e);
                    }
                    break;
                }
                case SESSION_STATE: {
                    MutableSession s = session(e);
                    if (s != null) {
                        s.start(t);
                        if (e.state() != null) {
                            s.state(t, e.state());
                        }
                    }
                    break;
                }
                case SESSION_ENDED: {
                    MutableSession s = session(e);
                    if (s != null) {
                        s.end(t);
                        String dt = e.attribute("disconnectType");
                        if (dt != null) {
                            s.disconnectType = dt;
                        }
                        if (e.state() != null) {
                            s.state(t, e.state());
                        }
                    }
                    MutableParticipant p = participant(e.participantId());
                    if (p != null) {
                        p.fill(e);
                    }
                    break;
                }
                case PARTICIPANT_LEFT: {
                    MutableParticipant p = participant(e.participantId());
                    if (p != null) {
                        p.fill(e);
                        if (p.leaveTime < 0) {
                            p.leaveTime = t;
                        }
                    }
                    break;
                }
                case TRANSCRIPT:
                    transcripts.add(new ConversationState.Transcript(t, e.participantId(), e.sessionId(),
                            e.attribute("utteranceId"), e.attribute("channel"), e.attribute("text"),
                            e.attribute("confidence")));
                    break;
                case ATTRIBUTES:
                    attributes.putAll(e.attributes());
                    break;
                case WRAPUP:
                    wrapup(e, t);
                    break;
                case FLOW:
                case OTHER:
                default:
                    break;
            }
        }

        private MutableParticipant participant(String participantId) {
            if (participantId == null) {
                return null;
            }
            return participants.computeIfAbsent(participantId, MutableParticipant::new);
        }

        private MutableSession session(TimelineEvent e) {
            if (e.sessionId() == null) {
                return null;
            }
            MutableSession s = sessions.computeIfAbsent(e.sessionId(), MutableSession::new);
            if (s.participantId == null) {
                s.participantId = e.participantId();
            }
            if (s.mediaType == null) {
                s.mediaType = e.mediaType();
            }
            if (s.direction == null) {
                s.direction = e.direction();
            }
            return s;
        }

        private void replaceParticipants(TimelineEvent e, long t) {
            Map<String, String> listed = e.attributes();
            for (MutableParticipant p : participants.values()) {
                if (!listed.containsKey(p.id) && p.leaveTime < 0) {
                    p.leaveTime = t;
                }
            }
            for (Map.Entry<String, String> entry : listed.entrySet()) {
                MutableParticipant p = participants.computeIfAbsent(entry.getKey(), MutableParticipant::new);
                if (!entry.getValue().isEmpty()) {
                    p.purpose = entry.getValue();
                }
                p.join(t);
                p.leaveTime = -1; // listed again: present
            }
        }

        private void wrapup(TimelineEvent e, long t) {
            String key = e.participantId() != null ? e.participantId() : "\u0000" + (anonymousWrapups++);
            MutableWrapup w = wrapups.get(key);
            if (w == null) {
                w = new MutableWrapup(t, e.participantId());
                wrapups.put(key, w);
            }
            // Several sources report one wrap-up (acw, wrapup, snapshot): later facts fill and refine.
            if (e.userId() != null) {
                w.userId = e.userId();
            }
            String code = e.attribute("wrapupCode");
            if (code != null) {
                w.code = code;
            }
            String notes = e.attribute("wrapupNotes");
            if (notes != null) {
                w.notes = notes;
            }
            String duration = e.attribute("wrapupDurationMs");
            if (duration != null) {
                try {
                    w.durationMs = Long.parseLong(duration);
                } catch (NumberFormatException ignored) {
                    // Kept on the event itself; the state only takes a well-formed number.
                }
            }
        }

        /** Ended: explicitly, or every participant (at least one) has left. */
        boolean ended() {
            return endTime() >= 0;
        }

        long endTime() {
            if (explicitEndTime >= 0) {
                return explicitEndTime;
            }
            if (participants.isEmpty()) {
                return -1;
            }
            long end = -1;
            for (MutableParticipant p : participants.values()) {
                long leave = leaveTime(p);
                if (leave < 0) {
                    return -1;
                }
                end = Math.max(end, leave);
            }
            return end;
        }

        /** Explicit leave, else the end of its last session once all of its sessions ended. */
        private long leaveTime(MutableParticipant p) {
            if (p.leaveTime >= 0) {
                return p.leaveTime;
            }
            long end = -1;
            boolean any = false;
            for (MutableSession s : sessions.values()) {
                if (p.id.equals(s.participantId)) {
                    any = true;
                    if (s.endTime < 0) {
                        return -1;
                    }
                    end = Math.max(end, s.endTime);
                }
            }
            return any ? end : -1;
        }

        private long joinTime(MutableParticipant p) {
            if (p.joinTime >= 0) {
                return p.joinTime;
            }
            long start = -1;
            for (MutableSession s : sessions.values()) {
                if (p.id.equals(s.participantId) && s.startTime >= 0) {
                    start = start < 0 ? s.startTime : Math.min(start, s.startTime);
                }
            }
            return start;
        }

        ConversationState state() {
            long end = endTime();
            String st = status;
            if (end >= 0 && explicitEndStatus == null && "active".equals(st)) {
                st = "ended";
            }
            List<ConversationState.Participant> ps = new ArrayList<>(participants.size());
            for (MutableParticipant p : participants.values()) {
                ps.add(new ConversationState.Participant(p.id, p.purpose, p.userId, p.queueId, p.name,
                        joinTime(p), leaveTime(p)));
            }
            ps.sort(Comparator.comparingLong((ConversationState.Participant p) -> unknownLast(p.joinTime()))
                    .thenComparing(ConversationState.Participant::participantId));
            List<ConversationState.MediaSession> ss = new ArrayList<>(sessions.size());
            for (MutableSession s : sessions.values()) {
                ss.add(new ConversationState.MediaSession(s.id, s.participantId, s.mediaType, s.direction,
                        s.startTime, s.endTime, s.states, s.disconnectType));
            }
            ss.sort(Comparator.comparingLong((ConversationState.MediaSession s) -> unknownLast(s.startTime()))
                    .thenComparing(ConversationState.MediaSession::sessionId));
            List<ConversationState.Wrapup> ws = new ArrayList<>(wrapups.size());
            for (MutableWrapup w : wrapups.values()) {
                ws.add(new ConversationState.Wrapup(w.time, w.participantId, w.userId, w.code, w.notes, w.durationMs));
            }
            return new ConversationState(conversationId, st, startTime, end, ps, ss, transcripts, attributes, ws,
                    eventCount, lastEventTime);
        }

        private static long unknownLast(long time) {
            return time < 0 ? Long.MAX_VALUE : time;
        }
    }

    private static final class MutableParticipant {
        final String id;
        String purpose;
        String userId;
        String queueId;
        String name;
        long joinTime = -1;
        long leaveTime = -1;

        MutableParticipant(String id) {
            this.id = id;
        }

        void fill(TimelineEvent e) {
            if (purpose == null && e.purpose() != null) {
                purpose = e.purpose();
            }
            if (userId == null && e.userId() != null) {
                userId = e.userId();
            }
            if (queueId == null && e.queueId() != null) {
                queueId = e.queueId();
            }
            String n = e.attribute("name");
            if (name == null && n != null && e.kind() == EventKind.PARTICIPANT_JOINED) {
                name = n;
            }
        }

        void join(long t) {
            if (joinTime < 0) {
                joinTime = t;
            }
        }
    }

    private static final class MutableSession {
        final String id;
        String participantId;
        String mediaType;
        String direction;
        String disconnectType;
        long startTime = -1;
        long endTime = -1;
        final ArrayList<ConversationState.StateChange> states = new ArrayList<>(4);

        MutableSession(String id) {
            this.id = id;
        }

        void start(long t) {
            if (startTime < 0) {
                startTime = t;
            }
        }

        void end(long t) {
            if (endTime < 0) {
                endTime = t;
            }
        }

        void state(long t, String state) {
            int n = states.size();
            if (n > 0 && states.get(n - 1).state().equals(state)) {
                return; // the same state reported again (another source, a repeat): not a change
            }
            states.add(new ConversationState.StateChange(t, state));
        }
    }

    private static final class MutableWrapup {
        final long time;
        final String participantId;
        String userId;
        String code;
        String notes;
        long durationMs = -1;

        MutableWrapup(long time, String participantId) {
            this.time = time;
            this.participantId = participantId;
        }
    }
}
