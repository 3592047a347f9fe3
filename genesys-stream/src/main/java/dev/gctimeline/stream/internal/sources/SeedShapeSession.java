package dev.gctimeline.stream.internal.sources;

import dev.gctimeline.stream.internal.Backoff;

import dev.gctimeline.auth.AccessToken;
import dev.gctimeline.auth.BadCredentialsException;
import dev.gctimeline.auth.GenesysAuthException;
import dev.gctimeline.auth.MissingPermissionException;
import dev.gctimeline.auth.TokenProvider;
import dev.gctimeline.core.RejectReason;
import dev.gctimeline.core.TimelinePipeline;
import dev.gctimeline.stream.NotificationDecoder;
import dev.gctimeline.stream.SeedShapeStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The machinery behind {@link SeedShapeStream}: connects, feeds each socket's text through one
 * {@link NotificationDecoder} into the pipeline with real flow control, and reconnects.
 *
 * <p><b>Demand.</b> The socket never has more than one outstanding {@code request(1)}. It is made
 * after a part the decoder took entirely, after a connection opens while nothing is held, and
 * after held input was finished; never while the decoder is paused, so no part (or ping, or close)
 * can arrive then. {@link #lock} serialises every decoder call (WebSocket callbacks, the resume
 * task, close) and the {@code paused}/{@code current} pair.
 *
 * <p><b>Threads.</b> WebSocket callbacks run on the HttpClient's threads; connecting (which may
 * block on the token provider), reconnect timers and resuming after backpressure run on one daemon
 * thread of this session, never on the pipeline's consumer thread ({@code whenWritable} tasks only
 * hand over).
 *
 * <pre>{@code SeedShapeSession s = new SeedShapeSession(settings); s.start(pipeline); ...; s.close();}</pre>
 */
public final class SeedShapeSession {
    private static final Logger LOG = LoggerFactory.getLogger(SeedShapeStream.class);
    private static final AtomicInteger THREADS = new AtomicInteger();

    /**
     * Everything a session needs, validated by the public builder.
     *
     * @param shape            the shape's name, for logs and the thread name
     * @param uri              where to connect, without query
     * @param tokenInQuery     legacy: token as {@code access_token} query instead of the header
     * @param tokens           where tokens come from
     * @param http             the client sockets are built with
     * @param connectTimeout   opening handshake timeout
     * @param backoff          reconnect delays
     * @param subscribeMessage sent right after each open (shape B), or null
     * @param maxDocumentBytes the decoder's document bound
     * @param closeTimeout     how long close keeps offering held events
     * @param pingInterval     how long a socket may stay silent before it is pinged (and dropped when the
     *                         ping goes unanswered as long again); zero switches the watchdog off
     * @param listener         the user's lifecycle listener
     */
    public record Settings(String shape, URI uri, boolean tokenInQuery, TokenProvider tokens, HttpClient http,
                           Duration connectTimeout, Backoff backoff, String subscribeMessage, int maxDocumentBytes,
                           Duration closeTimeout, Duration pingInterval, SeedShapeStream.Listener listener) {
        public Settings {
            Objects.requireNonNull(uri, "uri");
            Objects.requireNonNull(tokens, "tokens");
            Objects.requireNonNull(http, "http");
            Objects.requireNonNull(backoff, "backoff");
            Objects.requireNonNull(listener, "listener");
            Objects.requireNonNull(pingInterval, "pingInterval");
        }
    }

    private final Settings settings;
    private final String shown;
    private final ScheduledThreadPoolExecutor executor;
    private final Object lock = new Object();
    private final Runnable handOverResume = this::handOverResume;

    // Guarded by lock.
    private NotificationDecoder decoder;
    private boolean paused;
    private Connection current;

    private volatile TimelinePipeline pipeline;
    private volatile boolean started;
    private volatile boolean closed;
    private volatile GenesysAuthException failure;
    private volatile ScheduledFuture<?> pendingConnect;
    /** Consecutive failures since a connection last delivered a message: the backoff exponent. */
    private final AtomicInteger failures = new AtomicInteger();
    /** The token being tried was fetched after a 401 invalidated its predecessor (executor thread only). */
    private boolean afterRefresh;

    private final AtomicLong connects = new AtomicLong();
    private final AtomicLong connectFailures = new AtomicLong();
    private final AtomicLong disconnects = new AtomicLong();
    private final AtomicLong tokenRefreshes = new AtomicLong();
    private final AtomicLong resumes = new AtomicLong();
    private final AtomicLong binaryRejected = new AtomicLong();
    private final AtomicLong pingsUnanswered = new AtomicLong();

    public SeedShapeSession(Settings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.shown = WebSocketTargets.shown(settings.uri(), settings.tokenInQuery());
        String name = "seed-shape-" + settings.shape().toLowerCase(java.util.Locale.ROOT) + "-" + THREADS.incrementAndGet();
        this.executor = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true); // what it holds is input not yet accepted; close() is the orderly way out
            return t;
        });
        executor.setRemoveOnCancelPolicy(true);
    }

    public String shape() {
        return settings.shape();
    }

    public void start(TimelinePipeline pipeline) {
        synchronized (lock) {
            if (closed) {
                throw new IllegalStateException("this SeedShapeStream is closed; build a new one");
            }
            if (started) {
                throw new IllegalStateException("this SeedShapeStream is already started");
            }
            this.pipeline = pipeline;
            this.decoder = NotificationDecoder.builder(pipeline::offer).rejects(pipeline::reject)
                    .maxDocumentBytes(settings.maxDocumentBytes()).build();
            started = true;
        }
        LOG.info("seed-shape stream {} starting: {}", settings.shape(), shown);
        submit(this::connect);
        long tick = settings.pingInterval().toNanos() / 2;
        if (tick > 0) {
            executor.scheduleWithFixedDelay(this::watchdog, tick, tick, TimeUnit.NANOSECONDS);
        }
    }

    public boolean isConnected() {
        synchronized (lock) {
            return current != null && !current.ended;
        }
    }

    public GenesysAuthException failure() {
        return failure;
    }

    public SeedShapeStream.Metrics metrics() {
        NotificationDecoder d;
        boolean connected;
        synchronized (lock) {
            d = decoder;
            connected = current != null && !current.ended;
        }
        Map<RejectReason, Long> byReason = new EnumMap<>(RejectReason.class);
        for (RejectReason r : RejectReason.values()) {
            byReason.put(r, d == null ? 0 : d.rejected(r));
        }
        long binary = binaryRejected.get();
        byReason.merge(RejectReason.UNKNOWN_SHAPE, binary, Long::sum);
        if (d == null) {
            return new SeedShapeStream.Metrics(false, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, byReason, 0, 0, 0);
        }
        return new SeedShapeStream.Metrics(connected, connects.get(), connectFailures.get(), disconnects.get(),
                tokenRefreshes.get(), d.messages(), d.documents(), d.bytes(), d.eventsDecoded(), d.eventsDelivered(),
                Math.max(0, d.eventsDecoded() - d.eventsDelivered()), d.rejected() + binary, byReason, d.pauses(), resumes.get(),
                pingsUnanswered.get());
    }

    // ----- connecting (session thread) -----

    private void connect() {
        if (closed || failure != null) {
            return;
        }
        AccessToken token;
        try {
            token = settings.tokens().token();
        } catch (BadCredentialsException | MissingPermissionException e) {
            fail(e);
            return;
        } catch (RuntimeException e) {
            connectFailures.incrementAndGet();
            scheduleReconnect("no access token: " + e.getMessage());
            return;
        }
        URI target = settings.tokenInQuery() ? WebSocketTargets.withTokenQuery(settings.uri(), token.value()) : settings.uri();
        Connection c = new Connection(token);
        try {
            WebSocket.Builder b = settings.http().newWebSocketBuilder().connectTimeout(settings.connectTimeout());
            if (!settings.tokenInQuery()) {
                b.header("Authorization", token.authorization());
            }
            b.buildAsync(target, c).whenComplete((ws, error) -> {
                if (error != null) {
                    submit(() -> handshakeFailed(c, error));
                }
            });
        } catch (RuntimeException e) {
            handshakeFailed(c, e);
        }
    }

    private void handshakeFailed(Connection c, Throwable error) {
        if (closed) {
            return;
        }
        connectFailures.incrementAndGet();
        Throwable cause = unwrap(error);
        int status = cause instanceof WebSocketHandshakeException h && h.getResponse() != null
                ? h.getResponse().statusCode() : -1;
        if (status == 403) {
            fail(new MissingPermissionException("the seed-shape feed at " + shown + " refused access (HTTP 403): give"
                    + " the OAuth client the permission this feed requires", 403, null, null));
            return;
        }
        if (status == 401) {
            if (!afterRefresh) {
                // The token may have been revoked or expired early: one fresh token, at once.
                afterRefresh = true;
                tokenRefreshes.incrementAndGet();
                settings.tokens().invalidate(c.token);
                LOG.info("{}: handshake refused the token (HTTP 401); retrying once with a fresh token", shown);
                submit(this::connect);
                return;
            }
            fail(new BadCredentialsException("the seed-shape feed at " + shown + " refused a freshly issued token"
                    + " (HTTP 401 twice in a row): check that the OAuth client may read this feed", 401, null, null));
            return;
        }
        afterRefresh = false; // not a 401: the next one starts a new pair
        scheduleReconnect(status > 0 ? "handshake answered HTTP " + status : describe(cause, c.token));
    }

    private void scheduleReconnect(String reason) {
        if (closed || failure != null) {
            return;
        }
        Duration delay = settings.backoff().delay(failures.getAndIncrement(), null);
        LOG.warn("{}: {}; reconnecting in {} ms", shown, reason, delay.toMillis());
        try {
            settings.listener().disconnected(reason, delay);
        } catch (RuntimeException e) {
            LOG.warn("SeedShapeStream.Listener.disconnected threw; ignored", e);
        }
        try {
            pendingConnect = executor.schedule(this::connect, delay.toNanos(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            // closed meanwhile: nothing to reconnect
        }
    }

    private void fail(GenesysAuthException e) {
        if (failure != null || closed) {
            return;
        }
        failure = e;
        LOG.error("{}: stopped for good: {}", shown, e.getMessage());
        try {
            settings.listener().failed(e);
        } catch (RuntimeException ex) {
            LOG.warn("SeedShapeStream.Listener.failed threw; ignored", ex);
        }
    }

    // ----- a socket's life (WebSocket threads) -----

    private void opened(Connection c) {
        boolean ask;
        synchronized (lock) {
            if (closed) {
                c.ws.abort();
                return;
            }
            current = c;
            ask = !paused; // held input first: the resume task asks once it is decoded
        }
        long n = connects.incrementAndGet();
        submit(() -> afterRefresh = false);
        LOG.info("{}: connected (socket {})", shown, n);
        if (settings.subscribeMessage() != null) {
            c.ws.sendText(settings.subscribeMessage(), true).whenComplete((ws, e) -> {
                if (e != null) {
                    LOG.warn("{}: could not send the subscribe message: {}", shown, describe(unwrap(e), c.token));
                    c.ws.abort();
                }
            });
        }
        try {
            settings.listener().connected((int) n);
        } catch (RuntimeException e) {
            LOG.warn("SeedShapeStream.Listener.connected threw; ignored", e);
        }
        if (ask) {
            c.ws.request(1);
        }
    }

    private void text(Connection c, CharSequence data, boolean last) {
        boolean took;
        synchronized (lock) {
            if (closed || c.ended) {
                return; // input after close is not read
            }
            try {
                took = decoder.onText(data, last);
            } catch (RuntimeException e) {
                // A decoder bug, never bad input (that is rejected): drop this socket rather than the process.
                LOG.error("{}: decoding failed; dropping the socket", shown, e);
                c.ws.abort();
                return;
            }
            if (!took) {
                paused = true;
            }
        }
        if (last && !c.delivered) {
            c.delivered = true;
            failures.set(0); // this connection works: the next drop backs off from the bottom again
        }
        if (took) {
            c.ws.request(1);
        } else {
            awaitRoom();
        }
    }

    private void ended(Connection c, String reason) {
        synchronized (lock) {
            if (c.ended) {
                return;
            }
            c.ended = true;
            if (decoder != null) {
                decoder.socketEnded(); // a document cut off here is rejected; held events stay
            }
            if (current == c) {
                current = null;
            }
        }
        if (closed) {
            return; // our own close, not a disconnect
        }
        disconnects.incrementAndGet();
        submit(() -> scheduleReconnect(reason));
    }

    // ----- backpressure -----

    private void awaitRoom() {
        TimelinePipeline p = pipeline;
        if (p.isClosed()) {
            LOG.warn("{}: the pipeline is closed; the stream stops reading", shown);
            return;
        }
        p.whenWritable(handOverResume);
    }

    /** Runs on the pipeline's consumer thread: hand the decoding work to the session thread. */
    private void handOverResume() {
        submit(this::resume);
    }

    private void resume() {
        boolean done;
        Connection c;
        synchronized (lock) {
            if (closed || !paused) {
                return;
            }
            resumes.incrementAndGet();
            done = decoder.retryPending();
            if (done) {
                paused = false;
            }
            c = current;
        }
        if (!done) {
            awaitRoom();
        } else if (c != null && !c.ended) {
            c.lastHeard = System.nanoTime(); // silence while paused was ours
            c.ws.request(1);
        }
    }

    // ----- liveness -----

    /**
     * A socket can be dead without the JDK ever saying so: when the peer closes TCP right after a
     * message, the JDK WebSocket (17 and 25) sometimes never calls onClose or onError (measured in
     * the module README). So a socket silent for a ping interval is pinged, and one that answers
     * neither the ping nor anything else within another interval is dropped and replaced. While
     * the stream is paused it reads nothing by choice, so silence then proves nothing.
     */
    private void watchdog() {
        Connection c;
        boolean isPaused;
        synchronized (lock) {
            c = current;
            isPaused = paused;
        }
        if (c == null || c.ended || c.ws == null || closed) {
            return;
        }
        long now = System.nanoTime();
        long interval = settings.pingInterval().toNanos();
        if (isPaused) {
            c.lastHeard = now;
            c.pingSentAt = 0;
            return;
        }
        if (c.pingSentAt != 0 && c.lastHeard - c.pingSentAt < 0 && now - c.pingSentAt >= interval) {
            pingsUnanswered.incrementAndGet();
            LOG.warn("{}: no answer to a ping for {} ms; dropping the socket", shown,
                    TimeUnit.NANOSECONDS.toMillis(now - c.pingSentAt));
            c.ws.abort();
            ended(c, "no answer to a ping within " + settings.pingInterval().toMillis() + " ms");
        } else if (now - c.lastHeard >= interval && (c.pingSentAt == 0 || c.lastHeard - c.pingSentAt >= 0)) {
            c.pingSentAt = now;
            c.ws.sendPing(ByteBuffer.allocate(0)).whenComplete((ws, e) -> {
                if (e != null) {
                    c.ws.abort();
                    ended(c, "socket failed: " + describe(unwrap(e), c.token));
                }
            });
        }
    }

    // ----- closing -----

    public void close() {
        Connection c;
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            c = current;
            current = null;
        }
        ScheduledFuture<?> p = pendingConnect;
        if (p != null) {
            p.cancel(false);
        }
        if (c != null && c.ws != null) {
            WebSocket ws = c.ws;
            try {
                ws.sendClose(WebSocket.NORMAL_CLOSURE, "client closing");
            } catch (RuntimeException e) {
                // already closing
            }
            // The peer's close answer may never come (we stopped requesting): drop TCP after a second.
            CompletableFuture.delayedExecutor(1, TimeUnit.SECONDS).execute(ws::abort);
        }
        drainHeld();
        executor.shutdownNow();
        if (started) {
            LOG.info("seed-shape stream {} closed: {}", settings.shape(), shown);
        }
    }

    /** Offers events held by a paused decoder until the pipeline takes them, closes, or the close timeout passes. */
    private void drainHeld() {
        TimelinePipeline p = pipeline;
        if (p == null) {
            return;
        }
        long deadline = System.nanoTime() + settings.closeTimeout().toNanos();
        while (true) {
            synchronized (lock) {
                if (!paused || decoder.retryPending()) {
                    paused = false;
                    return;
                }
                if (p.isClosed() || System.nanoTime() - deadline >= 0) {
                    LOG.warn("{}: closed with {} decoded events the pipeline did not take ({})", shown,
                            decoder.pendingEvents(), p.isClosed() ? "it is closed" : "still full after the close timeout");
                    return;
                }
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
    }

    // ----- helpers -----

    private void submit(Runnable task) {
        try {
            executor.execute(task);
        } catch (RejectedExecutionException e) {
            // closed: nothing more to do
        }
    }

    private static Throwable unwrap(Throwable t) {
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    /** A failure in words for logs and the listener, never quoting the token (a URI in a message may carry it). */
    private String describe(Throwable t, AccessToken token) {
        String m = t.getMessage();
        String text = t.getClass().getSimpleName() + (m == null ? "" : ": " + m);
        return WebSocketTargets.scrub(text, token.value());
    }

    /** One socket: its token, its WebSocket once open, and whether it ended. */
    private final class Connection implements WebSocket.Listener {
        final AccessToken token;
        volatile WebSocket ws;
        /** Guarded by lock. */
        boolean ended;
        /** WebSocket-thread only: a whole message arrived on this socket. */
        boolean delivered;
        /** Last time anything arrived (or the stream resumed reading), System.nanoTime. */
        volatile long lastHeard = System.nanoTime();
        /** When the watchdog's ping went out, or 0. */
        volatile long pingSentAt;

        Connection(AccessToken token) {
            this.token = token;
        }

        @Override
        public void onOpen(WebSocket webSocket) {
            ws = webSocket;
            opened(this);
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            lastHeard = System.nanoTime();
            text(this, data, last);
            return null; // the decoder copied the data: the JDK may reuse it now
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
            if (last) {
                // Both seed shapes are JSON text; a binary message is not one of their documents.
                binaryRejected.incrementAndGet();
                pipeline.reject(RejectReason.UNKNOWN_SHAPE, "binary WebSocket message on the " + settings.shape()
                        + " feed (the seed shapes are text)");
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onPing(WebSocket webSocket, ByteBuffer message) {
            lastHeard = System.nanoTime(); // the JDK answers the ping itself
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onPong(WebSocket webSocket, ByteBuffer message) {
            lastHeard = System.nanoTime();
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            ended(this, "socket closed by the feed (" + statusCode + ")");
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            ended(this, "socket failed: " + describe(unwrap(error), token));
        }
    }
}
