package dev.gctimeline.stream;

import dev.gctimeline.auth.BadCredentialsException;
import dev.gctimeline.auth.GenesysAuthException;
import dev.gctimeline.auth.GenesysEndpoints;
import dev.gctimeline.auth.MissingPermissionException;
import dev.gctimeline.auth.TokenProvider;
import dev.gctimeline.core.EventSource;
import dev.gctimeline.core.RejectReason;
import dev.gctimeline.core.TimelinePipeline;
import dev.gctimeline.stream.internal.IncrementalJsonDecoder;
import dev.gctimeline.stream.internal.Backoff;
import dev.gctimeline.stream.internal.sources.SeedShapeSession;
import dev.gctimeline.stream.internal.sources.WebSocketTargets;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * An {@link EventSource} for the two simplified stream shapes teams built feeds on (seed formats):
 * shape A, the "conversation analytics stream" (newline-delimited documents, no subscription), and
 * shape B, "streaming events" (batches, after a subscribe message the stream sends as soon as the
 * socket opens). Neither path exists in Genesys Cloud itself: this is for feeds and fixtures that
 * speak these shapes. Real Genesys notifications are {@code GenesysEventStream}'s.
 *
 * <p><b>Authentication.</b> Every connection takes a token from the {@link TokenProvider} and sends
 * it as an {@code Authorization: Bearer} handshake header; it never goes in the URL. Feeds that
 * accept nothing but the tutorials' {@code ?access_token=} query can be reached with the explicit
 * opt-in {@link Builder#tokenInQuery(boolean)}; the URL is then only ever shown as
 * {@code ...?access_token=***}. A handshake refused with 401 invalidates the token and retries at
 * once with a fresh one; a second 401 in a row ({@link BadCredentialsException}), a 403
 * ({@link MissingPermissionException}), or a token provider that reports bad credentials or missing
 * permissions stops the stream for good: {@link Listener#failed} hears it, {@link #failure()} keeps
 * it, and nothing loops.
 *
 * <p><b>Flow control.</b> Each socket's text goes through one {@link NotificationDecoder} into the
 * pipeline ({@code pipeline::offer}, rejections to {@code pipeline::reject}). The stream asks the
 * socket for one message part at a time ({@code WebSocket.request(1)}) and only while the decoder
 * took everything; when the pipeline is full it asks for nothing until
 * {@link TimelinePipeline#whenWritable} fires, finishes the held document on its own thread, and
 * only then asks again. TCP carries the pause back to the sender, so memory stays flat whatever the
 * feed sends.
 *
 * <p><b>Reconnects.</b> After a drop, a refused handshake or a failed token request, the stream
 * reconnects with exponential backoff and full jitter ({@link Builder#reconnectBackoff}); the
 * backoff starts again from the bottom once a connection delivers a message. A document cut off by
 * a drop is rejected ({@link RejectReason#MALFORMED_JSON}); events decoded before the drop are kept
 * and delivered. A socket silent for {@link Builder#pingInterval} is pinged, and replaced when
 * nothing answers (the JDK does not always report a peer's close). These feeds replay nothing: what
 * was sent while no socket was open is lost to the stream.
 *
 * <pre>{@code
 * try (SeedShapeStream stream = SeedShapeStream.builder(SeedShapeStream.Shape.STREAMING_EVENTS, tokens)
 *         .uri(URI.create("wss://feed.example.com/api/v2/streaming/events")).build()) {
 *     stream.start(pipeline);
 *     ...
 * }
 * }</pre>
 */
public final class SeedShapeStream implements EventSource {

    /**
     * The two seed shapes and the paths their feeds are described at.
     *
     * <pre>{@code URI uri = URI.create("wss://feed.example.com" + SeedShapeStream.Shape.STREAMING_EVENTS.path());}</pre>
     */
    public enum Shape {
        /** Shape A, "conversation analytics stream": one document per event, no subscription. */
        ANALYTICS_STREAM("/api/v2/analytics/conversations/details/stream"),
        /** Shape B, "streaming events": batches of events, after a subscribe message. */
        STREAMING_EVENTS("/api/v2/streaming/events");

        private final String path;

        Shape(String path) {
            this.path = path;
        }

        /** The path the seed formats describe, e.g. {@code /api/v2/streaming/events}. */
        public String path() {
            return path;
        }
    }

    /**
     * Hears a {@link SeedShapeStream}'s connection lifecycle. Every method has a no-op default.
     * Called on the stream's own threads or the WebSocket's: return quickly, do not block, do not
     * throw (an exception is logged and ignored). Reasons and failures never contain the token.
     *
     * <pre>{@code .listener(new SeedShapeStream.Listener() { public void failed(GenesysAuthException e) { alert(e); } })}</pre>
     */
    public interface Listener {

        /** A socket opened ({@code connection} counts from 1 over the stream's life). */
        default void connected(int connection) {
        }

        /** A socket closed, dropped or could not be opened; the stream tries again after {@code reconnectIn}. */
        default void disconnected(String reason, Duration reconnectIn) {
        }

        /**
         * The stream stopped for good: the feed refused the token twice in a row (401 after a
         * refresh, {@link BadCredentialsException}), refused access (403,
         * {@link MissingPermissionException}), or the token provider reported either. Retrying
         * will not help until the configuration changes. Called once.
         */
        default void failed(GenesysAuthException failure) {
        }
    }

    /**
     * A snapshot of a {@link SeedShapeStream}'s counters (cumulative, except {@code connected} and
     * {@code eventsPending}). Plain values for any metrics system.
     *
     * <pre>{@code SeedShapeStream.Metrics m = stream.metrics(); gauge("seed.rejected", m.rejected());}</pre>
     *
     * @param connected         a socket is open now
     * @param connects          sockets opened
     * @param connectFailures   connection attempts that failed (token request, TCP, handshake)
     * @param disconnects       open sockets that closed or dropped while the stream ran (not by {@link #close()})
     * @param tokenRefreshes    tokens invalidated after a 401 handshake
     * @param messages          WebSocket text messages received
     * @param documents         JSON documents decoded (rejected ones included)
     * @param bytes             UTF-8 bytes decoded
     * @param eventsDecoded     timeline events decoded
     * @param eventsDelivered   timeline events the pipeline accepted
     * @param eventsPending     events decoded but not yet accepted (held while the pipeline is full)
     * @param rejected          rejected documents (or batch elements), all reasons
     * @param rejectedByReason  rejections per reason, every reason present
     * @param pauses            times the pipeline was full and the stream stopped asking for input
     * @param resumes           times the held input was retried after the pipeline had room
     * @param pingsUnanswered   sockets dropped because they answered neither a ping nor anything else
     */
    public record Metrics(boolean connected, long connects, long connectFailures, long disconnects, long tokenRefreshes,
                          long messages, long documents, long bytes, long eventsDecoded, long eventsDelivered,
                          long eventsPending, long rejected, Map<RejectReason, Long> rejectedByReason, long pauses,
                          long resumes, long pingsUnanswered) {
        public Metrics {
            rejectedByReason = Map.copyOf(rejectedByReason);
        }

        /** Rejections of one reason. */
        public long rejected(RejectReason reason) {
            return rejectedByReason.getOrDefault(reason, 0L);
        }
    }

    private final SeedShapeSession session;
    private final String shown;

    private SeedShapeStream(Builder b, URI uri) {
        String subscribe = b.shape == Shape.STREAMING_EVENTS ? ShapeBSubscription.subscribeMessage(b.subscribeEvents) : null;
        HttpClient http = b.httpClient != null ? b.httpClient
                : HttpClient.newBuilder().connectTimeout(b.connectTimeout).build();
        this.shown = WebSocketTargets.shown(uri, b.tokenInQuery);
        this.session = new SeedShapeSession(new SeedShapeSession.Settings(b.shape.name(), uri, b.tokenInQuery, b.tokens,
                http, b.connectTimeout, Backoff.fullJitter(b.backoffInitial, b.backoffMax), subscribe, b.maxDocumentBytes,
                b.closeTimeout, b.pingInterval, b.listener));
    }

    /** A builder for a stream of {@code shape}, authenticated by {@code tokens}. */
    public static Builder builder(Shape shape, TokenProvider tokens) {
        return new Builder(shape, tokens);
    }

    /**
     * Connects (on the stream's own thread) and starts feeding {@code pipeline}; returns at once.
     *
     * @throws IllegalStateException if already started or closed
     */
    @Override
    public SeedShapeStream start(TimelinePipeline pipeline) {
        session.start(Objects.requireNonNull(pipeline, "pipeline"));
        return this;
    }

    /** The counters now. */
    public Metrics metrics() {
        return session.metrics();
    }

    /** Whether a socket is open now. */
    public boolean isConnected() {
        return session.isConnected();
    }

    /** Why the stream stopped for good, if it did (see {@link Listener#failed}). */
    public Optional<GenesysAuthException> failure() {
        return Optional.ofNullable(session.failure());
    }

    /**
     * Stops reading: no reconnect, the socket is closed (close frame, then dropped after a second).
     * Events the decoder holds because the pipeline was full are still offered for up to
     * {@link Builder#closeTimeout} (counted and logged if the pipeline never takes them). Does not
     * close the pipeline. Idempotent.
     */
    @Override
    public void close() {
        session.close();
    }

    /** Shape and URI (the token query, if any, as {@code ***}). */
    @Override
    public String toString() {
        return "SeedShapeStream[" + session.shape() + ", " + shown + "]";
    }

    /**
     * Options of a {@link SeedShapeStream}. Required: the shape and token provider (given to
     * {@link SeedShapeStream#builder}) and where to connect ({@link #uri} or {@link #endpoints}).
     *
     * <pre>{@code
     * SeedShapeStream s = SeedShapeStream.builder(Shape.ANALYTICS_STREAM, tokens).endpoints(GenesysEndpoints.of(region))
     *     .reconnectBackoff(Duration.ofSeconds(1), Duration.ofMinutes(1)).listener(l).build();
     * }</pre>
     */
    public static final class Builder {
        private final Shape shape;
        private final TokenProvider tokens;
        private URI uri;
        private GenesysEndpoints endpoints;
        private boolean tokenInQuery;
        private HttpClient httpClient;
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Duration backoffInitial = Duration.ofSeconds(1);
        private Duration backoffMax = Duration.ofSeconds(60);
        private Duration closeTimeout = Duration.ofSeconds(5);
        private Duration pingInterval = Duration.ofSeconds(30);
        private Collection<String> subscribeEvents = ShapeBSubscription.DEFAULT_EVENTS;
        private int maxDocumentBytes = IncrementalJsonDecoder.DEFAULT_MAX_DOCUMENT_BYTES;
        private Listener listener = new Listener() {
        };

        private Builder(Shape shape, TokenProvider tokens) {
            this.shape = Objects.requireNonNull(shape, "shape");
            this.tokens = Objects.requireNonNull(tokens, "tokens");
        }

        /**
         * The feed's full WebSocket URI ({@code wss://}, or {@code ws://} on a loopback address), with
         * no query: for feeds at another host or path than the API host's {@link Shape#path()}.
         */
        public Builder uri(URI uri) {
            this.uri = WebSocketTargets.check(uri);
            this.endpoints = null;
            return this;
        }

        /** Connects to the API host of {@code endpoints} at the shape's path ({@code https} becomes {@code wss}). */
        public Builder endpoints(GenesysEndpoints endpoints) {
            this.endpoints = Objects.requireNonNull(endpoints, "endpoints");
            this.uri = null;
            return this;
        }

        /**
         * Legacy opt-in: send the token as the {@code access_token} query parameter instead of the
         * {@code Authorization} header, for feeds that accept nothing else. Proxies and access logs
         * keep URLs, so avoid it; this library only ever shows that URL with the token as
         * {@code ***}. Default false.
         */
        public Builder tokenInQuery(boolean tokenInQuery) {
            this.tokenInQuery = tokenInQuery;
            return this;
        }

        /** The JDK client the sockets are built with. Default: a new one with {@link #connectTimeout}. */
        public Builder httpClient(HttpClient httpClient) {
            this.httpClient = Objects.requireNonNull(httpClient, "httpClient");
            return this;
        }

        /** How long an opening handshake may take. Default 10 s. */
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = positive(timeout, "connectTimeout");
            return this;
        }

        /**
         * Reconnect delays: retry {@code n} waits a uniformly random time in
         * {@code [0, min(max, initial * 2^n)]} (full jitter). Defaults 1 s and 60 s.
         */
        public Builder reconnectBackoff(Duration initial, Duration max) {
            positive(initial, "initial backoff");
            if (Objects.requireNonNull(max, "max").compareTo(initial) < 0) {
                throw new IllegalArgumentException("max backoff " + max + " is below the initial " + initial);
            }
            this.backoffInitial = initial;
            this.backoffMax = max;
            return this;
        }

        /** How long {@link SeedShapeStream#close()} keeps offering held events to a full pipeline. Default 5 s. */
        public Builder closeTimeout(Duration timeout) {
            Objects.requireNonNull(timeout, "closeTimeout");
            if (timeout.isNegative()) {
                throw new IllegalArgumentException("closeTimeout must not be negative, was " + timeout);
            }
            this.closeTimeout = timeout;
            return this;
        }

        /**
         * Liveness: a socket silent this long (while the stream is reading) is sent a WebSocket
         * ping, and dropped and replaced when nothing at all arrives within as long again. Needed
         * because the seed shapes have no heartbeat and the JDK WebSocket does not always report a
         * peer's close. Default 30 s; {@link Duration#ZERO} switches it off.
         */
        public Builder pingInterval(Duration interval) {
            Objects.requireNonNull(interval, "pingInterval");
            if (interval.isNegative() || (!interval.isZero() && interval.toMillis() < 2)) {
                throw new IllegalArgumentException("pingInterval must be zero (off) or at least 2 ms, was " + interval);
            }
            this.pingInterval = interval;
            return this;
        }

        /** Shape B only: the event types to subscribe to. Default: the five the format defines. */
        public Builder subscribeEvents(Collection<String> events) {
            ShapeBSubscription.subscribeMessage(events); // validates now, not at the first connect
            this.subscribeEvents = List.copyOf(events);
            return this;
        }

        /** The largest accepted JSON document, in UTF-8 bytes (see {@link NotificationDecoder.Builder#maxDocumentBytes}). Default 1 MiB. */
        public Builder maxDocumentBytes(int maxDocumentBytes) {
            if (maxDocumentBytes < 64) {
                throw new IllegalArgumentException("maxDocumentBytes must be at least 64, was " + maxDocumentBytes);
            }
            this.maxDocumentBytes = maxDocumentBytes;
            return this;
        }

        /** Who hears connects, drops and the terminal failure. */
        public Builder listener(Listener listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /**
         * The stream, not yet connected.
         *
         * @throws IllegalStateException without {@link #uri} or {@link #endpoints}
         */
        public SeedShapeStream build() {
            URI target = uri;
            if (target == null && endpoints != null) {
                URI api = endpoints.api();
                String scheme = api.getScheme().equalsIgnoreCase("https") ? "wss" : "ws";
                target = WebSocketTargets.check(URI.create(scheme + "://" + api.getRawAuthority() + api.getRawPath()
                        + shape.path()));
            }
            if (target == null) {
                throw new IllegalStateException("SeedShapeStream needs where to connect: uri(...) or endpoints(...)");
            }
            return new SeedShapeStream(this, target);
        }

        @Override
        public String toString() {
            return "SeedShapeStream.Builder[" + shape + ", " + (uri != null ? WebSocketTargets.shown(uri, tokenInQuery)
                    : endpoints) + "]";
        }

        private static Duration positive(Duration d, String name) {
            Objects.requireNonNull(d, name);
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(name + " must be positive, was " + d);
            }
            return d;
        }
    }
}
