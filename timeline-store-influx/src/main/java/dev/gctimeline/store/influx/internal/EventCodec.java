package dev.gctimeline.store.influx.internal;

import dev.gctimeline.core.ConversationState;
import dev.gctimeline.core.EventKind;
import dev.gctimeline.core.TimelineEvent;

import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiConsumer;

/**
 * The stored shape of a {@link TimelineEvent}: which parts are tags, which are fields, what their
 * keys are, and the point timestamp. The module README's "Schema" section is the prose version of
 * this class; keep them together.
 *
 * <ul>
 *   <li>Tags (indexed, low cardinality): {@code conversationId}, {@code kind}, {@code mediaType},
 *       {@code purpose}. A mediaType or purpose that a tag cannot carry exactly (empty, containing a
 *       backslash or a control character, over 256 chars) goes to the field {@code t.mediaType} /
 *       {@code t.purpose} instead, so reading it back is exact.</li>
 *   <li>Fixed fields (plain names, never containing a dot): {@code eventId}, {@code sequence},
 *       {@code lamport} (integers) and the nullable strings {@code sourceType}, {@code participantId},
 *       {@code sessionId}, {@code userId}, {@code queueId}, {@code direction}, {@code state}. A null
 *       string is an absent field; an empty string is a present, empty field.</li>
 *   <li>Attributes: one string field each, key {@code a.} + the attribute key with {@code %},
 *       {@code \} and control characters percent-encoded ({@code %XX}, lone surrogates
 *       {@code %uXXXX}). The dot means no attribute can ever collide with a fixed field.</li>
 *   <li>String values containing CR or LF (which line protocol cannot carry), a lone surrogate, or
 *       starting with U+E000 are stored as U+E000 followed by the value with {@code \\}, {@code \n},
 *       {@code \r}, backslash-u-XXXX escapes; every other value is stored as is.</li>
 *   <li>Timestamp (ns): {@code eventTime * 1_000_000 + (eventId mod 1_000_000, unsigned)}. Same event,
 *       same point (a retried batch overwrites itself); events in one millisecond get different
 *       sub-millisecond offsets. eventTime is read back as {@code floorDiv(timestamp, 1_000_000)}.</li>
 * </ul>
 */
public final class EventCodec {
    public static final String TAG_CONVERSATION = "conversationId";
    public static final String TAG_KIND = "kind";
    public static final String TAG_MEDIA = "mediaType";
    public static final String TAG_PURPOSE = "purpose";
    public static final String F_EVENT_ID = "eventId";
    public static final String F_SOURCE_TYPE = "sourceType";
    public static final String F_SEQUENCE = "sequence";
    public static final String F_LAMPORT = "lamport";
    public static final String F_PARTICIPANT = "participantId";
    public static final String F_SESSION = "sessionId";
    public static final String F_USER = "userId";
    public static final String F_QUEUE = "queueId";
    public static final String F_DIRECTION = "direction";
    public static final String F_STATE = "state";
    public static final String F_MEDIA_EXACT = "t.mediaType";
    public static final String F_PURPOSE_EXACT = "t.purpose";
    public static final String ATTRIBUTE_PREFIX = "a.";

    /** Marks a string value stored in escaped form. A private-use character: real values rarely start with it. */
    public static final char MARK = '\uE000';

    public static final long NANOS_PER_MILLI = 1_000_000L;
    /** InfluxDB's valid timestamp range (ns). */
    public static final long MIN_TIMESTAMP = -9_223_372_036_854_775_806L;
    public static final long MAX_TIMESTAMP = 9_223_372_036_854_775_806L;
    /** Event times (ms) whose every sub-millisecond offset stays inside that range. */
    public static final long MIN_EVENT_TIME = MIN_TIMESTAMP / NANOS_PER_MILLI + 1;
    public static final long MAX_EVENT_TIME = (MAX_TIMESTAMP - NANOS_PER_MILLI) / NANOS_PER_MILLI;
    static final int MAX_TAG_LENGTH = 256;
    /** Longest accepted conversation id. */
    public static final int MAX_ID_LENGTH = 256;

    private static final byte[] K_CONVERSATION = LineProtocolWriter.escapeKey(TAG_CONVERSATION);
    private static final byte[] K_KIND = LineProtocolWriter.escapeKey(TAG_KIND);
    private static final byte[] K_MEDIA = LineProtocolWriter.escapeKey(TAG_MEDIA);
    private static final byte[] K_PURPOSE = LineProtocolWriter.escapeKey(TAG_PURPOSE);
    private static final byte[] K_EVENT_ID = LineProtocolWriter.escapeKey(F_EVENT_ID);
    private static final byte[] K_SOURCE_TYPE = LineProtocolWriter.escapeKey(F_SOURCE_TYPE);
    private static final byte[] K_SEQUENCE = LineProtocolWriter.escapeKey(F_SEQUENCE);
    private static final byte[] K_LAMPORT = LineProtocolWriter.escapeKey(F_LAMPORT);
    private static final byte[] K_PARTICIPANT = LineProtocolWriter.escapeKey(F_PARTICIPANT);
    private static final byte[] K_SESSION = LineProtocolWriter.escapeKey(F_SESSION);
    private static final byte[] K_USER = LineProtocolWriter.escapeKey(F_USER);
    private static final byte[] K_QUEUE = LineProtocolWriter.escapeKey(F_QUEUE);
    private static final byte[] K_DIRECTION = LineProtocolWriter.escapeKey(F_DIRECTION);
    private static final byte[] K_STATE = LineProtocolWriter.escapeKey(F_STATE);
    private static final byte[] K_MEDIA_EXACT = LineProtocolWriter.escapeKey(F_MEDIA_EXACT);
    private static final byte[] K_PURPOSE_EXACT = LineProtocolWriter.escapeKey(F_PURPOSE_EXACT);
    private static final byte[] K_WRAPUP_CODES = LineProtocolWriter.escapeKey("wrapupCodes");
    private static final EventKind[] KINDS = EventKind.values();
    private static final byte[][] KIND_NAMES = new byte[KINDS.length][];

    static {
        for (EventKind k : KINDS) {
            KIND_NAMES[k.ordinal()] = LineProtocolWriter.escapeKey(k.name());
        }
    }

    private final byte[] measurement;
    private final byte[] summaryMeasurement;

    public EventCodec(String measurement, String summaryMeasurement) {
        this.measurement = LineProtocolWriter.escapeMeasurement(measurement);
        this.summaryMeasurement = LineProtocolWriter.escapeMeasurement(summaryMeasurement);
    }

    /** The point timestamp of an event, or throws if it falls outside InfluxDB's time range. */
    public static long timestamp(TimelineEvent e) {
        long t = e.eventTime();
        if (t < MIN_EVENT_TIME || t > MAX_EVENT_TIME) {
            throw new IllegalArgumentException("eventTime " + t + " is outside InfluxDB's time range (1677..2262)");
        }
        return t * NANOS_PER_MILLI + Long.remainderUnsigned(e.eventId(), NANOS_PER_MILLI);
    }

    /**
     * Why {@code id} cannot be a conversation id here, or null if it can: 1 to 256 characters, no
     * control character, no backslash (InfluxDB versions disagree on backslashes in tag values), no
     * unpaired surrogate.
     */
    public static String conversationIdProblem(String id) {
        if (id == null || id.isEmpty()) {
            return "conversation id is empty";
        }
        if (id.length() > MAX_ID_LENGTH) {
            return "conversation id is longer than " + MAX_ID_LENGTH + " characters";
        }
        for (int i = 0, n = id.length(); i < n; i++) {
            char c = id.charAt(i);
            if (c == '\\') {
                return "conversation id contains a backslash";
            }
            if (Character.isISOControl(c)) {
                return "conversation id contains a control character";
            }
            if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(id.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return "conversation id contains an unpaired surrogate";
            }
        }
        return null;
    }

    /** Whether a tag can carry {@code v} exactly on every InfluxDB version. */
    static boolean tagSafe(String v) {
        int n = v.length();
        if (n == 0 || n > MAX_TAG_LENGTH) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            char c = v.charAt(i);
            if (c == '\\' || c < 0x20 || c == 0x7F) {
                return false;
            }
            if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(v.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    /** An encoder of events into {@code w}; one per writer (not thread-safe), reused for every event. */
    public Encoder encoder(LineProtocolWriter w) {
        return new Encoder(w);
    }

    /**
     * Encodes events into one {@link LineProtocolWriter}. It is its own attribute visitor, so
     * walking an event's attributes allocates nothing (no iterator, no capturing lambda).
     */
    public final class Encoder implements BiConsumer<String, String> {
        private final LineProtocolWriter w;

        Encoder(LineProtocolWriter w) {
            this.w = w;
        }

        public LineProtocolWriter writer() {
            return w;
        }

        /**
         * Appends the event's line. On a rejected value the partial line is removed and the
         * exception propagates; the buffer then holds exactly the lines before it.
         */
        public void encode(TimelineEvent e) {
            try {
                long ts = timestamp(e);
                w.beginLine(measurement);
                w.tag(K_CONVERSATION, e.conversationId());
                w.tag(K_KIND, KIND_NAMES[e.kind().ordinal()]);
                String media = e.mediaType();
                boolean mediaTag = media != null && tagSafe(media);
                if (mediaTag) {
                    w.tag(K_MEDIA, media);
                }
                String purpose = e.purpose();
                boolean purposeTag = purpose != null && tagSafe(purpose);
                if (purposeTag) {
                    w.tag(K_PURPOSE, purpose);
                }
                w.fieldLong(K_EVENT_ID, e.eventId());
                w.fieldLong(K_SEQUENCE, e.sequence());
                w.fieldLong(K_LAMPORT, e.lamport());
                string(w, K_SOURCE_TYPE, e.sourceType());
                string(w, K_PARTICIPANT, e.participantId());
                string(w, K_SESSION, e.sessionId());
                string(w, K_USER, e.userId());
                string(w, K_QUEUE, e.queueId());
                string(w, K_DIRECTION, e.direction());
                string(w, K_STATE, e.state());
                if (media != null && !mediaTag) {
                    string(w, K_MEDIA_EXACT, media);
                }
                if (purpose != null && !purposeTag) {
                    string(w, K_PURPOSE_EXACT, purpose);
                }
                e.attributes().forEach(this);
                w.endLine(ts);
            } catch (RuntimeException ex) {
                w.abortLine();
                throw ex;
            }
        }

        /** Writes one attribute field; the visitor of {@link #encode}. */
        @Override
        public void accept(String key, String value) {
            w.beginFieldKey().fieldKeyChar('a').fieldKeyChar('.');
            attributeKey(w, key);
            w.endFieldKey();
            value(w, value);
        }
    }

    /** Appends the summary line of a completed conversation. */
    public void encodeSummary(ConversationState s, LineProtocolWriter w) {
        try {
            long anchor = s.startTime() >= 0 ? s.startTime() : (s.endTime() >= 0 ? s.endTime() : s.lastEventTime());
            long ts = Math.multiplyExact(anchor, NANOS_PER_MILLI);
            w.beginLine(summaryMeasurement);
            w.tag(K_CONVERSATION, s.conversationId());
            w.fieldString("status", s.status() == null ? "" : s.status());
            w.fieldLong("startTime", s.startTime());
            w.fieldLong("endTime", s.endTime());
            w.fieldLong("durationMs", s.startTime() >= 0 && s.endTime() >= 0 ? s.endTime() - s.startTime() : -1);
            w.fieldLong("participants", s.participants().size());
            w.fieldLong("sessions", s.sessions().size());
            w.fieldLong("transfers", transfers(s));
            w.fieldLong("transcripts", s.transcripts().size());
            w.fieldLong("wrapups", s.wrapups().size());
            StringBuilder codes = new StringBuilder();
            for (ConversationState.Wrapup wu : s.wrapups()) {
                if (wu.code() != null) {
                    if (codes.length() > 0) {
                        codes.append(',');
                    }
                    codes.append(wu.code());
                }
            }
            w.fieldKey(K_WRAPUP_CODES);
            value(w, codes.toString());
            w.fieldLong("eventCount", s.eventCount());
            w.fieldLong("lastEventTime", s.lastEventTime());
            w.endLine(ts);
        } catch (RuntimeException ex) {
            w.abortLine();
            throw ex;
        }
    }

    /** Sessions that ended by transfer (Genesys' disconnectType {@code transfer}, any case). */
    static long transfers(ConversationState s) {
        long n = 0;
        for (ConversationState.MediaSession m : s.sessions()) {
            if (m.disconnectType() != null && m.disconnectType().toLowerCase(java.util.Locale.ROOT).startsWith("transfer")) {
                n++;
            }
        }
        return n;
    }

    private static void string(LineProtocolWriter w, byte[] key, String v) {
        if (v != null) {
            w.fieldKey(key);
            value(w, v);
        }
    }

    /** Writes a string field value, through the U+E000 escape form when line protocol cannot carry it as is. */
    static void value(LineProtocolWriter w, String v) {
        if (!needsEscapedForm(v)) {
            w.stringValue(v);
            return;
        }
        w.beginString().stringChar(MARK);
        for (int i = 0, n = v.length(); i < n; i++) {
            char c = v.charAt(i);
            if (c == '\\') {
                w.stringChar('\\').stringChar('\\');
            } else if (c == '\n') {
                w.stringChar('\\').stringChar('n');
            } else if (c == '\r') {
                w.stringChar('\\').stringChar('r');
            } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(v.charAt(i + 1))) {
                w.stringChars(v, i, i + 2);
                i++;
            } else if (Character.isSurrogate(c)) {
                w.stringChar('\\').stringChar('u');
                hex4(w, c, false);
            } else {
                w.stringChar(c);
            }
        }
        w.endString();
    }

    static boolean needsEscapedForm(String v) {
        int n = v.length();
        if (n > 0 && v.charAt(0) == MARK) {
            return true;
        }
        for (int i = 0; i < n; i++) {
            char c = v.charAt(i);
            if (c == '\n' || c == '\r') {
                return true;
            }
            if (Character.isSurrogate(c)) {
                if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(v.charAt(i + 1))) {
                    i++;
                } else {
                    return true;
                }
            }
        }
        return false;
    }

    private static void attributeKey(LineProtocolWriter w, String key) {
        for (int i = 0, n = key.length(); i < n; i++) {
            char c = key.charAt(i);
            if (c == '%' || c == '\\' || c < 0x20 || c == 0x7F) {
                w.fieldKeyChar('%');
                hex2(w, c);
            } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(key.charAt(i + 1))) {
                w.fieldKeyChars(key, i, i + 2);
                i++;
            } else if (Character.isSurrogate(c)) {
                w.fieldKeyChar('%').fieldKeyChar('u');
                hex4(w, c, true);
            } else {
                w.fieldKeyChar(c);
            }
        }
    }

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private static void hex2(LineProtocolWriter w, char c) {
        w.fieldKeyChar(HEX[(c >>> 4) & 0xF]).fieldKeyChar(HEX[c & 0xF]);
    }

    private static void hex4(LineProtocolWriter w, char c, boolean key) {
        for (int shift = 12; shift >= 0; shift -= 4) {
            char h = HEX[(c >>> shift) & 0xF];
            if (key) {
                w.fieldKeyChar(h);
            } else {
                w.stringChar(h);
            }
        }
    }

    // ---------------------------------------------------------------- reading

    /** Undoes {@link #value}: a stored string value back to the original. */
    public static String decodeValue(String stored) {
        if (stored == null || stored.isEmpty() || stored.charAt(0) != MARK) {
            return stored;
        }
        StringBuilder sb = new StringBuilder(stored.length());
        for (int i = 1, n = stored.length(); i < n; i++) {
            char c = stored.charAt(i);
            if (c != '\\' || i + 1 >= n) {
                sb.append(c);
                continue;
            }
            char e = stored.charAt(++i);
            switch (e) {
                case 'n' -> sb.append('\n');
                case 'r' -> sb.append('\r');
                case 'u' -> {
                    sb.append((char) Integer.parseInt(stored.substring(i + 1, i + 5), 16));
                    i += 4;
                }
                default -> sb.append(e);
            }
        }
        return sb.toString();
    }

    /** The attribute key of a stored field key, or null if the field is not an attribute. */
    public static String attributeKeyOf(String fieldKey) {
        if (!fieldKey.startsWith(ATTRIBUTE_PREFIX)) {
            return null;
        }
        String k = fieldKey.substring(ATTRIBUTE_PREFIX.length());
        if (k.indexOf('%') < 0) {
            return k;
        }
        StringBuilder sb = new StringBuilder(k.length());
        for (int i = 0, n = k.length(); i < n; i++) {
            char c = k.charAt(i);
            if (c != '%') {
                sb.append(c);
            } else if (i + 1 < n && k.charAt(i + 1) == 'u') {
                sb.append((char) Integer.parseInt(k.substring(i + 2, i + 6), 16));
                i += 5;
            } else {
                sb.append((char) Integer.parseInt(k.substring(i + 1, i + 3), 16));
                i += 2;
            }
        }
        return sb.toString();
    }

    /**
     * The event stored in one point, given its timestamp and its columns (tag and field values by
     * key; strings as {@link String}, integers as {@link Long}; absent or null columns left out or
     * null). Null if the point is not an event (no eventId or no conversation).
     */
    public static TimelineEvent decode(long timestampNanos, Map<String, Object> columns) {
        Object id = columns.get(F_EVENT_ID);
        Object conv = columns.get(TAG_CONVERSATION);
        if (!(id instanceof Long) || !(conv instanceof String) || ((String) conv).isEmpty()) {
            return null;
        }
        EventKind kind = kindOf((String) columns.get(TAG_KIND));
        long eventTime = Math.floorDiv(timestampNanos, NANOS_PER_MILLI);
        TimelineEvent.Builder b = TimelineEvent.builder((String) conv, kind, eventTime).eventId((Long) id);
        Object seq = columns.get(F_SEQUENCE);
        if (seq instanceof Long) {
            b.sequence((Long) seq);
        }
        Object lamport = columns.get(F_LAMPORT);
        if (lamport instanceof Long) {
            b.lamport((Long) lamport);
        }
        b.sourceType(str(columns, F_SOURCE_TYPE));
        b.participantId(str(columns, F_PARTICIPANT));
        b.sessionId(str(columns, F_SESSION));
        b.userId(str(columns, F_USER));
        b.queueId(str(columns, F_QUEUE));
        b.direction(str(columns, F_DIRECTION));
        b.state(str(columns, F_STATE));
        String media = str(columns, F_MEDIA_EXACT);
        b.mediaType(media != null ? media : tagValue(columns, TAG_MEDIA));
        String purpose = str(columns, F_PURPOSE_EXACT);
        b.purpose(purpose != null ? purpose : tagValue(columns, TAG_PURPOSE));
        TreeMap<String, String> attrs = null;
        for (Map.Entry<String, Object> c : columns.entrySet()) {
            if (c.getValue() instanceof String && c.getKey().startsWith(ATTRIBUTE_PREFIX)) {
                if (attrs == null) {
                    attrs = new TreeMap<>();
                }
                attrs.put(attributeKeyOf(c.getKey()), decodeValue((String) c.getValue()));
            }
        }
        if (attrs != null) {
            b.attributes(attrs);
        }
        return b.build();
    }

    private static String tagValue(Map<String, Object> columns, String key) {
        Object v = columns.get(key);
        // A tag is never empty in InfluxDB; an empty cell (CSV, SQL) means the series has no such tag.
        return v instanceof String && !((String) v).isEmpty() ? (String) v : null;
    }

    private static String str(Map<String, Object> columns, String key) {
        Object v = columns.get(key);
        return v instanceof String ? decodeValue((String) v) : null;
    }

    private static EventKind kindOf(String name) {
        if (name != null) {
            for (EventKind k : KINDS) {
                if (k.name().equals(name)) {
                    return k;
                }
            }
        }
        return EventKind.OTHER;
    }
}
