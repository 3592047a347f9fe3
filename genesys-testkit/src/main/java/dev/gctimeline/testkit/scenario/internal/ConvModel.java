package dev.gctimeline.testkit.scenario.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * The facts of one simulated conversation (who, which session, when), from which every rendering is
 * derived: detail events, snapshots, transcription, analytics, seed shapes. Times are epoch ms;
 * {@code -1} means "did not happen". Built once by {@link ConversationGenerator}, then only read.
 */
public final class ConvModel {
    public final int index;
    public final String id;
    public final Media media;
    /** INBOUND or OUTBOUND (callbacks). */
    public final String direction;
    public final String queueId;
    public final String queueName;
    public final String divisionId;
    public final int language;
    /** Seeds the renderer's own draws (delivery lags, correlation ids, batching), independent of the facts. */
    public long renderSeed;

    public final List<Part> parts = new ArrayList<>(6);
    public Part customer;
    public Part ivr;
    public Part acd;

    /** Customer address facts (absent ones null). */
    public String ani;
    public String dnis;
    public String addressFrom;
    public String addressTo;

    public String flowId;
    public String flowName;
    public final List<FlowOutcome> outcomes = new ArrayList<>(2);

    public long attributesTime = -1;
    public final LinkedHashMap<String, String> attributes = new LinkedHashMap<>();

    public long contactTime = -1;
    public String externalContactId;

    public boolean abandoned;
    /** The first agent who answered (null when abandoned). */
    public Part answeredBy;

    public final List<Utterance> utterances = new ArrayList<>();

    /** Conversation start, end of the last media session, time of the last fact (after-call work included). */
    public long start;
    public long callEnd;
    public long lastTime;
    /** Shape A: the status word of the terminal statusChange ({@code completed} or {@code ended}). */
    public String finalStatus = "completed";

    ConvModel(int index, String id, Media media, String direction, String queueId, String queueName,
              String divisionId, int language) {
        this.index = index;
        this.id = id;
        this.media = media;
        this.direction = direction;
        this.queueId = queueId;
        this.queueName = queueName;
        this.divisionId = divisionId;
        this.language = language;
    }

    /** A participant with its one media session. */
    public static final class Part {
        public final String id;
        /** customer, ivr, acd, agent. */
        public final String purpose;
        public final String name;
        public String userId;
        public String queueId;
        public final Session session;
        public long acwStart = -1;
        public long acwEnd = -1;
        public String wrapupCode;
        public String wrapupNotes;
        public int wrapupSeconds;
        /** When the {@code wrapup} detail event fired (just after {@code acw}). */
        public long wrapupEventTime = -1;

        Part(String id, String purpose, String name, Session session) {
            this.id = id;
            this.purpose = purpose;
            this.name = name;
            this.session = session;
        }

        /** When the participant first appears: its alert, else its connect. */
        public long joinTime() {
            return session.alert >= 0 ? session.alert : session.connected;
        }

        /** The participant's connectedTime (its session's), or -1 if it never connected. */
        public long connectedTime() {
            return session.connected;
        }

        /** The participant's endTime: its session's disconnect. */
        public long endTime() {
            return session.disconnected;
        }

        public boolean isAgent() {
            return purpose.equals("agent");
        }
    }

    /** One media session. */
    public static final class Session {
        public final String id;
        public final Media media;
        public final String direction;
        public long alert = -1;
        public long connected = -1;
        public long holdStart = -1;
        public long holdEnd = -1;
        public long disconnected = -1;
        public Disconnect disconnect;
        /** Transcription: when transcription of this session started, or -1. */
        public long transcriptionStart = -1;

        Session(String id, Media media, String direction) {
            this.id = id;
            this.media = media;
            this.direction = direction;
        }

        public String state(long t) {
            if (disconnected >= 0 && disconnected <= t) {
                return "disconnected";
            }
            if (connected >= 0 && connected <= t) {
                return "connected";
            }
            return "alerting";
        }

        public boolean held(long t) {
            return holdStart >= 0 && holdStart <= t && (holdEnd < 0 || t < holdEnd);
        }
    }

    /** An IVR flow outcome. */
    public record FlowOutcome(long time, String name, String id, String value) {
    }

    /**
     * A spoken utterance on an agent's session. {@code external}: the customer spoke (channel
     * EXTERNAL), else the agent (INTERNAL). {@code interims}: how many interim versions precede the final.
     */
    public record Utterance(Part on, String utteranceId, long start, long durationMs, boolean external,
                            String text, String confidence, int interims) {
    }
}
