package dev.gctimeline.testkit.internal.server;

import com.sun.net.httpserver.HttpServer;
import dev.gctimeline.testkit.Delivery;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The simulator's machinery behind {@code GenesysCloudSimulator}: both servers, the registries,
 * the delivery log and the player. Everything binds to 127.0.0.1 only.
 */
public final class Engine implements AutoCloseable {
    public static final String ANALYTICS_STREAM_CHANNEL = "analytics-stream";
    public static final String STREAMING_EVENTS_CHANNEL = "streaming-events";

    static {
        // The JDK HttpServer flushes headers and body as two writes; with Nagle on, the body waits
        // for the client's delayed ACK (about 40 ms a call on Linux). Its own switch, read once when
        // the server classes load, turns Nagle off; respect a value the user already chose.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    private final SimulatorConfig config;
    private final Counters counters = new Counters();
    private final ScheduledThreadPoolExecutor timers;
    private final ExecutorService httpExecutor;
    private final TokenRegistry tokens;
    private final ChannelRegistry channels;
    private final DeliveryLog log;
    private final Player player;
    private final HttpServer http;
    private final WebSocketServer ws;
    private final AtomicLong connectionIds = new AtomicLong();
    private final AtomicInteger shapeASockets = new AtomicInteger();
    private final AtomicInteger shapeBSockets = new AtomicInteger();
    private final List<WsConnection> seedConnections = new CopyOnWriteArrayList<>();
    private final List<WsConnection> allConnections = new CopyOnWriteArrayList<>();
    /** Ended connections whose socket waits for the client to close its side (a lingering close). */
    private final Set<WsConnection> lingering = ConcurrentHashMap.newKeySet();
    private final SplittableRandom restFaultRandom;
    private volatile boolean closed;

    public Engine(SimulatorConfig config) {
        this.config = config;
        AtomicInteger n = new AtomicInteger();
        this.timers = new ScheduledThreadPoolExecutor(2, r -> daemon(r, "gc-sim-timer-" + n.incrementAndGet()));
        timers.setRemoveOnCancelPolicy(true);
        this.httpExecutor = Executors.newFixedThreadPool(4, r -> daemon(r, "gc-sim-http-" + n.incrementAndGet()));
        this.tokens = new TokenRegistry(this, config.clients(), config.seed());
        this.channels = new ChannelRegistry(this, config.seed());
        this.log = new DeliveryLog(this);
        this.restFaultRandom = new SplittableRandom(WireFaults.mix(config.faults().seed() ^ 0x72657374L));
        WebSocketServer wsServer = null;
        try {
            wsServer = new WebSocketServer(this, config.webSocketPort());
            this.http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), config.port()), 64);
        } catch (IOException e) {
            if (wsServer != null) {
                wsServer.close();
            }
            shutdownExecutors();
            throw new UncheckedIOException("cannot bind the simulator on 127.0.0.1", e);
        }
        this.ws = wsServer;
        http.createContext("/", new RestApi(this));
        http.setExecutor(httpExecutor);
        this.player = new Player(this);
        player.load(config.feed(), config.analyticsStream(), config.streamingEvents());
        http.start();
        ws.start();
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    public SimulatorConfig config() {
        return config;
    }

    public Clock clock() {
        return config.clock();
    }

    public Counters counters() {
        return counters;
    }

    ScheduledThreadPoolExecutor timers() {
        return timers;
    }

    TokenRegistry tokens() {
        return tokens;
    }

    ChannelRegistry channels() {
        return channels;
    }

    public DeliveryLog log() {
        return log;
    }

    public Player player() {
        return player;
    }

    public int port() {
        return http.getAddress().getPort();
    }

    public int webSocketPort() {
        return ws.port();
    }

    boolean isClosed() {
        return closed;
    }

    /** Decides whether this REST call is rate limited by the random fault (thread-safe). */
    boolean restFaultHit() {
        double rate = config.faults().rateLimit();
        if (rate <= 0) {
            return false;
        }
        synchronized (restFaultRandom) {
            return restFaultRandom.nextDouble() < rate;
        }
    }

    /**
     * Routes an accepted handshake: writes 101 and returns the connection, or answers the refusal
     * itself and returns null.
     */
    WsConnection openConnection(WebSocketServer.Request req, Socket s, InputStream in) throws IOException {
        String path = req.path();
        if (closed) {
            ws.reject(s, 503, "Service Unavailable", null);
            return null;
        }
        if (path.startsWith("/channels/")) {
            Channel ch = channels.live(path.substring("/channels/".length()));
            if (ch == null) {
                ws.reject(s, 404, "Not Found", null);
                return null;
            }
            int socketOrdinal = channels.nextSocketOrdinal(ch);
            WsConnection conn = new WsConnection(connectionIds.getAndIncrement(), WsConnection.Kind.CHANNEL, ch, this, s, in,
                    WireFaults.seedFor(config.faults().seed(), ch.ordinal, socketOrdinal));
            WebSocketServer.accept(s, req);
            WsConnection previous = channels.attach(ch, conn);
            if (previous == conn) {
                // the channel was removed between lookup and attach
                conn.closeGracefully(1001, "channel removed");
                return null;
            }
            counters.socketsOpened.increment();
            allConnections.add(conn);
            if (previous != null) {
                counters.socketsReplaced.increment();
                timers.execute(() -> previous.closeGracefully(1000, "another socket connected to this channel"));
            }
            conn.startHeartbeat(config.heartbeatInterval());
            return conn;
        }
        WsConnection.Kind kind;
        int ordinal;
        if (path.equals(WebSocketServer.SHAPE_A_PATH)) {
            kind = WsConnection.Kind.ANALYTICS_STREAM;
            ordinal = shapeASockets.getAndIncrement();
        } else if (path.equals(WebSocketServer.SHAPE_B_PATH)) {
            kind = WsConnection.Kind.STREAMING_EVENTS;
            ordinal = shapeBSockets.getAndIncrement();
        } else {
            ws.reject(s, 404, "Not Found", null);
            return null;
        }
        if (tokens.clientOf(seedShapeToken(req)) == null) {
            ws.reject(s, 401, "Unauthorized", null);
            return null;
        }
        long channelOrdinal = kind == WsConnection.Kind.ANALYTICS_STREAM ? -1 : -2;
        WsConnection conn = new WsConnection(connectionIds.getAndIncrement(), kind, null, this, s, in,
                WireFaults.seedFor(config.faults().seed(), channelOrdinal, ordinal));
        WebSocketServer.accept(s, req);
        counters.socketsOpened.increment();
        seedConnections.add(conn);
        allConnections.add(conn);
        return conn;
    }

    /**
     * The token a seed-shape handshake presents: an {@code Authorization: Bearer} header (what a
     * careful client sends: headers stay out of proxy and access logs), else the {@code access_token}
     * query parameter the tutorials describe. A request with an Authorization header is judged by
     * the header alone, so a bad header is never rescued by a query token.
     */
    private static String seedShapeToken(WebSocketServer.Request req) {
        String authorization = req.headers().get("authorization");
        if (authorization == null) {
            return req.query().get("access_token");
        }
        String a = authorization.trim();
        if (a.length() > 7 && a.regionMatches(true, 0, "Bearer ", 0, 7)) {
            String token = a.substring(7).trim();
            return token.isEmpty() ? null : token;
        }
        return null;
    }

    /** Tracks sockets in a lingering close; false when the simulator is closing (close at once, nobody waits). */
    boolean lingering(WsConnection conn, boolean on) {
        if (on) {
            lingering.add(conn);
            return !closed;
        } else {
            lingering.remove(conn);
            return false;
        }
    }

    void connectionClosed(WsConnection conn) {
        allConnections.remove(conn);
        if (conn.channel != null) {
            channels.detach(conn.channel, conn);
        } else {
            seedConnections.remove(conn);
        }
    }

    /** Open seed-shape sockets of a route that may receive documents now (shape B: after subscribing). */
    public List<WsConnection> seedTargets(Delivery.Route route) {
        List<WsConnection> out = new ArrayList<>(1);
        for (WsConnection c : seedConnections) {
            if (!c.isOpen()) {
                continue;
            }
            if (route == Delivery.Route.ANALYTICS_STREAM && c.kind == WsConnection.Kind.ANALYTICS_STREAM) {
                out.add(c);
            } else if (route == Delivery.Route.STREAMING_EVENTS && c.kind == WsConnection.Kind.STREAMING_EVENTS
                    && c.isSubscribed()) {
                out.add(c);
            }
        }
        return out;
    }

    /** Number of open sockets of any kind. */
    public int openSockets() {
        int n = 0;
        for (WsConnection c : allConnections) {
            if (c.isOpen()) {
                n++;
            }
        }
        return n;
    }

    // ----- controls used by the public facade -----

    public List<String> channelIds() {
        return channels.ids();
    }

    public java.util.Set<String> subscriptions(String channelId) {
        return channels.topics(channelId);
    }

    public boolean isConnected(String channelId) {
        WsConnection c = channels.socketOf(channelId);
        return c != null && c.isOpen();
    }

    public void failNextTokenRequests(int count, int status) {
        tokens.failNextTokenRequests(count, status);
    }

    public void rateLimitNextApiCalls(int count) {
        tokens.rateLimitNextApiCalls(count);
    }

    public void expireTokens() {
        tokens.invalidateAll();
        counters.tokenExpiriesInjected.increment();
    }

    /** Sends socket_closing on a channel's socket (close follows after the delay); false if none. */
    public boolean sendSocketClosing(String channelId) {
        WsConnection c = channels.socketOf(channelId);
        if (c == null || !c.isOpen()) {
            return false;
        }
        c.noticeSocketClosing();
        return true;
    }

    /** Sends no_longer_subscribed and clears the channel's subscriptions; false if the channel is unknown. */
    public boolean sendNoLongerSubscribed(String channelId) {
        if (!channels.unsubscribeAll(channelId)) {
            return false;
        }
        WsConnection c = channels.socketOf(channelId);
        if (c != null && c.sendSystem(Json.channelMessage("v2.system.no_longer_subscribed." + channelId,
                "this channel is no longer subscribed to its topics"))) {
            counters.noLongerSubscribedSent.increment();
        }
        return true;
    }

    /** Sends token_revoked and invalidates the channel owner's tokens; false if the channel is unknown. */
    public boolean sendTokenRevoked(String channelId) {
        Channel ch = channels.live(channelId);
        if (ch == null) {
            return false;
        }
        tokens.invalidateClient(ch.clientId);
        WsConnection c = channels.socketOf(channelId);
        if (c != null && c.sendSystem(Json.channelMessage("v2.system.token_revoked." + channelId,
                "the token that created this channel was revoked"))) {
            counters.tokenRevokedSent.increment();
        }
        return true;
    }

    /** Closes a channel's socket abruptly (no close frame); false if it had none. */
    public boolean dropSocket(String channelId) {
        WsConnection c = channels.socketOf(channelId);
        if (c == null || !c.isOpen()) {
            return false;
        }
        counters.socketsDropped.increment();
        c.terminate();
        return true;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        ws.close();
        http.stop(0);
        for (WsConnection c : allConnections) {
            c.terminate();
        }
        for (WsConnection c : lingering) {
            c.closeSocket(); // no more waiting for clients to close their side
        }
        shutdownExecutors();
    }

    private void shutdownExecutors() {
        timers.shutdownNow();
        httpExecutor.shutdownNow();
        try {
            timers.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
