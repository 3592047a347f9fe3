package dev.gctimeline.testkit;

import dev.gctimeline.core.Timeline;
import dev.gctimeline.testkit.scenario.internal.ConvModel;
import dev.gctimeline.testkit.scenario.internal.ConversationRenderer;
import dev.gctimeline.testkit.scenario.internal.Ids;
import dev.gctimeline.testkit.scenario.internal.ScenarioEngine;
import dev.gctimeline.testkit.scenario.internal.ScenarioSpec;
import dev.gctimeline.testkit.scenario.internal.WireJson;
import dev.gctimeline.testkit.scenario.internal.WireObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A scripted contact centre, deterministic from a seed: customers arrive by voice, callback, chat
 * and message, run through an IVR flow, wait in a queue, ring agents (some alerts are missed),
 * talk, are held, blind- or consult-transferred, get attributes set and (voice) transcribed, hang up,
 * and the agents do after-call work. Conversations overlap in time.
 *
 * <p>From that one play it renders (at {@link Builder#build()}; EventBridge and seed shapes on first
 * use) everything a Genesys Cloud
 * org would publish about it: detail events, queue and user conversation snapshots and transcription
 * messages ({@link #notifications()}), the same detail events as EventBridge records, the two seed
 * shapes, and analytics conversation details. Every message carries the {@link
 * dev.gctimeline.core.TimelineEvent}s a correct decoder must make of it (docs/event-mapping.md), and
 * {@link #truth(String)} is the timeline a client subscribed to everything from the start would
 * reconstruct. The same seed and options give byte-for-byte the same JSON on every machine.
 *
 * <pre>{@code
 * ContactCenterScenario scenario = ContactCenterScenario.builder().seed(42).conversations(200)
 *     .arrivalRatePerSecond(2.0).build();
 * for (Notification n : scenario.notifications()) publish(n.topicName(), n.json());
 * assertEquals(scenario.truth(id), reconstructed(id));
 * }</pre>
 *
 * <p>Immutable and safe to share between threads.
 */
public final class ContactCenterScenario implements ScenarioFeed {
    /** 2026-11-22T10:00:00Z, the default start of the first conversation. */
    public static final long DEFAULT_START_MILLIS = Instant.parse("2026-11-22T10:00:00Z").toEpochMilli();

    private final long seed;
    private final List<String> conversationIds;
    private final List<ScenarioConversation> conversations;
    private final Map<String, Integer> indexById;
    private final List<Timeline> truths;
    private final List<String> analytics;
    private final List<Notification> notifications;
    private final ScenarioSpec spec;
    private final List<ConvModel> models;
    /** Rendered on first use (they double the build otherwise), then kept; same result either way. */
    private volatile List<Notification> eventBridgeRecords;
    private volatile List<Notification> shapeA;
    private volatile List<Notification> shapeB;
    /** Conversation indexes sorted by start, and each one's last event time: for {@link #conversationsIn}. */
    private final long[] starts;
    private final long[] lastTimes;

    private ContactCenterScenario(Builder b) {
        this.seed = b.seed;
        int[] w = {b.mix.voice(), b.callbacks ? b.mix.callback() : 0, b.chats ? b.mix.chat() : 0,
                   b.messages ? b.mix.message() : 0};
        if (Arrays.stream(w).sum() == 0) {
            throw new IllegalStateException("every medium of the media mix is switched off");
        }
        ScenarioSpec spec = new ScenarioSpec(b.seed, b.conversations, b.rate, b.startMillis, b.queueIds,
                b.agentUserIds, w, b.transcripts, b.attributes, b.consultTransfers, b.blindTransfers,
                b.snapshotRepeatRate, b.organizationId);
        this.spec = spec;
        ScenarioEngine.Output out = ScenarioEngine.run(spec);
        this.models = out.models();
        int n = out.conversations().size();
        List<String> ids = new ArrayList<>(n);
        List<ScenarioConversation> infos = new ArrayList<>(n);
        List<Timeline> truthList = new ArrayList<>(n);
        List<String> analyticsList = new ArrayList<>(n);
        Map<String, Integer> index = new HashMap<>(n * 2);
        starts = new long[n];
        lastTimes = new long[n];
        for (int i = 0; i < n; i++) {
            ScenarioEngine.ConversationOutput co = out.conversations().get(i);
            ConvModel m = co.model();
            ids.add(m.id);
            List<String> users = new ArrayList<>(3);
            for (ConvModel.Part p : m.parts) {
                if (p.isAgent()) {
                    users.add(p.userId);
                }
            }
            infos.add(new ScenarioConversation(m.id, m.media.detail, m.queueId, users, m.start, m.callEnd, m.lastTime,
                    co.topics()));
            truthList.add(co.truth());
            analyticsList.add(co.analyticsJson());
            index.put(m.id, i);
            starts[i] = m.start;
            lastTimes[i] = m.lastTime;
        }
        this.conversationIds = List.copyOf(ids);
        this.conversations = List.copyOf(infos);
        this.truths = List.copyOf(truthList);
        this.analytics = List.copyOf(analyticsList);
        this.indexById = Collections.unmodifiableMap(index);
        this.notifications = out.notifications();
    }

    /** A builder with the defaults (seed 1, 100 conversations, one a second, every feature on). */
    public static Builder builder() {
        return new Builder();
    }

    public long seed() {
        return seed;
    }

    /**
     * Every detail-event envelope, conversation snapshot (queue and user topics, with occasional
     * unchanged repeats) and transcription message, in send order. Heartbeats are not included: they
     * are the server's. A snapshot message carries the transitions new relative to the previous
     * <em>distinct</em> snapshot state of its conversation; every copy of a state (queue topic, each
     * user topic, a repeat) carries the same events, so a client that sees any one copy of each state
     * gets the exact truth, and duplicates collapse in dedup.
     */
    @Override
    public List<Notification> notifications() {
        return notifications;
    }

    @Override
    public List<String> conversationIds() {
        return conversationIds;
    }

    /** Every conversation with its times, queue, agents and topics, in start order. */
    public List<ScenarioConversation> conversations() {
        return conversations;
    }

    /** The conversation with this id, or null. */
    public ScenarioConversation conversation(String conversationId) {
        Integer i = indexById.get(conversationId);
        return i == null ? null : conversations.get(i);
    }

    /**
     * The union of the events of every notification of the conversation: its detail events, final
     * transcripts and snapshot transitions. An empty timeline for an unknown id.
     */
    @Override
    public Timeline truth(String conversationId) {
        Integer i = indexById.get(conversationId);
        return i == null ? Timeline.empty(conversationId) : truths.get(i);
    }

    /** Conversations whose span [start, last event] overlaps [fromMillis, toMillis), in start order. */
    @Override
    public Set<String> conversationsIn(long fromMillis, long toMillis) {
        Set<String> out = new LinkedHashSet<>();
        for (int i = 0; i < starts.length && starts[i] < toMillis; i++) {
            if (lastTimes[i] >= fromMillis) {
                out.add(conversationIds.get(i));
            }
        }
        return Collections.unmodifiableSet(out);
    }

    @Override
    public String analyticsConversationJson(String conversationId) {
        Integer i = indexById.get(conversationId);
        return i == null ? null : analytics.get(i);
    }

    /**
     * The analytics conversation-details JSON as it stood at {@code asOfMillis} (a live interval):
     * null before the conversation started or for an unknown id; participants not yet joined and
     * segments not yet begun are left out; a running segment has no {@code segmentEnd};
     * {@code conversationEnd} appears once the last media session ended and a {@code wrapup} segment
     * once after-call work is done. At or after {@link ScenarioConversation#lastEventMillis()} it
     * equals {@link #analyticsConversationJson(String)}. Rendered on each call.
     */
    public String analyticsConversationJson(String conversationId, long asOfMillis) {
        Integer i = indexById.get(conversationId);
        if (i == null) {
            return null;
        }
        WireObject o = ConversationRenderer.analytics(models.get(i), asOfMillis);
        return o == null ? null : new WireJson().write(o);
    }

    /**
     * Every detail event as the EventBridge record Genesys's AWS integration delivers
     * ({@code {"version":"0",...,"detail":{envelope}}}), in publication order; {@code topicName} is
     * the wrapped detail-event topic, {@code carries} the same event as the WebSocket envelope's.
     * {@link EventBridgeFeed} delivers them at least once and unordered.
     */
    public List<Notification> eventBridgeRecords() {
        List<Notification> r = eventBridgeRecords;
        if (r == null) {
            synchronized (this) {
                r = eventBridgeRecords;
                if (r == null) {
                    r = ScenarioEngine.eventBridge(spec, models);
                    eventBridgeRecords = r;
                }
            }
        }
        return r;
    }

    /** {@link EventBridgeFeed} over {@link #eventBridgeRecords()} seeded from this scenario's seed. */
    public EventBridgeFeed eventBridgeFeed(double duplicateRate, int reorderWindow) {
        return EventBridgeFeed.builder(eventBridgeRecords()).seed(seed).duplicateRate(duplicateRate)
                .reorderWindow(reorderWindow).build();
    }

    /**
     * The same conversations as seed shape A documents (seed-formats.md), one document per
     * notification, in send order; {@code topicName} is null.
     */
    public List<Notification> shapeADocuments() {
        List<Notification> r = shapeA;
        if (r == null) {
            synchronized (this) {
                r = shapeA;
                if (r == null) {
                    r = ScenarioEngine.shapeA(models);
                    shapeA = r;
                }
            }
        }
        return r;
    }

    /**
     * The same conversations as seed shape B batches ({@code {"events":[...]}}), each batch about one
     * conversation, in send order; one sender, so {@code sequence} increases strictly across all
     * batches; {@code id}s are unique. {@code topicName} is null.
     */
    public List<Notification> shapeBMessages() {
        List<Notification> r = shapeB;
        if (r == null) {
            synchronized (this) {
                r = shapeB;
                if (r == null) {
                    r = ScenarioEngine.shapeB(models);
                    shapeB = r;
                }
            }
        }
        return r;
    }

    /**
     * Options of a {@link ContactCenterScenario}. Every option has a default; {@link #build()} plays the
     * whole scenario (2,000 conversations take well under two seconds).
     */
    public static final class Builder {
        private long seed = 1;
        private int conversations = 100;
        private double rate = 1.0;
        private long startMillis = DEFAULT_START_MILLIS;
        private List<String> queueIds = defaultIds("queue", 3);
        private List<String> agentUserIds = defaultIds("agent", 12);
        private MediaMix mix = MediaMix.DEFAULT;
        private boolean transcripts = true;
        private boolean attributes = true;
        private boolean consultTransfers = true;
        private boolean blindTransfers = true;
        private boolean callbacks = true;
        private boolean chats = true;
        private boolean messages = true;
        private double snapshotRepeatRate = 0.15;
        private String organizationId = Ids.named("gctimeline-org");

        private Builder() {
        }

        private static List<String> defaultIds(String kind, int n) {
            List<String> ids = new ArrayList<>(n);
            for (int i = 1; i <= n; i++) {
                ids.add(Ids.named("gctimeline-" + kind + "-" + i));
            }
            return List.copyOf(ids);
        }

        /** Everything random derives from this seed. Default 1. */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** How many conversations to play. Default 100. */
        public Builder conversations(int n) {
            if (n < 0 || n > 1_000_000) {
                throw new IllegalArgumentException("conversations must be in [0, 1000000]: " + n);
            }
            this.conversations = n;
            return this;
        }

        /** Mean arrivals per simulated second (Poisson). Default 1.0. */
        public Builder arrivalRatePerSecond(double rate) {
            if (!(rate > 0) || Double.isInfinite(rate)) {
                throw new IllegalArgumentException("arrival rate must be positive and finite: " + rate);
            }
            this.rate = rate;
            return this;
        }

        /** When the first customer arrives (epoch ms). Default 2026-11-22T10:00:00Z. */
        public Builder startMillis(long startMillis) {
            if (startMillis < 0 || startMillis > 253_370_764_800_000L - 86_400_000L * 365) {
                throw new IllegalArgumentException("start must be between 1970 and 9998: " + startMillis);
            }
            this.startMillis = startMillis;
            return this;
        }

        /** The queues conversations are routed to. Default: three fixed ids. */
        public Builder queueIds(List<String> ids) {
            this.queueIds = checkIds("queueIds", ids);
            return this;
        }

        /** The agents' user ids (the pool alerts are drawn from). Default: twelve fixed ids. */
        public Builder agentUserIds(List<String> ids) {
            this.agentUserIds = checkIds("agentUserIds", ids);
            return this;
        }

        public Builder mediaMix(MediaMix mix) {
            this.mix = Objects.requireNonNull(mix, "mix");
            return this;
        }

        /** Transcription messages for voice conversations. Default on. */
        public Builder transcripts(boolean on) {
            this.transcripts = on;
            return this;
        }

        /** Participant attributes (set once per conversation, in the IVR or by the agent). Default on. */
        public Builder attributes(boolean on) {
            this.attributes = on;
            return this;
        }

        /** Consult transfers (voice). Default on. */
        public Builder consultTransfers(boolean on) {
            this.consultTransfers = on;
            return this;
        }

        /** Blind transfers. Default on. */
        public Builder blindTransfers(boolean on) {
            this.blindTransfers = on;
            return this;
        }

        /** Callback conversations (when the mix gives them weight). Default on. */
        public Builder callbacks(boolean on) {
            this.callbacks = on;
            return this;
        }

        /** Chat conversations (when the mix gives them weight). Default on. */
        public Builder chats(boolean on) {
            this.chats = on;
            return this;
        }

        /** Message conversations (when the mix gives them weight). Default on. */
        public Builder messages(boolean on) {
            this.messages = on;
            return this;
        }

        /** Probability in [0, 1] that a snapshot is published once more, unchanged. Default 0.15. */
        public Builder snapshotRepeatRate(double rate) {
            if (!(rate >= 0 && rate <= 1)) {
                throw new IllegalArgumentException("snapshotRepeatRate must be in [0, 1]: " + rate);
            }
            this.snapshotRepeatRate = rate;
            return this;
        }

        /** The organization id written into transcription bodies and EventBridge sources. */
        public Builder organizationId(String id) {
            this.organizationId = checkIds("organizationId", List.of(Objects.requireNonNull(id, "organizationId"))).get(0);
            return this;
        }

        /** Plays the scenario and renders everything. */
        public ContactCenterScenario build() {
            return new ContactCenterScenario(this);
        }

        private static List<String> checkIds(String what, List<String> ids) {
            Objects.requireNonNull(ids, what);
            if (ids.isEmpty()) {
                throw new IllegalArgumentException(what + " must not be empty");
            }
            Set<String> seen = new LinkedHashSet<>();
            for (String id : ids) {
                if (id == null || id.isBlank() || !id.chars().allMatch(ch -> ch > 0x20 && ch < 0x7f && ch != '.')) {
                    throw new IllegalArgumentException(what + ": ids must be non-blank printable ASCII without"
                            + " dots or spaces (they go into topic names): '" + id + "'");
                }
                if (!seen.add(id)) {
                    throw new IllegalArgumentException(what + ": duplicate id '" + id + "'");
                }
            }
            return List.copyOf(ids);
        }
    }
}
