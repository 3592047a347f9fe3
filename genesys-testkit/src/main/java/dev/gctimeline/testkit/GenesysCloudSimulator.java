package dev.gctimeline.testkit;

import dev.gctimeline.core.Timeline;
import dev.gctimeline.core.TimelineEvent;
import dev.gctimeline.testkit.internal.server.Engine;
import dev.gctimeline.testkit.internal.server.SimulatorConfig;
import dev.gctimeline.testkit.scenario.internal.TruthEvents;
import dev.gctimeline.testkit.scenario.internal.WireObject;
import dev.gctimeline.testkit.scenario.internal.WireReader;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * A local Genesys Cloud on 127.0.0.1: OAuth client credentials, the notifications API (channels,
 * subscriptions, the documented limits), WebSocket push with heartbeats and system notices, the two
 * seed-shape streams, analytics conversation details, and {@link Faults} on demand. It publishes a
 * {@link ScenarioFeed}'s notifications in send order, to exactly the channels subscribed to each
 * one's topic at send time, and logs every outcome ({@link Delivery}) so a test can compute the
 * ground truth its client could have seen.
 *
 * <pre>{@code
 * try (GenesysCloudSimulator sim = GenesysCloudSimulator.builder()
 *         .client("my-client", "my-secret").feed(feed).faults(Faults.builder().frameSplit(0.3).build()).build()) {
 *     URI api = sim.baseUri();            // http://127.0.0.1:<port>, for /oauth/token and /api/v2/...
 *     // ... the client logs in, creates a channel, subscribes, connects ...
 *     sim.awaitConnected(channelId, Duration.ofSeconds(5));
 *     sim.play();                         // as fast as the client reads; playAt(10.0) for 10x real time
 *     Map<String, Timeline> truth = sim.truthSeenThroughSubscriptions();
 * }
 * }</pre>
 *
 * <p>Time: token and channel lifetimes run on the builder's {@link Clock} (a {@link ManualClock} in
 * tests); heartbeats, the socket_closing delay and playback pacing run in real time. Thread-safe:
 * the playback methods are serialised, the controls may be called from any thread.
 */
public final class GenesysCloudSimulator implements AutoCloseable {

    private final Engine engine;

    private GenesysCloudSimulator(SimulatorConfig config) {
        this.engine = new Engine(config);
    }

    public static Builder builder() {
        return new Builder();
    }

    // ----- addresses -----

    /** {@code http://127.0.0.1:<port>}: the REST base ({@code /oauth/token}, {@code /api/v2/...}). */
    public URI baseUri() {
        return URI.create("http://127.0.0.1:" + engine.port());
    }

    /** {@code ws://127.0.0.1:<port>}: the WebSocket base (channels' connectUri and the seed-shape paths). */
    public URI webSocketUri() {
        return URI.create("ws://127.0.0.1:" + engine.webSocketPort());
    }

    public int port() {
        return engine.port();
    }

    public int webSocketPort() {
        return engine.webSocketPort();
    }

    // ----- feed and playback -----

    /** Replaces the channel feed (keeping the seed-shape lists) and rewinds the schedule. */
    public void feed(ScenarioFeed feed) {
        engine.player().load(Objects.requireNonNull(feed, "feed"),
                engine.player().list(Delivery.Route.ANALYTICS_STREAM), engine.player().list(Delivery.Route.STREAMING_EVENTS));
    }

    /** Replaces everything played: the channel feed (may be null) and both seed-shape lists; rewinds. */
    public void feed(ScenarioFeed feed, List<Notification> analyticsStream, List<Notification> streamingEvents) {
        engine.player().load(feed, analyticsStream, streamingEvents);
    }

    /** The current channel feed, or null. */
    public ScenarioFeed currentFeed() {
        return engine.player().feed();
    }

    /** Publishes the next scheduled slot now; false when the schedule is done. */
    public boolean step() {
        return engine.player().step();
    }

    /** Publishes every slot due at or before {@code scenarioMillis}; returns how many. */
    public int publishUntil(long scenarioMillis) {
        return engine.player().publishUntil(scenarioMillis);
    }

    /** Publishes the rest of the schedule as fast as the clients read it; returns when done. */
    public void play() {
        engine.player().play(Double.POSITIVE_INFINITY);
    }

    /**
     * Publishes the rest of the schedule paced by the scenario's send times: {@code speed} 1.0 is
     * real time, 10.0 ten times faster, {@code Double.POSITIVE_INFINITY} no pacing. Returns when done.
     */
    public void playAt(double speed) {
        engine.player().play(speed);
    }

    /** {@link #playAt(double)} on a new daemon thread; the future completes when the schedule is done. */
    public CompletableFuture<Void> playInBackground(double speed) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                engine.player().play(speed);
                done.complete(null);
            } catch (RuntimeException e) {
                done.completeExceptionally(e);
            }
        }, "gc-sim-player");
        t.setDaemon(true);
        t.start();
        return done;
    }

    /** Slots in the schedule (notifications plus scheduled duplicates, minus batched seed documents). */
    public int scheduledCount() {
        return engine.player().size();
    }

    /** Slots published so far. */
    public int position() {
        return engine.player().position();
    }

    // ----- controls -----

    /** The next {@code count} token requests fail with {@code status} (401, 429 with Retry-After, 500, ...). */
    public void failNextTokenRequests(int count, int status) {
        if (count < 0 || status < 400 || status > 599) {
            throw new IllegalArgumentException("need count >= 0 and a 4xx/5xx status, got " + count + ", " + status);
        }
        engine.failNextTokenRequests(count, status);
    }

    /** The next {@code count} API calls (under {@code /api/v2}) are answered 429 with Retry-After. */
    public void rateLimitNextApiCalls(int count) {
        if (count < 0) {
            throw new IllegalArgumentException("count must be >= 0, was " + count);
        }
        engine.rateLimitNextApiCalls(count);
    }

    /** Every token issued so far becomes invalid now (the API answers 401 until the client logs in again). */
    public void expireTokens() {
        engine.expireTokens();
    }

    /** Sends {@code v2.system.socket_closing} on the channel's socket; it closes after the configured delay. */
    public boolean sendSocketClosing(String channelId) {
        return engine.sendSocketClosing(channelId);
    }

    /** Sends {@code v2.system.no_longer_subscribed.{channelId}} and clears the channel's subscriptions. */
    public boolean sendNoLongerSubscribed(String channelId) {
        return engine.sendNoLongerSubscribed(channelId);
    }

    /** Sends {@code v2.system.token_revoked.{channelId}} and invalidates the channel owner's tokens. */
    public boolean sendTokenRevoked(String channelId) {
        return engine.sendTokenRevoked(channelId);
    }

    /** Closes the channel's socket abruptly (TCP close, no close frame). */
    public boolean dropSocket(String channelId) {
        return engine.dropSocket(channelId);
    }

    // ----- observation -----

    /** Live channels (every client), creation order. */
    public List<String> channelIds() {
        return engine.channelIds();
    }

    /** A channel's subscribed topics (combined forms expanded), or empty when it does not exist. */
    public Set<String> subscriptions(String channelId) {
        return engine.subscriptions(channelId);
    }

    /** True when the channel has an open socket. */
    public boolean isConnected(String channelId) {
        return engine.isConnected(channelId);
    }

    /** Open sockets of any kind (channels and seed shapes). */
    public int openSockets() {
        return engine.openSockets();
    }

    /**
     * Seed-shape sockets that would receive a document published now on {@code route} (shape A:
     * open; shape B: open and subscribed). 0 for {@link Delivery.Route#CHANNEL}.
     */
    public int seedSockets(Delivery.Route route) {
        return route == Delivery.Route.CHANNEL ? 0 : engine.seedTargets(route).size();
    }

    /**
     * Waits until the channel has an open socket.
     *
     * @throws IllegalStateException when it has none after {@code timeout}
     */
    public void awaitConnected(String channelId, Duration timeout) {
        awaitCondition(() -> isConnected(channelId), timeout, "channel " + channelId + " connected");
    }

    /** Waits until at least {@code count} sockets are open. */
    public void awaitOpenSockets(int count, Duration timeout) {
        awaitCondition(() -> openSockets() >= count, timeout, count + " open sockets");
    }

    private static void awaitCondition(java.util.function.BooleanSupplier condition, Duration timeout, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("timed out after " + timeout + " waiting for " + what);
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted waiting for " + what, e);
            }
        }
    }

    /**
     * The whole delivery log, in the order recorded; once past {@link Builder#deliveryLogLimit}, only
     * its newest entries ({@link #deliveryLogTruncated()}).
     */
    public List<Delivery> deliveries() {
        return engine.log().all();
    }

    /** True once the delivery log let its oldest entries go to stay within its limit. */
    public boolean deliveryLogTruncated() {
        return engine.log().truncated();
    }

    private void requireWholeLog(String what) {
        if (engine.log().truncated()) {
            throw new IllegalStateException(what + " needs the whole delivery log, but it passed its limit ("
                    + engine.config().deliveryLogLimit() + " entries, " + engine.log().recorded()
                    + " recorded) and let the oldest go; raise GenesysCloudSimulator.Builder.deliveryLogLimit");
        }
    }

    /** The delivery log of one channel (or seed-shape pseudo-channel). */
    public List<Delivery> deliveries(String channelId) {
        return engine.log().forChannel(channelId);
    }

    /** A channel's entries whose notification did not reach it ({@code NO_SOCKET} or {@code LOST}). */
    public List<Delivery> undeliverable(String channelId) {
        requireWholeLog("undeliverable()");
        List<Delivery> out = new ArrayList<>();
        for (Delivery d : deliveries(channelId)) {
            if (d.outcome() != Delivery.Outcome.DELIVERED) {
                out.add(d);
            }
        }
        return List.copyOf(out);
    }

    /** The notification a delivery entry refers to. */
    public Notification notification(Delivery delivery) {
        return engine.player().list(delivery.route()).get(delivery.index());
    }

    /**
     * The ground truth as seen through the subscriptions: per conversation, the timeline a correct
     * client makes of exactly the notifications that were delivered to one of its sockets, in the
     * order they were delivered (duplicates collapse by event id).
     *
     * <p>Detail events and transcription messages contribute what they carry. Conversation
     * snapshots are different: a snapshot's events are the difference to the previous snapshot
     * the client saw, so they depend on which snapshots reached it and in which order. When every
     * state arrives in order that is what each message carries; when a snapshot was lost (no
     * socket, a dropped socket) the next one delivered shows the missed changes, and when one was
     * overtaken (the reorder fault) its older transitions are stale and are not emitted
     * (docs/event-mapping.md). So the delivered snapshots of each conversation are replayed, in
     * delivery-log order and with every delivered copy, through the same difference rules the
     * scenario's truth uses. (A feed whose snapshots carry no events, like the built-in one, claims
     * no snapshot truth and gets none.)
     */
    public Map<String, Timeline> truthSeenThroughSubscriptions() {
        return truthSeenThroughSubscriptions(d -> true);
    }

    /**
     * The truth as if exactly the {@link Delivery.Outcome#DELIVERED} entries {@code reached} accepts
     * had been read by the client (entries of other outcomes never count). For a client that may have
     * lost what a socket was sent just before an abrupt close (see {@link #abruptCloses()}): the JDK
     * WebSocket client, for one, drops a message that arrives together with the connection's end.
     */
    public Map<String, Timeline> truthSeenThroughSubscriptions(java.util.function.Predicate<Delivery> reached) {
        requireWholeLog("truthSeenThroughSubscriptions()");
        Map<String, List<TimelineEvent>> byConversation = new LinkedHashMap<>();
        Set<String> seen = new HashSet<>();
        Set<String> snapshotTruth = conversationsWithSnapshotTruth();
        Map<String, TruthEvents.SnapshotDiffer> differs = new HashMap<>();
        for (Delivery d : deliveries()) {
            if (d.outcome() != Delivery.Outcome.DELIVERED || !reached.test(d)) {
                continue;
            }
            Notification n = notification(d);
            if (d.route() == Delivery.Route.CHANNEL && isSnapshotTopic(n.topicName()) && n.conversationId() != null
                    && snapshotTruth.contains(n.conversationId())) {
                WireObject body = WireReader.read(n.json()).object("eventBody");
                if (body != null) {
                    for (TimelineEvent e : differs.computeIfAbsent(n.conversationId(),
                            k -> new TruthEvents.SnapshotDiffer()).apply(body)) {
                        byConversation.computeIfAbsent(e.conversationId(), k -> new ArrayList<>()).add(e);
                    }
                }
                continue;
            }
            if (!seen.add(d.route() + ":" + d.index())) {
                continue;
            }
            for (TimelineEvent e : n.carries()) {
                byConversation.computeIfAbsent(e.conversationId(), k -> new ArrayList<>()).add(e);
            }
        }
        Map<String, Timeline> out = new LinkedHashMap<>();
        byConversation.forEach((id, events) -> out.put(id, Timeline.of(id, events)));
        return out;
    }

    /** {@code v2.routing.queues.{id}.conversations[.media]} or {@code v2.users.{id}.conversations[.media]}. */
    static boolean isSnapshotTopic(String topic) {
        if (topic == null) {
            return false;
        }
        String[] p = topic.split("\\.");
        if (p.length >= 5 && p.length <= 6 && p[0].equals("v2") && p[1].equals("routing") && p[2].equals("queues")) {
            return p[4].equals("conversations");
        }
        return p.length >= 4 && p.length <= 5 && p[0].equals("v2") && p[1].equals("users") && p[3].equals("conversations");
    }

    private Set<String> conversationsWithSnapshotTruth() {
        Set<String> out = new HashSet<>();
        for (Notification n : engine.player().list(Delivery.Route.CHANNEL)) {
            if (n.conversationId() != null && !n.carries().isEmpty() && isSnapshotTopic(n.topicName())) {
                out.add(n.conversationId());
            }
        }
        return out;
    }

    /**
     * Channel sockets that ended without a close handshake (a drop fault, {@link #dropSocket}, a
     * failed write, or the client closing TCP), by connection id ({@link Delivery#connectionId()}),
     * with the clock's time when it happened. Entries logged DELIVERED on such a socket shortly before
     * are written, not necessarily read.
     */
    public Map<Long, Long> abruptCloses() {
        return engine.log().abruptCloses();
    }

    public SimulatorStats stats() {
        return engine.counters().snapshot();
    }

    /** Stops both servers and closes every socket (abruptly). Idempotent. */
    @Override
    public void close() {
        engine.close();
    }

    @Override
    public String toString() {
        return "GenesysCloudSimulator[" + baseUri() + ", " + webSocketUri() + "]";
    }

    /**
     * Builds and starts a {@link GenesysCloudSimulator}. Defaults: any free ports, the system UTC
     * clock, client {@code sim-client} / {@code sim-secret} when none is given, token lifetime
     * 86,400 s, channel lifetime 24 h, heartbeat 30 s, socket_closing delay 60 s, Retry-After 1 s,
     * no faults, client messages up to 64 KiB. Not thread-safe.
     */
    /** Delivery-log entries kept unless {@link Builder#deliveryLogLimit} says otherwise. */
    public static final int DEFAULT_DELIVERY_LOG_LIMIT = 2_000_000;

    public static final class Builder {
        private int port;
        private int webSocketPort;
        private Clock clock = Clock.systemUTC();
        private long seed = 1;
        private final Map<String, String> clients = new LinkedHashMap<>();
        private Duration tokenLifetime = Duration.ofSeconds(86_400);
        private Duration channelLifetime = Duration.ofHours(24);
        private Duration heartbeatInterval = Duration.ofSeconds(30);
        private Duration socketClosingDelay = Duration.ofSeconds(60);
        private Duration retryAfter = Duration.ofSeconds(1);
        private Faults faults = Faults.none();
        private final Set<String> forbiddenTopicPrefixes = new HashSet<>();
        private int maxClientMessageBytes = 64 * 1024;
        private ScenarioFeed feed;
        private List<Notification> analyticsStream = List.of();
        private List<Notification> streamingEvents = List.of();
        private int deliveryLogLimit = DEFAULT_DELIVERY_LOG_LIMIT;

        private Builder() {
        }

        /** REST port on 127.0.0.1; 0 (the default) picks a free one. */
        public Builder port(int port) {
            this.port = checkPort(port);
            return this;
        }

        /** WebSocket port on 127.0.0.1; 0 (the default) picks a free one. */
        public Builder webSocketPort(int port) {
            this.webSocketPort = checkPort(port);
            return this;
        }

        /** The clock tokens and channels expire by (a {@link ManualClock} in tests). */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Seed for channel ids and tokens (fault decisions use {@link Faults#seed()}). */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Adds an OAuth client allowed to log in with HTTP Basic. */
        public Builder client(String clientId, String clientSecret) {
            if (clientId == null || clientId.isEmpty() || clientId.contains(":") || clientSecret == null) {
                throw new IllegalArgumentException("client id must be non-empty without ':' and the secret non-null");
            }
            clients.put(clientId, clientSecret);
            return this;
        }

        /** {@code expires_in} of issued tokens (Genesys: 300 s to 172,800 s per OAuth client). */
        public Builder tokenLifetime(Duration lifetime) {
            this.tokenLifetime = positive(lifetime, "tokenLifetime");
            return this;
        }

        /** How long a channel lives after creation or its last subscription call. */
        public Builder channelLifetime(Duration lifetime) {
            this.channelLifetime = positive(lifetime, "channelLifetime");
            return this;
        }

        /** Heartbeat interval on channel sockets; {@link Duration#ZERO} turns heartbeats off. */
        public Builder heartbeatInterval(Duration interval) {
            if (interval.isNegative()) {
                throw new IllegalArgumentException("heartbeatInterval must not be negative");
            }
            this.heartbeatInterval = interval;
            return this;
        }

        /** Time between a socket_closing notice and the close. */
        public Builder socketClosingDelay(Duration delay) {
            if (delay.isNegative()) {
                throw new IllegalArgumentException("socketClosingDelay must not be negative");
            }
            this.socketClosingDelay = delay;
            return this;
        }

        /** The Retry-After of every 429. */
        public Builder retryAfter(Duration retryAfter) {
            if (retryAfter.isNegative()) {
                throw new IllegalArgumentException("retryAfter must not be negative");
            }
            this.retryAfter = retryAfter;
            return this;
        }

        public Builder faults(Faults faults) {
            this.faults = Objects.requireNonNull(faults, "faults");
            return this;
        }

        /** Topics starting with this prefix are forbidden: 403, or skipped with {@code ?ignoreErrors=true}. */
        public Builder forbidTopicPrefix(String prefix) {
            forbiddenTopicPrefixes.add(Objects.requireNonNull(prefix, "prefix"));
            return this;
        }

        /** Largest client message accepted (close 1009 beyond). */
        public Builder maxClientMessageBytes(int bytes) {
            if (bytes < 125) {
                throw new IllegalArgumentException("maxClientMessageBytes must be at least 125");
            }
            this.maxClientMessageBytes = bytes;
            return this;
        }

        /** What channels are fed (notification envelopes with a topic) and analytics answer from. */
        public Builder feed(ScenarioFeed feed) {
            this.feed = feed;
            return this;
        }

        /** Documents pushed on seed shape A ({@code /api/v2/analytics/conversations/details/stream}). */
        /**
         * The most delivery-log entries kept (default {@value #DEFAULT_DELIVERY_LOG_LIMIT}, one
         * small {@link Delivery} record each). Past it the oldest entries are let go and the truth methods, which need
         * the whole log, throw {@link IllegalStateException}; a long-running simulator (a demo, a
         * benchmark) sets it low so its memory stays flat, a test comparing truth leaves it.
         */
        public Builder deliveryLogLimit(int entries) {
            if (entries < 1) {
                throw new IllegalArgumentException("deliveryLogLimit must be >= 1, was " + entries);
            }
            this.deliveryLogLimit = entries;
            return this;
        }

        public Builder analyticsStream(List<Notification> documents) {
            this.analyticsStream = List.copyOf(documents);
            return this;
        }

        /** Batches pushed on seed shape B ({@code /api/v2/streaming/events}) after the client's subscribe. */
        public Builder streamingEvents(List<Notification> documents) {
            this.streamingEvents = List.copyOf(documents);
            return this;
        }

        /**
         * Binds both servers and starts them.
         *
         * @throws java.io.UncheckedIOException when a port cannot be bound
         */
        public GenesysCloudSimulator build() {
            Map<String, String> c = clients.isEmpty() ? Map.of("sim-client", "sim-secret") : clients;
            return new GenesysCloudSimulator(new SimulatorConfig(port, webSocketPort, clock, seed, c, tokenLifetime,
                    channelLifetime, heartbeatInterval, socketClosingDelay, retryAfter, faults, forbiddenTopicPrefixes,
                    maxClientMessageBytes, feed, analyticsStream, streamingEvents, deliveryLogLimit));
        }

        private static int checkPort(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be 0..65535, was " + port);
            }
            return port;
        }

        private static Duration positive(Duration d, String name) {
            if (d.isZero() || d.isNegative()) {
                throw new IllegalArgumentException(name + " must be positive, was " + d);
            }
            return d;
        }
    }
}
