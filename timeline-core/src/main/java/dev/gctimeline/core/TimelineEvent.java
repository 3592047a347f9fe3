package dev.gctimeline.core;

import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One fact on a conversation's timeline: immutable, small, and comparable across runs.
 *
 * <p>{@link #eventId()} is the dedup key (see {@link EventIds}). {@link #eventTime()} is the
 * source's own time in epoch milliseconds and, with {@link #CANONICAL_ORDER}'s tie-break, decides
 * the event's place on the timeline; arrival order never does. {@link #lamport()} is the stamp the
 * pipeline gave the event on receipt (0 until then): it records arrival causality for diagnosis
 * and is deliberately <em>not</em> part of {@link #equals(Object)}, so the same event observed in
 * two runs, or twice in one run, compares equal. Every other field takes part in equality.
 *
 * <p>String fields other than {@code conversationId} may be {@code null} when the source did not
 * say. {@link #attributes()} is a small ordered, unmodifiable map for whatever else the kind carries
 * (transcript text, wrap-up code, conversation attributes, ...).
 *
 * <pre>{@code
 * TimelineEvent e = TimelineEvent.builder("c-1", EventKind.SESSION_STARTED, 1732240000000L)
 *     .eventId(EventIds.of("detail", "customer.start", "c-1", "p-1", "s-1", "1732240000000"))
 *     .participantId("p-1").sessionId("s-1").mediaType("VOICE").build();
 * }</pre>
 */
public final class TimelineEvent {

    /**
     * Canonical timeline order: event time, then kind (declaration order), then, for two states in
     * the same millisecond, the session lifecycle (alerting before connected before held before
     * disconnected before terminated, unknown states last), then event id (unsigned). Sources often
     * stamp a whole transition with one millisecond; the lifecycle rank keeps such a session reading
     * "connected, disconnected" rather than an order decided by hash values.
     */
    public static final Comparator<TimelineEvent> CANONICAL_ORDER = (a, b) -> {
        int c = Long.compare(a.eventTime, b.eventTime);
        if (c != 0) {
            return c;
        }
        c = Integer.compare(a.kind.ordinal(), b.kind.ordinal());
        if (c != 0) {
            return c;
        }
        c = Integer.compare(stateRank(a.state), stateRank(b.state));
        if (c != 0) {
            return c;
        }
        return Long.compareUnsigned(a.eventId, b.eventId);
    };

    /** Where a state sits in a media session's life; part of the canonical order, so never change it. */
    static int stateRank(String state) {
        if (state == null) {
            return 0;
        }
        switch (state) {
            case "offering":
            case "contacting":
            case "dialing":
            case "scheduled":
                return 1;
            case "alerting":
                return 2;
            case "connected":
                return 3;
            case "held":
            case "parked":
                return 4;
            case "disconnected":
                return 5;
            case "terminated":
                return 6;
            default:
                return 7;
        }
    }

    private final String conversationId;
    private final long eventId;
    private final EventKind kind;
    private final String sourceType;
    private final long eventTime;
    private final long sequence;
    private final long lamport;
    private final String participantId;
    private final String sessionId;
    private final String mediaType;
    private final String userId;
    private final String queueId;
    private final String purpose;
    private final String direction;
    private final String state;
    private final Map<String, String> attributes;

    private TimelineEvent(Builder b, Map<String, String> attributes) {
        this.conversationId = b.conversationId;
        this.eventId = b.eventId;
        this.kind = b.kind;
        this.sourceType = b.sourceType;
        this.eventTime = b.eventTime;
        this.sequence = b.sequence;
        this.lamport = b.lamport;
        this.participantId = b.participantId;
        this.sessionId = b.sessionId;
        this.mediaType = b.mediaType;
        this.userId = b.userId;
        this.queueId = b.queueId;
        this.purpose = b.purpose;
        this.direction = b.direction;
        this.state = b.state;
        this.attributes = attributes;
    }

    /** A copy with another Lamport stamp: shares every immutable field, including the attribute map. */
    private TimelineEvent(TimelineEvent src, long lamport) {
        this.conversationId = src.conversationId;
        this.eventId = src.eventId;
        this.kind = src.kind;
        this.sourceType = src.sourceType;
        this.eventTime = src.eventTime;
        this.sequence = src.sequence;
        this.lamport = lamport;
        this.participantId = src.participantId;
        this.sessionId = src.sessionId;
        this.mediaType = src.mediaType;
        this.userId = src.userId;
        this.queueId = src.queueId;
        this.purpose = src.purpose;
        this.direction = src.direction;
        this.state = src.state;
        this.attributes = src.attributes;
    }

    /** A builder for an event of {@code kind} in {@code conversationId} at {@code eventTime} (epoch ms). */
    public static Builder builder(String conversationId, EventKind kind, long eventTime) {
        return new Builder(conversationId, kind, eventTime);
    }

    /** A builder pre-filled with every field of this event. */
    public Builder toBuilder() {
        Builder b = new Builder(conversationId, kind, eventTime);
        b.eventId = eventId;
        b.eventIdSet = true;
        b.sourceType = sourceType;
        b.sequence = sequence;
        b.lamport = lamport;
        b.participantId = participantId;
        b.sessionId = sessionId;
        b.mediaType = mediaType;
        b.userId = userId;
        b.queueId = queueId;
        b.purpose = purpose;
        b.direction = direction;
        b.state = state;
        b.attributes = attributes.isEmpty() ? null : new LinkedHashMap<>(attributes);
        return b;
    }

    /** This event with its Lamport stamp set; the only field the pipeline ever changes. */
    public TimelineEvent withLamport(long lamport) {
        if (lamport == this.lamport) {
            return this;
        }
        return new TimelineEvent(this, lamport); // on the hot path: one small object, nothing copied
    }

    public String conversationId() {
        return conversationId;
    }

    public long eventId() {
        return eventId;
    }

    public EventKind kind() {
        return kind;
    }

    /** The raw type the source used (topic suffix such as {@code customer.start}, or shape A/B type). */
    public String sourceType() {
        return sourceType;
    }

    public long eventTime() {
        return eventTime;
    }

    /** The source's own sequence number, or -1 when the source has none. */
    public long sequence() {
        return sequence;
    }

    /** The Lamport stamp given on receipt, 0 before the pipeline saw the event. Not part of equality. */
    public long lamport() {
        return lamport;
    }

    public String participantId() {
        return participantId;
    }

    /** The media session (channel) id, or null. */
    public String sessionId() {
        return sessionId;
    }

    public String mediaType() {
        return mediaType;
    }

    public String userId() {
        return userId;
    }

    public String queueId() {
        return queueId;
    }

    public String purpose() {
        return purpose;
    }

    public String direction() {
        return direction;
    }

    public String state() {
        return state;
    }

    /** Extra attributes, ordered as the source gave them; unmodifiable, never null. */
    public Map<String, String> attributes() {
        return attributes;
    }

    /** The attribute {@code key}, or null. */
    public String attribute(String key) {
        return attributes.get(key);
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof TimelineEvent)) {
            return false;
        }
        TimelineEvent e = (TimelineEvent) o;
        return eventId == e.eventId
                && eventTime == e.eventTime
                && sequence == e.sequence
                && kind == e.kind
                && conversationId.equals(e.conversationId)
                && Objects.equals(sourceType, e.sourceType)
                && Objects.equals(participantId, e.participantId)
                && Objects.equals(sessionId, e.sessionId)
                && Objects.equals(mediaType, e.mediaType)
                && Objects.equals(userId, e.userId)
                && Objects.equals(queueId, e.queueId)
                && Objects.equals(purpose, e.purpose)
                && Objects.equals(direction, e.direction)
                && Objects.equals(state, e.state)
                && attributes.equals(e.attributes);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(eventId) * 31 + Long.hashCode(eventTime);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(128).append("TimelineEvent{")
                .append(conversationId).append(' ').append(kind);
        if (sourceType != null) {
            sb.append('(').append(sourceType).append(')');
        }
        sb.append(" t=").append(eventTime).append(" id=").append(Long.toHexString(eventId));
        if (sequence >= 0) {
            sb.append(" seq=").append(sequence);
        }
        if (lamport != 0) {
            sb.append(" L=").append(lamport);
        }
        append(sb, "participant", participantId);
        append(sb, "session", sessionId);
        append(sb, "media", mediaType);
        append(sb, "user", userId);
        append(sb, "queue", queueId);
        append(sb, "purpose", purpose);
        append(sb, "direction", direction);
        append(sb, "state", state);
        if (!attributes.isEmpty()) {
            sb.append(' ').append(attributes);
        }
        return sb.append('}').toString();
    }

    private static void append(StringBuilder sb, String name, String value) {
        if (value != null) {
            sb.append(' ').append(name).append('=').append(value);
        }
    }

    /**
     * Builds a {@link TimelineEvent}. Not thread-safe; {@link #build()} may be called repeatedly.
     * If no {@link #eventId(long)} is given, the id is derived from the event's identifying content
     * (kind, source type, conversation, participant, session, event time, state and attributes).
     */
    public static final class Builder {
        private final String conversationId;
        private final EventKind kind;
        private final long eventTime;
        private long eventId;
        private boolean eventIdSet;
        private String sourceType;
        private long sequence = -1;
        private long lamport;
        private String participantId;
        private String sessionId;
        private String mediaType;
        private String userId;
        private String queueId;
        private String purpose;
        private String direction;
        private String state;
        private LinkedHashMap<String, String> attributes;

        private Builder(String conversationId, EventKind kind, long eventTime) {
            if (conversationId == null || conversationId.isEmpty()) {
                throw new IllegalArgumentException("conversationId must be non-empty");
            }
            this.conversationId = conversationId;
            this.kind = Objects.requireNonNull(kind, "kind");
            this.eventTime = eventTime;
        }

        public Builder eventId(long eventId) {
            this.eventId = eventId;
            this.eventIdSet = true;
            return this;
        }

        public Builder sourceType(String sourceType) {
            this.sourceType = sourceType;
            return this;
        }

        public Builder sequence(long sequence) {
            this.sequence = sequence;
            return this;
        }

        public Builder lamport(long lamport) {
            this.lamport = lamport;
            return this;
        }

        public Builder participantId(String participantId) {
            this.participantId = participantId;
            return this;
        }

        public Builder sessionId(String sessionId) {
            this.sessionId = sessionId;
            return this;
        }

        public Builder mediaType(String mediaType) {
            this.mediaType = mediaType;
            return this;
        }

        public Builder userId(String userId) {
            this.userId = userId;
            return this;
        }

        public Builder queueId(String queueId) {
            this.queueId = queueId;
            return this;
        }

        public Builder purpose(String purpose) {
            this.purpose = purpose;
            return this;
        }

        public Builder direction(String direction) {
            this.direction = direction;
            return this;
        }

        public Builder state(String state) {
            this.state = state;
            return this;
        }

        /** Adds (or replaces) one attribute; a null value removes the key. */
        public Builder attribute(String key, String value) {
            Objects.requireNonNull(key, "attribute key");
            if (value == null) {
                if (attributes != null) {
                    attributes.remove(key);
                }
                return this;
            }
            if (attributes == null) {
                attributes = new LinkedHashMap<>(8);
            }
            attributes.put(key, value);
            return this;
        }

        /** Adds every entry of {@code map} in its iteration order. */
        public Builder attributes(Map<String, String> map) {
            map.forEach(this::attribute);
            return this;
        }

        public TimelineEvent build() {
            Map<String, String> attrs = attributes == null || attributes.isEmpty()
                    ? Map.of()
                    : Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
            if (!eventIdSet) {
                eventId = contentId(attrs);
            }
            return new TimelineEvent(this, attrs);
        }

        private long contentId(Map<String, String> attrs) {
            String[] parts = new String[9 + attrs.size() * 2];
            int i = 0;
            parts[i++] = kind.name();
            parts[i++] = sourceType;
            parts[i++] = conversationId;
            parts[i++] = participantId;
            parts[i++] = sessionId;
            parts[i++] = Long.toString(eventTime);
            parts[i++] = state;
            parts[i++] = purpose;
            parts[i++] = userId;
            for (Map.Entry<String, String> e : attrs.entrySet()) {
                parts[i++] = e.getKey();
                parts[i++] = e.getValue();
            }
            return EventIds.of(parts);
        }
    }
}
