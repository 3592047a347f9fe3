package dev.gctimeline.stream;

import dev.gctimeline.auth.BadCredentialsException;
import dev.gctimeline.auth.MissingPermissionException;
import dev.gctimeline.auth.TokenProvider;
import dev.gctimeline.core.EventSource;
import dev.gctimeline.core.TimelinePipeline;
import dev.gctimeline.stream.internal.Backoff;
import dev.gctimeline.stream.internal.Channel;
import dev.gctimeline.stream.internal.NotificationsApi;
import dev.gctimeline.stream.internal.NotificationsApiException;
import dev.gctimeline.stream.internal.TopicPlan;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A live connection to Genesys Cloud's notifications, feeding a {@link TimelinePipeline}.
 *
 * <p>It creates channels, subscribes the topics (more than 1,000 are spread over several channels),
 * connects each channel's WebSocket with the JDK client, and keeps them alive: a heartbeat watchdog
 * reconnects a socket that went silent; {@code v2.system.socket_closing} and channel expiry are
 * handled make-before-break (a new channel, subscribed and connected before the old one is let go;
 * the overlap is absorbed by the pipeline's dedup); drops reconnect with exponential backoff and full
 * jitter, and the window without a socket is reported as a {@link StreamGap} (Genesys queues nothing
 * for a closed socket). Bad credentials and missing permissions stop the stream and reach
 * {@link StreamListener#failed} instead of looping.
 *
 * <p>Auto-follow: over WebSocket, detail-event and transcription topics exist only per conversation,
 * so when a snapshot topic reveals a conversation, its topics are subscribed at once (batched), and
 * dropped again a grace period after it ended.
 *
 * <p>Flow control: frames are requested one message at a time, and only while the pipeline accepts
 * events; a full pipeline stops the requests until it drains, and TCP pushes back on the server.
 *
 * <pre>{@code
 * GenesysEventStream stream = GenesysEventStream.builder()
 *     .apiBase(URI.create("https://api.mypurecloud.ie")).tokens(tokens)
 *     .queues("queue-id-1", "queue-id-2")
 *     .build()
 *     .start(pipeline);
 * }</pre>
 */
public final class GenesysEventStream implements EventSource {
    private static final Logger LOG = LoggerFactory.getLogger(GenesysEventStream.class);

    /** Per-conversation topic suffixes subscribed by auto-follow. */
    public static final List<String> DETAIL_SUFFIXES = List.of("customer.start", "customer.end", "user.start",
            "user.end", "acd.start", "acd.end", "acw", "wrapup", "attributes", "contact", "flow.start", "flow.end",
            "flow.outcome", "outbound", "voicemail.start", "voicemail.end");

    private final Builder o;
    private final HttpClient http;
    private final NotificationsApi api;
    private final Backoff backoff;
    private final ScheduledExecutorService control;
    private final TopicPlan plan;
    private final List<Slot> slots = new ArrayList<>();
    private final ConcurrentLinkedQueue<String> seen = new ConcurrentLinkedQueue<>();
    private final Map<String, Long> unfollowAt = new LinkedHashMap<>();
    private final Set<Integer> dirtySlots = new LinkedHashSet<>();
    private final Map<Integer, List<String>> pendingAdds = new LinkedHashMap<>();
    private final StreamCounters counters = new StreamCounters();
    /** One snapshot diff state for every socket, so reconnects and rotations continue the diff. */
    private final SnapshotMemory snapshots = SnapshotMemory.create();
    private volatile TimelinePipeline pipeline;
    private volatile boolean closed;
    private volatile Throwable failure;

    private GenesysEventStream(Builder b) {
        this.o = b;
        this.http = b.http != null ? b.http : HttpClient.newBuilder().connectTimeout(b.requestTimeout).build();
        this.api = new NotificationsApi(http, b.apiBase, b.tokens, b.requestTimeout);
        this.backoff = new Backoff(b.backoffBase, b.backoffCap, bound -> ThreadLocalRandom.current().nextLong(bound));
        this.control = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "gctimeline-stream-control");
            t.setDaemon(true);
            return t;
        });
        this.plan = new TopicPlan(b.topicsPerChannel, b.maxChannels);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The topics of a conversation that auto-follow subscribes. */
    public static List<String> conversationTopics(String conversationId, boolean transcripts) {
        List<String> t = new ArrayList<>(DETAIL_SUFFIXES.size() + 1);
        for (String s : DETAIL_SUFFIXES) {
            t.add("v2.detail.events.conversation." + conversationId + "." + s);
        }
        if (transcripts) {
            t.add("v2.conversations." + conversationId + ".transcription");
        }
        return t;
    }

    /** Starts connecting (asynchronously) and returns this stream. */
    public GenesysEventStream start(TimelinePipeline pipeline) {
        this.pipeline = Objects.requireNonNull(pipeline, "pipeline");
        control.execute(() -> {
            int channels = plan.placeFixed(o.topics);
            for (int i = 0; i < channels; i++) {
                Slot s = new Slot(i);
                slots.add(s);
                connect(s);
            }
        });
        control.scheduleWithFixedDelay(this::tick, o.tick.toMillis(), o.tick.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    /** Counters a user can export. */
    public StreamMetrics metrics() {
        return counters.snapshot(plan::followedCount);
    }

    /** The failure that stopped the stream, or null while it runs. */
    public Throwable failure() {
        return failure;
    }

    /** Closes every socket and stops; events already handed to the pipeline stay there. */
    @Override
    public void close() {
        closed = true;
        CompletableFuture<Void> done = new CompletableFuture<>();
        try {
            control.execute(() -> {
                for (Slot s : slots) {
                    s.closeAll("stream closed");
                }
                done.complete(null);
            });
            done.get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.debug("closing sockets did not finish cleanly", e);
        }
        control.shutdownNow();
    }

    // ---------------------------------------------------------------- control thread only

    private void connect(Slot slot) {
        if (closed) {
            return;
        }
        try {
            Link link = open(slot);
            Link old = slot.current;
            slot.current = link;
            slot.attempt = 0;
            counters.connects.incrementAndGet();
            if (slot.gapFrom != null) {
                StreamGap gap = new StreamGap(slot.index, slot.gapChannel, slot.gapFrom, o.clock.instant(), slot.gapCause);
                slot.gapFrom = null;
                counters.gaps.incrementAndGet();
                LOG.warn("channel slot {} had no socket from {} to {} ({}): events published then are lost to the "
                        + "stream; backfill that window", gap.slot(), gap.from(), gap.to(), gap.cause());
                notify(l -> l.gap(gap));
            }
            if (old != null) {
                old.retire("replaced");
            }
            notify(l -> l.connected(slot.index, Channel.redact(link.channel.id())));
        } catch (RuntimeException e) {
            if (isTerminal(e)) {
                fail(e);
                return;
            }
            scheduleReconnect(slot, e);
        }
    }

    private Link open(Slot slot) {
        Channel ch = api.createChannel();
        api.replaceSubscriptions(ch.id(), plan.topics(slot.index));
        Link link = new Link(slot, ch);
        WebSocket ws = http.newWebSocketBuilder().connectTimeout(o.requestTimeout)
                .buildAsync(ch.connectUri(), link).join();
        link.ws = ws;
        return link;
    }

    private void scheduleReconnect(Slot slot, Throwable cause) {
        if (closed) {
            return;
        }
        Duration retryAfter = cause instanceof NotificationsApiException
                ? ((NotificationsApiException) cause).retryAfter() : null;
        Duration delay = backoff.delay(slot.attempt, retryAfter);
        int attempt = ++slot.attempt;
        counters.reconnects.incrementAndGet();
        LOG.info("channel slot {} reconnecting (attempt {}) in {} ms: {}", slot.index, attempt, delay.toMillis(),
                describe(cause));
        notify(l -> l.reconnecting(slot.index, attempt, delay, cause));
        control.schedule(() -> connect(slot), delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void rotate(Slot slot, String why) {
        Link old = slot.current;
        if (closed || old == null || old.rotating) {
            return;
        }
        old.rotating = true;
        try {
            Link fresh = open(slot);
            slot.current = fresh;
            counters.rotations.incrementAndGet();
            String from = Channel.redact(old.channel.id());
            String to = Channel.redact(fresh.channel.id());
            LOG.info("channel slot {} rotated make-before-break ({}): {} -> {}", slot.index, why, from, to);
            notify(l -> l.rotated(slot.index, from, to, why));
            // Keep the old socket a moment so nothing in flight on it is lost; dedup absorbs the overlap.
            control.schedule(() -> old.retire("rotated: " + why), o.rotationOverlap.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RuntimeException e) {
            old.rotating = false;
            if (isTerminal(e)) {
                fail(e);
                return;
            }
            LOG.warn("channel slot {} could not rotate ({}); the old socket stays until it closes: {}", slot.index,
                    why, describe(e));
            control.schedule(() -> rotate(slot, why), backoff.delay(1, null).toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private void dropped(Link link, Throwable cause) {
        Slot slot = link.slot;
        if (closed || link.retired || slot.current != link) {
            return;
        }
        slot.current = null;
        if (slot.gapFrom == null) {
            slot.gapFrom = Instant.ofEpochMilli(link.lastMessageMillis);
            slot.gapChannel = Channel.redact(link.channel.id());
            slot.gapCause = describe(cause);
        }
        link.retire("dropped");
        scheduleReconnect(slot, cause);
    }

    private void resubscribe(Link link, boolean newToken) {
        if (link.retired) {
            return;
        }
        try {
            api.replaceSubscriptions(link.channel.id(), plan.topics(link.slot.index));
            counters.resubscribes.incrementAndGet();
        } catch (RuntimeException e) {
            if (isTerminal(e)) {
                fail(e);
                return;
            }
            counters.subscriptionErrors.incrementAndGet();
            LOG.warn("resubscribing channel slot {} failed ({}); rotating to a new channel", link.slot.index,
                    describe(e));
            rotate(link.slot, newToken ? "token revoked" : "no longer subscribed");
        }
    }

    /** Periodic: watchdog, channel expiry, ping, follow and unfollow batches. */
    private void tick() {
        if (closed) {
            return;
        }
        long now = o.clock.millis();
        for (Slot slot : new ArrayList<>(slots)) {
            Link link = slot.current;
            if (link == null || link.ws == null) {
                continue;
            }
            long silent = now - link.lastMessageMillis;
            if (silent > o.heartbeatTimeout.toMillis()) {
                counters.heartbeatTimeouts.incrementAndGet();
                LOG.warn("channel slot {} silent for {} ms (no heartbeat): reconnecting", slot.index, silent);
                link.ws.abort();
                dropped(link, new java.util.concurrent.TimeoutException("no heartbeat for " + silent + " ms"));
                continue;
            }
            if (silent > o.pingAfter.toMillis() && now - link.lastPingMillis > o.pingAfter.toMillis()) {
                link.lastPingMillis = now;
                link.ws.sendText("{\"message\":\"ping\"}", true);
            }
            Instant expires = link.channel.expires();
            if (expires != null && !link.rotating && now >= expires.toEpochMilli() - o.rotateBeforeExpiry.toMillis()) {
                rotate(slot, "channel expires at " + expires);
            }
        }
        flushFollows(now);
    }

    private void flushFollows(long now) {
        if (o.autoFollow) {
            String id;
            while ((id = seen.poll()) != null) {
                // A pending unfollow stays: "ended" may overtake "seen" on its way here, and a
                // conversation that ended before it was followed is still followed for the grace
                // period (its wrap-up arrives then) and then dropped.
                if (plan.following(id)) {
                    continue;
                }
                List<String> topics = conversationTopics(id, o.followTranscripts);
                int idx = plan.follow(id, topics);
                if (idx < 0) {
                    counters.subscriptionErrors.incrementAndGet();
                    LOG.warn("cannot follow conversation {}: all {} channels hold {} topics", id, o.maxChannels,
                            o.topicsPerChannel);
                    continue;
                }
                counters.follows.incrementAndGet();
                pendingAdds.computeIfAbsent(idx, k -> new ArrayList<>()).addAll(topics);
            }
            for (var it = unfollowAt.entrySet().iterator(); it.hasNext(); ) {
                var e = it.next();
                if (e.getValue() <= now) {
                    it.remove();
                    int idx = plan.unfollow(e.getKey());
                    if (idx >= 0) {
                        counters.unfollows.incrementAndGet();
                        dirtySlots.add(idx);
                        List<String> pending = pendingAdds.get(idx);
                        if (pending != null) {
                            pending.removeAll(conversationTopics(e.getKey(), o.followTranscripts));
                        }
                    }
                }
            }
        }
        for (var it = pendingAdds.entrySet().iterator(); it.hasNext(); ) {
            var e = it.next();
            Slot slot = slotFor(e.getKey());
            Link link = slot.current;
            if (link == null) {
                continue; // the reconnect subscribes the whole plan, these included
            }
            if (e.getValue().isEmpty() || dirtySlots.contains(e.getKey())) {
                it.remove();
                continue;
            }
            try {
                api.addSubscriptions(link.channel.id(), e.getValue());
                it.remove();
            } catch (RuntimeException ex) {
                if (isTerminal(ex)) {
                    fail(ex);
                    return;
                }
                counters.subscriptionErrors.incrementAndGet();
                LOG.warn("adding follow topics to channel slot {} failed, will retry: {}", e.getKey(), describe(ex));
            }
        }
        for (var it = dirtySlots.iterator(); it.hasNext(); ) {
            int idx = it.next();
            Link link = slotFor(idx).current;
            if (link == null) {
                it.remove();
                continue;
            }
            try {
                api.replaceSubscriptions(link.channel.id(), plan.topics(idx));
                it.remove();
                pendingAdds.remove(idx);
            } catch (RuntimeException ex) {
                if (isTerminal(ex)) {
                    fail(ex);
                    return;
                }
                counters.subscriptionErrors.incrementAndGet();
                LOG.warn("updating channel slot {} subscriptions failed, will retry: {}", idx, describe(ex));
            }
        }
    }

    private Slot slotFor(int index) {
        while (slots.size() <= index) {
            Slot s = new Slot(slots.size());
            slots.add(s);
            connect(s);
        }
        return slots.get(index);
    }

    private void fail(Throwable cause) {
        if (failure != null) {
            return;
        }
        failure = cause;
        closed = true;
        counters.failures.incrementAndGet();
        LOG.error("Genesys event stream stopped: {}", describe(cause));
        for (Slot s : slots) {
            s.closeAll("stream failed");
        }
        notify(l -> l.failed(cause));
        control.shutdown();
    }

    private static boolean isTerminal(Throwable e) {
        Throwable t = e instanceof java.util.concurrent.CompletionException && e.getCause() != null ? e.getCause() : e;
        if (t instanceof NotificationsApiException) {
            return ((NotificationsApiException) t).terminal();
        }
        // Bad credentials and missing permissions will not heal by retrying; rate limits, server
        // errors and an unreachable login host will.
        return t instanceof BadCredentialsException || t instanceof MissingPermissionException;
    }

    private static String describe(Throwable t) {
        Throwable c = t instanceof java.util.concurrent.CompletionException && t.getCause() != null ? t.getCause() : t;
        return c.getClass().getSimpleName() + ": " + c.getMessage();
    }

    private void notify(java.util.function.Consumer<StreamListener> call) {
        try {
            call.accept(o.listener);
        } catch (RuntimeException e) {
            LOG.warn("stream listener threw; ignored", e);
        }
    }

    // ---------------------------------------------------------------- per socket

    private final class Slot {
        final int index;
        volatile Link current;
        int attempt;
        Instant gapFrom;
        String gapChannel;
        String gapCause;

        Slot(int index) {
            this.index = index;
        }

        void closeAll(String why) {
            Link l = current;
            current = null;
            if (l != null) {
                l.retire(why);
            }
        }
    }

    /** One socket of one channel: the JDK listener, the decoder, and liveness. */
    private final class Link implements WebSocket.Listener, ControlListener {
        final Slot slot;
        final Channel channel;
        final NotificationDecoder decoder;
        volatile WebSocket ws;
        volatile long lastMessageMillis;
        volatile long lastPingMillis;
        volatile boolean retired;
        volatile boolean rotating;

        Link(Slot slot, Channel channel) {
            this.slot = slot;
            this.channel = channel;
            TimelinePipeline p = pipeline;
            this.decoder = NotificationDecoder.builder(p::offer).rejects(p::reject).control(this)
                    .maxDocumentBytes(o.maxDocumentBytes).snapshotMemory(snapshots).build();
            this.lastMessageMillis = o.clock.millis();
        }

        void retire(String why) {
            if (retired) {
                return;
            }
            retired = true;
            WebSocket w = ws;
            if (w != null && !w.isOutputClosed()) {
                w.sendClose(WebSocket.NORMAL_CLOSURE, why.length() > 100 ? why.substring(0, 100) : why)
                        .whenComplete((r, e) -> w.abort());
            }
        }

        @Override
        public void onOpen(WebSocket webSocket) {
            this.ws = webSocket;
            webSocket.request(1);
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            lastMessageMillis = o.clock.millis();
            if (decoder.onText(data, last)) {
                webSocket.request(1);
            } else {
                counters.pauses.incrementAndGet();
                awaitRoom(webSocket);
            }
            return null; // the decoder copied what it needs: the JDK may reuse data
        }

        private void awaitRoom(WebSocket webSocket) {
            pipeline.whenWritable(() -> control.execute(() -> {
                if (decoder.retryPending()) {
                    webSocket.request(1);
                } else {
                    awaitRoom(webSocket);
                }
            }));
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
            lastMessageMillis = o.clock.millis();
            webSocket.request(1); // Genesys sends text only; binary is ignored
            return null;
        }

        @Override
        public CompletionStage<?> onPing(WebSocket webSocket, ByteBuffer message) {
            lastMessageMillis = o.clock.millis();
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onPong(WebSocket webSocket, ByteBuffer message) {
            lastMessageMillis = o.clock.millis();
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            decoder.socketEnded();
            if (!retired) {
                control.execute(() -> dropped(this, new java.io.IOException("server closed the socket: " + statusCode
                        + " " + reason)));
            }
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            decoder.socketEnded();
            if (!retired) {
                control.execute(() -> dropped(this, error));
            }
        }

        // ControlListener, on the socket's delivery thread: hand off to the control thread.
        // Heartbeats and pongs need nothing more: every message already counts as a sign of life.

        @Override
        public void socketClosing() {
            counters.socketClosings.incrementAndGet();
            control.execute(() -> rotate(slot, "socket_closing"));
        }

        @Override
        public void noLongerSubscribed(String channelId) {
            control.execute(() -> resubscribe(this, false));
        }

        @Override
        public void tokenRevoked(String channelId) {
            control.execute(() -> {
                o.tokens.invalidate(o.tokens.token());
                resubscribe(this, true);
            });
        }

        @Override
        public void conversationSeen(String conversationId) {
            if (o.autoFollow) {
                seen.add(conversationId);
            }
        }

        @Override
        public void conversationEnded(String conversationId) {
            if (o.autoFollow) {
                long at = o.clock.millis() + o.unfollowGrace.toMillis();
                control.execute(() -> unfollowAt.put(conversationId, at));
            }
        }
    }

    /** Options for a {@link GenesysEventStream}. */
    public static final class Builder {
        private URI apiBase;
        private TokenProvider tokens;
        private HttpClient http;
        private final List<String> topics = new ArrayList<>();
        private boolean autoFollow = true;
        private boolean followTranscripts = true;
        private Duration unfollowGrace = Duration.ofMinutes(5);
        private Duration heartbeatTimeout = Duration.ofSeconds(75);
        private Duration pingAfter = Duration.ofSeconds(40);
        private Duration rotateBeforeExpiry = Duration.ofHours(1);
        private Duration rotationOverlap = Duration.ofSeconds(2);
        private Duration requestTimeout = Duration.ofSeconds(20);
        private Duration backoffBase = Duration.ofSeconds(1);
        private Duration backoffCap = Duration.ofSeconds(60);
        private Duration tick = Duration.ofMillis(100);
        private int topicsPerChannel = TopicPlan.MAX_TOPICS_PER_CHANNEL;
        private int maxChannels = TopicPlan.MAX_CHANNELS;
        private Clock clock = Clock.systemUTC();
        private StreamListener listener = new StreamListener() {
        };
        private int maxDocumentBytes = 1 << 20;

        private Builder() {
        }

        /** The API base, e.g. {@code https://api.mypurecloud.ie} (http only for loopback test servers). */
        public Builder apiBase(URI apiBase) {
            this.apiBase = Objects.requireNonNull(apiBase, "apiBase");
            return this;
        }

        public Builder tokens(TokenProvider tokens) {
            this.tokens = Objects.requireNonNull(tokens, "tokens");
            return this;
        }

        public Builder httpClient(HttpClient http) {
            this.http = http;
            return this;
        }

        /** Adds topics verbatim. */
        public Builder topics(String... topics) {
            this.topics.addAll(List.of(topics));
            return this;
        }

        /** Follows the conversations of these queues ({@code v2.routing.queues.{id}.conversations}). */
        public Builder queues(String... queueIds) {
            for (String q : queueIds) {
                topics.add("v2.routing.queues." + q + ".conversations");
            }
            return this;
        }

        /** Follows the conversations of these users ({@code v2.users.{id}.conversations}). */
        public Builder users(String... userIds) {
            for (String u : userIds) {
                topics.add("v2.users." + u + ".conversations");
            }
            return this;
        }

        public Builder autoFollow(boolean autoFollow) {
            this.autoFollow = autoFollow;
            return this;
        }

        public Builder followTranscripts(boolean followTranscripts) {
            this.followTranscripts = followTranscripts;
            return this;
        }

        public Builder unfollowGrace(Duration d) {
            this.unfollowGrace = d;
            return this;
        }

        public Builder heartbeatTimeout(Duration d) {
            this.heartbeatTimeout = d;
            return this;
        }

        public Builder pingAfter(Duration d) {
            this.pingAfter = d;
            return this;
        }

        public Builder rotateBeforeExpiry(Duration d) {
            this.rotateBeforeExpiry = d;
            return this;
        }

        public Builder rotationOverlap(Duration d) {
            this.rotationOverlap = d;
            return this;
        }

        public Builder requestTimeout(Duration d) {
            this.requestTimeout = d;
            return this;
        }

        public Builder backoff(Duration base, Duration cap) {
            this.backoffBase = base;
            this.backoffCap = cap;
            return this;
        }

        public Builder tick(Duration d) {
            this.tick = d;
            return this;
        }

        public Builder topicsPerChannel(int n) {
            this.topicsPerChannel = n;
            return this;
        }

        public Builder maxChannels(int n) {
            this.maxChannels = n;
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        public Builder listener(StreamListener listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /** The largest JSON document accepted (default 1 MiB); larger ones are rejected and counted. */
        public Builder maxDocumentBytes(int bytes) {
            if (bytes < 1024) {
                throw new IllegalArgumentException("maxDocumentBytes must be at least 1024, was " + bytes);
            }
            this.maxDocumentBytes = bytes;
            return this;
        }

        public GenesysEventStream build() {
            if (apiBase == null) {
                throw new IllegalStateException("apiBase is required (e.g. GenesysRegion's api URI)");
            }
            if (tokens == null) {
                throw new IllegalStateException("tokens is required (a TokenProvider)");
            }
            if (topics.isEmpty()) {
                throw new IllegalStateException("no topics: give queues(...), users(...) or topics(...)");
            }
            return new GenesysEventStream(this);
        }
    }
}
