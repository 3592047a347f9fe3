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
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A live connection to Genesys Cloud's notifications, feeding a {@link TimelinePipeline}.
 *
 * <p>It creates channels, connects each channel's WebSocket with the JDK client, then subscribes
 * the topics (more than 1,000 are spread over several channels; a topic is never subscribed on a
 * channel without a reader), and keeps the sockets alive: a watchdog gives up a socket that went
 * silent or leaves a ping unanswered (the JDK client does not always report a connection the
 * server closed); {@code v2.system.socket_closing} and channel expiry are handled make-before-break
 * (a new channel, connected and subscribed; then the old channel's subscriptions are removed and its
 * socket is closed gracefully, read until the server's close frame, so nothing sent to it is lost;
 * the overlap is absorbed by the pipeline's dedup). A dropped socket reconnects to the same channel
 * (Genesys keeps it and its subscriptions) with exponential backoff and full jitter, honouring
 * Retry-After; the window without a socket is reported as a {@link StreamGap} (Genesys queues
 * nothing for a closed socket), starting at the send time of the last ping the server answered, the
 * latest moment it is known to have been alive. Bad credentials and missing permissions stop the
 * stream and reach {@link StreamListener#failed} instead of looping.
 *
 * <p>Auto-follow: over WebSocket, detail-event and transcription topics exist only per conversation,
 * so when a snapshot topic reveals a conversation, its topics are subscribed at once (batched), and
 * dropped again a grace period after it ended.
 *
 * <p>Flow control: frames are requested one message at a time, and only while the pipeline accepts
 * events; a full pipeline stops the requests until it drains, and TCP pushes back on the server.
 * The watchdog does not count the time a socket was paused.
 *
 * <p>Threads: one control thread does all REST calls, reconnects and bookkeeping; each socket's
 * frames are decoded on the JDK client's threads. Listener callbacks run on the control thread.
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

    /** Pings sent and not yet answered, at most: a pong is matched to the oldest ping (FIFO). */
    private static final int MAX_PINGS_IN_FLIGHT = 2;
    /**
     * The gap cause when the JDK WebSocket client (java.net.http: JDK 17, and unchanged in the
     * OpenJDK mainline source) reports the end of a connection as an {@link InternalError}. It means it dropped the message part it had
     * just received: the listener asked for one more message; {@code TransportImpl.ReceiveTask}
     * decoded it (demand back to 0), found end-of-stream behind it and called
     * {@code onComplete}, whose {@code acknowledgeReception} throws {@code InternalError} with no
     * demand left; {@code WebSocketImpl.ReceiveTask} catches it and {@code signalError} replaces
     * the pending onText with onError. Nothing of it can be had back. It was written after the
     * last answered ping, so it lies in the gap reported for this drop: backfill the gap.
     */
    static final String LOST_AT_END = "the JDK WebSocket client failed at the end of the connection (InternalError) "
            + "and discarded the message part it had received last";

    /** A socket's end that cost the message part received last ({@link #LOST_AT_END}). */
    private static final class LostAtEndException extends java.io.IOException {
        private static final long serialVersionUID = 1L;

        LostAtEndException(Throwable jdkError) {
            super(LOST_AT_END, jdkError);
        }
    }

    private final Builder o;
    private final HttpClient http;
    private final NotificationsApi api;
    private final Backoff backoff;
    private final ScheduledExecutorService control;
    private volatile Thread controlThread;
    private final TopicPlan plan;
    private final AtomicBoolean started = new AtomicBoolean();
    // Control thread only, from here to `counters`.
    private final List<Slot> slots = new ArrayList<>();
    /** Every link whose socket may still be open or whose decoder may still hold input. */
    private final Set<Link> links = new LinkedHashSet<>();
    private final Map<String, Long> unfollowAt = new LinkedHashMap<>();
    private final Set<Integer> dirtySlots = new LinkedHashSet<>();
    private final Map<Integer, List<String>> pendingAdds = new LinkedHashMap<>();
    /** Subscription calls wait until then after a 429 (its Retry-After, or a backoff). */
    private long subscribeNotBefore;
    private int subscribeFailures;
    private final ConcurrentLinkedQueue<String> seen = new ConcurrentLinkedQueue<>();
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
        this.backoff = Backoff.fullJitter(b.backoffBase, b.backoffCap);
        this.control = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "gctimeline-stream-control");
            t.setDaemon(true);
            controlThread = t;
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

    /**
     * Starts connecting (asynchronously) and returns this stream.
     *
     * @throws IllegalStateException if the stream was started before
     */
    public GenesysEventStream start(TimelinePipeline pipeline) {
        Objects.requireNonNull(pipeline, "pipeline");
        if (!started.compareAndSet(false, true)) {
            throw new IllegalStateException("this GenesysEventStream was started already; build a new one");
        }
        this.pipeline = pipeline;
        run(() -> {
            int channels;
            try {
                channels = plan.placeFixed(o.topics);
            } catch (IllegalArgumentException e) {
                fail(e);
                return;
            }
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

    /**
     * Closes every socket and stops. Events already handed to the pipeline stay there; events a
     * paused socket still held, and whatever arrives after this call, are dropped.
     */
    @Override
    public void close() {
        closed = true;
        if (Thread.currentThread() == controlThread) {
            closeAllLinks("stream closed");
        } else {
            CompletableFuture<Void> done = new CompletableFuture<>();
            try {
                control.execute(() -> {
                    closeAllLinks("stream closed");
                    done.complete(null);
                });
                done.get(5, TimeUnit.SECONDS);
            } catch (Exception e) {
                LOG.debug("closing sockets did not finish cleanly", e);
            }
        }
        control.shutdownNow();
    }

    // ---------------------------------------------------------------- control thread only

    /**
     * Opens the slot's socket and subscribes it. The channel survives a dropped socket (Genesys keeps
     * it and its subscriptions for 24 hours), so a reconnect reuses it and only a channel that is gone
     * is replaced. The socket is opened before the subscriptions are set: a topic is never subscribed
     * on a channel without a reader, so nothing is published into a window no gap report covers.
     */
    private void connect(Slot slot) {
        slot.reconnectPending = false;
        if (closed || slot.current != null) {
            return;
        }
        Link link;
        boolean freshChannel = slot.channel == null;
        try {
            if (freshChannel) {
                slot.channel = api.createChannel();
            }
            link = open(slot, slot.channel);
        } catch (RuntimeException e) {
            if (channelGone(e)) {
                slot.channel = null;
            }
            if (isTerminal(e)) {
                fail(e);
                return;
            }
            scheduleReconnect(slot, e);
            return;
        }
        // From here the socket is the slot's: a reused channel delivers to it at once, so giving it up
        // now would drop what it was already sent. A failed subscription call is retried instead.
        slot.current = link;
        slot.attempt = 0;
        counters.connects.incrementAndGet();
        String shown = Channel.redact(link.channel.id());
        notify(l -> l.connected(slot.index, shown));
        if (!freshChannel) {
            reportGap(slot); // the channel kept its subscriptions: it delivers from now on
        }
        try {
            api.replaceSubscriptions(slot.channel.id(), plan.topics(slot.index));
            subscribedAll(slot.index);
            reportGap(slot); // a new channel receives from now on
        } catch (RuntimeException e) {
            if (isTerminal(e)) {
                fail(e);
                return;
            }
            if (channelGone(e)) {
                slot.channel = null; // replaced or expired between the handshake and now
                dropped(link, e);
                return;
            }
            subscriptionFailed(e, "subscribing channel slot " + slot.index, o.clock.millis());
            dirtySlots.add(slot.index);
        }
    }

    /** Reports the slot's open gap, if any, as ending now. */
    private void reportGap(Slot slot) {
        if (slot.gapFrom == null) {
            return;
        }
        StreamGap gap = new StreamGap(slot.index, slot.gapChannel, slot.gapFrom, o.clock.instant(), slot.gapCause);
        slot.gapFrom = null;
        emitGap(gap, slot.gapLostAtEnd);
    }

    private void emitGap(StreamGap gap, boolean lostAtEnd) {
        counters.gaps.incrementAndGet();
        if (lostAtEnd) {
            counters.lostAtEnd.incrementAndGet();
        }
        LOG.warn("channel slot {} had no socket from {} to {} ({}): events published then are lost to the "
                + "stream; backfill that window", gap.slot(), gap.from(), gap.to(), gap.cause());
        notify(l -> l.gap(gap));
    }

    /** Connects a WebSocket to {@code channel} for {@code slot}; blocks until the handshake is done. */
    private Link open(Slot slot, Channel channel) {
        Link link = new Link(slot, channel);
        links.add(link);
        try {
            link.ws = http.newWebSocketBuilder().connectTimeout(o.requestTimeout)
                    .buildAsync(channel.connectUri(), link).join();
        } catch (RuntimeException e) {
            link.abort();
            throw e;
        }
        return link;
    }

    /** The whole plan of a slot is on its channel now: queued adds and replacements for it are moot. */
    private void subscribedAll(int index) {
        pendingAdds.remove(index);
        dirtySlots.remove(index);
    }

    private void scheduleReconnect(Slot slot, Throwable failure) {
        if (closed || slot.reconnectPending) {
            return;
        }
        Throwable cause = unwrap(failure);
        slot.reconnectPending = true;
        Duration delay = backoff.delay(slot.attempt, retryAfter(cause));
        int attempt = ++slot.attempt;
        counters.reconnects.incrementAndGet();
        LOG.info("channel slot {} reconnecting (attempt {}) in {} ms: {}", slot.index, attempt, delay.toMillis(),
                describe(cause));
        notify(l -> l.reconnecting(slot.index, attempt, delay, cause));
        schedule(() -> connect(slot), delay.toMillis());
    }

    /**
     * Make-before-break: a new channel, connected and subscribed, becomes the slot's socket; after
     * the overlap the old channel's subscriptions are removed and its socket is closed gracefully
     * (read until the server's close frame), so nothing the old socket was sent is lost.
     */
    private void rotate(Link old, String why) {
        Slot slot = old.slot;
        if (closed || slot.current != old || old.rotating) {
            return;
        }
        old.rotating = true;
        Link fresh = null;
        try {
            Channel ch = api.createChannel();
            fresh = open(slot, ch);
            api.replaceSubscriptions(ch.id(), plan.topics(slot.index));
            subscribedAll(slot.index);
            slot.channel = ch;
            slot.current = fresh;
            old.replacedMillis = o.clock.millis();
            old.ping(old.replacedMillis);
            schedule(() -> checkTakeover(old), o.pongTimeout.toMillis());
            counters.rotations.incrementAndGet();
            String from = Channel.redact(old.channel.id());
            String to = Channel.redact(ch.id());
            LOG.info("channel slot {} rotated make-before-break ({}): {} -> {}", slot.index, why, from, to);
            notify(l -> l.rotated(slot.index, from, to, why));
            schedule(() -> release(old, why, 0), o.rotationOverlap.toMillis());
        } catch (RuntimeException e) {
            if (fresh != null) {
                fresh.abort();
            }
            old.rotating = false;
            if (isTerminal(e)) {
                fail(e);
                return;
            }
            Duration delay = backoff.delay(old.rotationAttempts++, retryAfter(e));
            LOG.warn("channel slot {} could not rotate ({}); the old socket stays until it closes; retrying in {} ms: {}",
                    slot.index, why, delay.toMillis(), describe(e));
            schedule(() -> rotate(old, why), delay.toMillis());
        }
    }

    /**
     * Lets go of a rotated-away link: no more publications to its channel, then a graceful close.
     * The subscriptions go even if the socket already ended: Genesys would go on publishing into a
     * channel nobody reads (and a topic dropped from the new channel since would look lost).
     */
    private void release(Link old, String why, int attempt) {
        if (closed) {
            return;
        }
        try {
            api.removeAllSubscriptions(old.channel.id());
        } catch (RuntimeException e) {
            if (!channelGone(e)) {
                if (isTerminal(e)) {
                    fail(e);
                    return;
                }
                Duration delay = backoff.delay(attempt, retryAfter(e));
                LOG.info("removing the old channel's subscriptions failed; retrying in {} ms: {}", delay.toMillis(),
                        describe(e));
                schedule(() -> release(old, why, attempt + 1), delay.toMillis());
                return;
            }
        }
        old.retire("rotated: " + why);
    }

    /** A socket's input ended (the server closed it, or it failed); on the control thread. */
    private void ended(Link link, Throwable cause) {
        link.endInput();
        if (!closed && !link.retired && link.slot.current == link) {
            dropped(link, cause);
        } else {
            if (link.endCause == null) {
                link.endCause = cause; // for checkTakeover: a replaced socket may have died before the takeover
            }
            link.abort(); // retired, replaced or never current: its loss, if any, is checkTakeover's to find
        }
    }

    /**
     * After a rotation: was the old socket still alive when the new one took over (its subscriptions
     * set)? Only then did make-before-break lose nothing. Proof is a pong to a ping sent at the
     * takeover. Without it the old socket may have died while the new channel was being set up
     * (an abrupt drop whose end the stream handles only after the rotation, or that the JDK never
     * reports), and what was published for the slot in between reached neither: a gap from the old
     * socket's last proof of life to the takeover.
     */
    private void checkTakeover(Link old) {
        if (closed || old.answeredPingMillis >= old.replacedMillis) {
            return;
        }
        if (old.paused) {
            // The pong waits behind what we are not reading yet.
            schedule(() -> checkTakeover(old), o.pongTimeout.toMillis());
            return;
        }
        Throwable cause = old.endCause != null ? old.endCause
                : new TimeoutException("the old socket answered no ping sent when the new one took over");
        emitGap(new StreamGap(old.slot.index, Channel.redact(old.channel.id()), Instant.ofEpochMilli(old.aliveBound()),
                Instant.ofEpochMilli(old.replacedMillis), describe(cause)), unwrap(cause) instanceof LostAtEndException);
    }

    /** The slot's current socket is gone: report the gap once a new one is up, and reconnect. */
    private void dropped(Link link, Throwable cause) {
        Slot slot = link.slot;
        if (closed || link.retired || slot.current != link) {
            return;
        }
        slot.current = null;
        if (slot.gapFrom == null) {
            slot.gapFrom = Instant.ofEpochMilli(link.aliveBound());
            slot.gapChannel = Channel.redact(link.channel.id());
            slot.gapCause = describe(cause);
            slot.gapLostAtEnd = unwrap(cause) instanceof LostAtEndException;
        }
        link.abort();
        // The JDK client may never report the end of a socket it lost (EOF read on the HttpClient's
        // thread while no frame is requested: the InternalError of LOST_AT_END dies in SocketTube):
        // end the decoder's input here, so a document cut off mid-way is rejected and counted like
        // any other truncation.
        link.endInput();
        scheduleReconnect(slot, cause);
    }

    private void resubscribe(Link link, boolean newToken) {
        if (closed || link.retired || link.slot.current != link) {
            return;
        }
        try {
            api.replaceSubscriptions(link.channel.id(), plan.topics(link.slot.index));
            subscribedAll(link.slot.index);
            counters.resubscribes.incrementAndGet();
        } catch (RuntimeException e) {
            if (isTerminal(e)) {
                fail(e);
                return;
            }
            counters.subscriptionErrors.incrementAndGet();
            LOG.warn("resubscribing channel slot {} failed ({}); rotating to a new channel", link.slot.index,
                    describe(e));
            rotate(link, newToken ? "token revoked" : "no longer subscribed");
        }
    }

    /** A paused link's pipeline has room again: hand over what the decoder holds, then read on. */
    private void resume(Link link) {
        synchronized (link.decoderLock) {
            if (!link.decoder.retryPending()) {
                link.awaitRoom();
                return;
            }
            long now = o.clock.millis();
            link.lastMessageMillis = now; // the watchdog restarts: silence while paused was ours
            link.resumedMillis = now;
            link.paused = false;
            if (link.endPending) {
                link.endPending = false;
                link.decoder.socketEnded();
                return;
            }
        }
        WebSocket ws = link.ws;
        if (ws != null) {
            ws.request(1);
        }
    }

    /** Periodic: watchdog, pings, channel expiry, closing sockets, follow and unfollow batches. */
    private void tick() {
        if (closed) {
            return;
        }
        try {
            long now = o.clock.millis();
            for (Slot slot : new ArrayList<>(slots)) {
                Link link = slot.current;
                if (link == null || link.paused) {
                    continue; // a paused socket is silent because we stopped reading, not because it died
                }
                long silent = now - link.lastMessageMillis;
                if (silent > o.heartbeatTimeout.toMillis()) {
                    counters.heartbeatTimeouts.incrementAndGet();
                    LOG.warn("channel slot {} silent for {} ms (no heartbeat): reconnecting", slot.index, silent);
                    dropped(link, new TimeoutException("no heartbeat for " + silent + " ms"));
                    continue;
                }
                long unanswered = link.unansweredPingMillis(now);
                if (unanswered > o.pongTimeout.toMillis()) {
                    counters.heartbeatTimeouts.incrementAndGet();
                    LOG.warn("channel slot {} left a ping unanswered for {} ms: reconnecting", slot.index, unanswered);
                    dropped(link, new TimeoutException("no pong for " + unanswered + " ms"));
                    continue;
                }
                if (now - link.lastPingMillis >= o.pingAfter.toMillis()) {
                    link.ping(now);
                }
                Instant expires = link.channel.expires();
                if (expires != null && !link.rotating
                        && now >= expires.toEpochMilli() - o.rotateBeforeExpiry.toMillis()) {
                    rotate(link, "channel expires at " + expires);
                }
            }
            for (Link link : new ArrayList<>(links)) {
                // A socket closing gracefully whose server never answers our close frame (or whose end
                // the JDK never reported) is aborted, and its decoder ended: a document it was cut off
                // in is rejected like any other truncation.
                if (link.retired && !link.paused && !link.inputEnded
                        && now - Math.max(link.retiredMillis, link.lastMessageMillis) > o.pongTimeout.toMillis()) {
                    LOG.debug("a closing socket did not finish its close handshake; aborting it");
                    link.abort();
                    link.endInput();
                }
            }
            flushFollows(now);
        } catch (RuntimeException e) {
            LOG.error("unexpected failure in the stream's periodic work; it goes on", e);
        }
    }

    private void flushFollows(long now) {
        if (o.autoFollow) {
            String id;
            while ((id = seen.poll()) != null) {
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
        // Slots for channels the plan just grew, before iterating: connecting one subscribes its
        // whole plan and clears its queued adds.
        while (slots.size() < plan.channelCount() && !closed) {
            Slot s = new Slot(slots.size());
            slots.add(s);
            connect(s);
        }
        if (now < subscribeNotBefore || closed) {
            return;
        }
        for (var it = pendingAdds.entrySet().iterator(); it.hasNext(); ) {
            var e = it.next();
            Link link = slots.get(e.getKey()).current;
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
                subscribeFailures = 0;
            } catch (RuntimeException ex) {
                subscriptionFailed(ex, "adding follow topics to channel slot " + e.getKey(), now);
                return;
            }
        }
        for (var it = dirtySlots.iterator(); it.hasNext(); ) {
            int idx = it.next();
            Link link = slots.get(idx).current;
            if (link == null) {
                it.remove(); // the reconnect subscribes the plan as it is then
                continue;
            }
            try {
                api.replaceSubscriptions(link.channel.id(), plan.topics(idx));
                it.remove();
                pendingAdds.remove(idx);
                subscribeFailures = 0;
                reportGap(slots.get(idx)); // a new channel whose first subscription call had failed
            } catch (RuntimeException ex) {
                subscriptionFailed(ex, "updating channel slot " + idx + " subscriptions", now);
                return;
            }
        }
    }

    private void subscriptionFailed(RuntimeException ex, String what, long now) {
        if (isTerminal(ex)) {
            fail(ex);
            return;
        }
        counters.subscriptionErrors.incrementAndGet();
        Duration wait = backoff.delay(subscribeFailures++, retryAfter(ex));
        subscribeNotBefore = now + wait.toMillis();
        LOG.warn("{} failed, retrying in {} ms: {}", what, wait.toMillis(), describe(ex));
    }

    private void fail(Throwable cause) {
        if (failure != null) {
            return;
        }
        failure = cause;
        closed = true;
        counters.failures.incrementAndGet();
        LOG.error("Genesys event stream stopped: {}", describe(cause));
        closeAllLinks("stream failed");
        notify(l -> l.failed(cause));
        control.shutdown();
    }

    private void closeAllLinks(String why) {
        for (Slot s : slots) {
            s.current = null;
        }
        for (Link l : new ArrayList<>(links)) {
            l.closeNow(why);
        }
    }

    /** Runs {@code task} on the control thread; a no-op once the stream is closed. */
    private void run(Runnable task) {
        try {
            control.execute(guarded(task));
        } catch (RejectedExecutionException e) {
            // closed: nothing to do any more
        }
    }

    private void schedule(Runnable task, long delayMillis) {
        try {
            control.schedule(guarded(task), delayMillis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // closed
        }
    }

    private static Runnable guarded(Runnable task) {
        return () -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.error("unexpected failure on the stream's control thread; it goes on", e);
            }
        };
    }

    private static Throwable unwrap(Throwable e) {
        return e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
    }

    private static boolean isTerminal(Throwable e) {
        Throwable t = unwrap(e);
        if (t instanceof NotificationsApiException) {
            return ((NotificationsApiException) t).terminal();
        }
        // Bad credentials and missing permissions will not heal by retrying; rate limits, server
        // errors and an unreachable login host will.
        return t instanceof BadCredentialsException || t instanceof MissingPermissionException;
    }

    /** Whether a failure says the channel no longer exists (expired, replaced by a 21st, unknown). */
    private static boolean channelGone(Throwable e) {
        Throwable t = unwrap(e);
        if (t instanceof NotificationsApiException) {
            return ((NotificationsApiException) t).status() == 404;
        }
        return t instanceof WebSocketHandshakeException
                && ((WebSocketHandshakeException) t).getResponse().statusCode() == 404;
    }

    private static Duration retryAfter(Throwable e) {
        Throwable t = unwrap(e);
        return t instanceof NotificationsApiException ? ((NotificationsApiException) t).retryAfter() : null;
    }

    private static String describe(Throwable t) {
        Throwable c = unwrap(t);
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

    /** One place in the topic plan: its channel (kept across reconnects) and its current socket. */
    private final class Slot {
        final int index;
        /** The channel this slot uses; null when a new one must be created. */
        Channel channel;
        /** The open, subscribed socket, or null while (re)connecting. Read by the tick only. */
        volatile Link current;
        int attempt;
        boolean reconnectPending;
        Instant gapFrom;
        String gapChannel;
        String gapCause;
        boolean gapLostAtEnd;

        Slot(int index) {
            this.index = index;
        }
    }

    /**
     * One socket of one channel: the JDK listener, the decoder, and liveness.
     *
     * <p>Threads: the JDK calls the listener methods one at a time; {@code onText} is the only one
     * that feeds the decoder from the JDK's thread, and it is only called while frames are
     * requested. Everything else that touches the decoder ({@code retryPending}, {@code socketEnded})
     * runs on the control thread, while the link is paused or after its input ended, so the decoder
     * is never used by two threads at once.
     */
    private final class Link implements WebSocket.Listener, ControlListener {
        final Slot slot;
        final Channel channel;
        final NotificationDecoder decoder;
        /** When connecting began: the server cannot have dropped this socket earlier. */
        final long connectStartedMillis;
        volatile WebSocket ws;
        volatile long lastMessageMillis;
        /** Control thread: when the last ping went out. */
        long lastPingMillis;
        /** Send times of pings not answered yet, oldest first (pongs come back in order). */
        private final ArrayDeque<Long> pingsInFlight = new ArrayDeque<>();
        /** The latest send time of a ping whose pong arrived: the server was alive after it. */
        private volatile long answeredPingMillis = Long.MIN_VALUE;
        private CompletableFuture<WebSocket> lastSend = CompletableFuture.completedFuture(null);
        /**
         * Guards the decoder. The JDK calls the listener one method at a time, but the decoder is
         * also resumed and ended from the control thread, and after an abort the JDK may still be
         * inside onText: uncontended in the normal case.
         */
        final Object decoderLock = new Object();
        /** Under decoderLock: the pipeline refused an event; no frames are requested until resumed. */
        volatile boolean paused;
        volatile long resumedMillis;
        /** Under decoderLock: the input ended (close, error, or given up); the decoder takes no more. */
        boolean inputEnded;
        /** Under decoderLock: the input ended while paused; end the decoder's stream after the held input. */
        boolean endPending;
        /** We are done with this socket (closing or aborted); its end is no drop. */
        volatile boolean retired;
        long retiredMillis;
        boolean rotating;
        int rotationAttempts;
        /** Control thread: when a rotation's new socket took over from this one, or 0. */
        long replacedMillis;
        /** Control thread: what ended this socket after it stopped being current, or null. */
        Throwable endCause;

        Link(Slot slot, Channel channel) {
            this.slot = slot;
            this.channel = channel;
            TimelinePipeline p = pipeline;
            this.decoder = NotificationDecoder.builder(p::offer).rejects(p::reject).control(this)
                    .maxDocumentBytes(o.maxDocumentBytes).snapshotMemory(snapshots).build();
            this.connectStartedMillis = o.clock.millis();
            this.lastMessageMillis = connectStartedMillis;
            this.lastPingMillis = connectStartedMillis;
        }

        /**
         * The latest moment the server is known to have been alive on this socket: the send time of
         * the newest answered ping (its pong was written after the ping arrived), else when the
         * connection began. A message's arrival proves less: it may have waited in buffers for long.
         */
        long aliveBound() {
            return Math.max(connectStartedMillis, answeredPingMillis);
        }

        /** How long the oldest unanswered ping has waited while we were reading and nothing arrived, or 0. */
        long unansweredPingMillis(long now) {
            Long oldest;
            synchronized (pingsInFlight) {
                oldest = pingsInFlight.peekFirst();
            }
            if (oldest == null || paused) {
                return 0;
            }
            // A pong queued behind a backlog we were not reading is not late; nor is one queued behind
            // messages still arriving: the pong comes after them, and a socket that delivers is alive.
            return now - Math.max(oldest, Math.max(resumedMillis, lastMessageMillis));
        }

        /** Ends the decoder's input once: a document cut off is rejected as truncated. */
        void endInput() {
            synchronized (decoderLock) {
                if (inputEnded) {
                    return;
                }
                inputEnded = true;
                if (paused) {
                    endPending = true; // the held input is decoded first, on resume
                } else {
                    decoder.socketEnded();
                }
            }
        }

        void ping(long now) {
            WebSocket w = ws;
            if (w == null || w.isOutputClosed() || !lastSend.isDone()) {
                return;
            }
            synchronized (pingsInFlight) {
                if (pingsInFlight.size() >= MAX_PINGS_IN_FLIGHT) {
                    return;
                }
                pingsInFlight.addLast(now);
            }
            lastPingMillis = now;
            lastSend = w.sendText("{\"message\":\"ping\"}", true);
            lastSend.whenComplete((r, e) -> {
                if (e != null) {
                    // Writing failed: the connection is gone even if the JDK never said so.
                    run(() -> ended(this, e));
                }
            });
        }

        /** Graceful close: our close frame, then read on until the server's close frame (or a timeout). */
        void retire(String why) {
            if (retired) {
                return;
            }
            retired = true;
            retiredMillis = o.clock.millis();
            WebSocket w = ws;
            if (w == null || w.isOutputClosed()) {
                abort();
                return;
            }
            w.sendClose(WebSocket.NORMAL_CLOSURE, why.length() > 100 ? why.substring(0, 100) : why)
                    .whenComplete((r, e) -> {
                        if (e != null) {
                            w.abort();
                        }
                    });
        }

        /** Close frame and abort at once: for a stream that is closing, when nothing more is wanted. */
        void closeNow(String why) {
            retired = true;
            links.remove(this);
            WebSocket w = ws;
            if (w != null && !w.isOutputClosed()) {
                w.sendClose(WebSocket.NORMAL_CLOSURE, why).whenComplete((r, e) -> w.abort());
            } else if (w != null) {
                w.abort();
            }
        }

        void abort() {
            retired = true;
            links.remove(this);
            WebSocket w = ws;
            if (w != null) {
                w.abort();
            }
        }

        void awaitRoom() {
            pipeline.whenWritable(() -> run(() -> resume(this)));
        }

        @Override
        public void onOpen(WebSocket webSocket) {
            this.ws = webSocket;
            webSocket.request(1);
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            lastMessageMillis = o.clock.millis();
            boolean more;
            synchronized (decoderLock) {
                if (inputEnded) {
                    return null; // given up: whatever still trickles in is not decoded
                }
                more = decoder.onText(data, last);
                if (!more) {
                    paused = true;
                }
            }
            if (more) {
                webSocket.request(1);
            } else {
                counters.pauses.incrementAndGet();
                awaitRoom();
            }
            return null; // the decoder copied what it needs: the JDK may reuse data
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
            run(() -> ended(this, new java.io.IOException("server closed the socket: " + statusCode + " " + reason)));
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            Throwable cause = error;
            if (unwrap(error) instanceof InternalError) {
                // The JDK client's own failure at the end of the connection, and a loss: see LOST_AT_END.
                LOG.warn("channel slot {}: {}", slot.index, LOST_AT_END);
                cause = new LostAtEndException(error);
            }
            Throwable ending = cause;
            run(() -> ended(this, ending));
        }

        // ControlListener, on the socket's delivery thread: hand off to the control thread.

        @Override
        public void pong() {
            Long sent;
            synchronized (pingsInFlight) {
                sent = pingsInFlight.pollFirst();
            }
            if (sent != null && sent > answeredPingMillis) {
                answeredPingMillis = sent;
            }
        }

        @Override
        public void socketClosing() {
            counters.socketClosings.incrementAndGet();
            run(() -> rotate(this, "socket_closing"));
        }

        @Override
        public void noLongerSubscribed(String channelId) {
            run(() -> resubscribe(this, false));
        }

        @Override
        public void tokenRevoked(String channelId) {
            // The resubscription meets a 401 with the revoked token, which the API client then
            // invalidates (that very token, not whatever is cached by then) and retries once.
            run(() -> resubscribe(this, true));
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
                // Recorded even when the follow is still queued: a conversation seen and ended within
                // one tick must be unfollowed too.
                run(() -> unfollowAt.put(conversationId, at));
            }
        }
    }

    public static final class Builder {
        private URI apiBase;
        private TokenProvider tokens;
        private HttpClient http;
        private final List<String> topics = new ArrayList<>();
        private boolean autoFollow = true;
        private boolean followTranscripts = true;
        private Duration unfollowGrace = Duration.ofMinutes(5);
        private Duration heartbeatTimeout = Duration.ofSeconds(75);
        private Duration pingAfter = Duration.ofSeconds(15);
        private Duration pongTimeout = Duration.ofSeconds(10);
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

        /**
         * How often each socket sends {@code {"message":"ping"}} (default 15 s). A pong proves the
         * socket alive when it was sent; a gap's start is the send time of the last one answered.
         */
        public Builder pingAfter(Duration d) {
            this.pingAfter = d;
            return this;
        }

        /**
         * A socket whose ping stays unanswered this long while it is being read and nothing else
         * arrives on it is given up (default 10 s): the JDK client does not always report a
         * connection the server closed.
         */
        public Builder pongTimeout(Duration d) {
            this.pongTimeout = d;
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
            positive(heartbeatTimeout, "heartbeatTimeout");
            positive(pingAfter, "pingAfter");
            positive(pongTimeout, "pongTimeout");
            positive(tick, "tick");
            positive(requestTimeout, "requestTimeout");
            if (rotationOverlap.isNegative() || unfollowGrace.isNegative() || rotateBeforeExpiry.isNegative()) {
                throw new IllegalStateException("rotationOverlap, unfollowGrace and rotateBeforeExpiry must not be negative");
            }
            // Checked here, not on the control thread where a bad plan could only fail the stream later.
            new TopicPlan(topicsPerChannel, maxChannels).placeFixed(topics);
            return new GenesysEventStream(this);
        }

        private static void positive(Duration d, String name) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw new IllegalStateException(name + " must be positive, was " + d);
            }
        }
    }
}
