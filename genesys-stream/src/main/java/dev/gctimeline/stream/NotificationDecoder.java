package dev.gctimeline.stream;

import dev.gctimeline.core.RejectReason;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.gctimeline.core.TimelineEvent;
import dev.gctimeline.stream.internal.Counters;
import dev.gctimeline.stream.internal.DocumentHandler;
import dev.gctimeline.stream.internal.IncrementalJsonDecoder;
import dev.gctimeline.stream.internal.NotificationDecoding;
import java.io.IOException;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decodes one connection's stream of WebSocket text parts (or bytes) into {@link TimelineEvent}s,
 * per docs/event-mapping.md: Genesys Cloud notification envelopes (detail events, conversation
 * snapshots, transcription, channel and system messages), EventBridge records, and the seed shapes
 * A and B.
 *
 * <p>Feed every text part as it arrives with {@link #onText(CharSequence, boolean)}; documents may
 * be split across parts and messages at any character, and one message may hold several. Each
 * decoded event goes to the {@link DecodedEventSink}; each rejected document to the
 * {@link RejectSink} (counted and logged); channel and system messages to the
 * {@link ControlListener}. Parsing is incremental and single-pass (jackson's non-blocking parser
 * over UTF-8 re-encoded into a reused buffer), with no tree and no databind.
 *
 * <p><b>Backpressure.</b> When the sink refuses an event, decoding stops right after the current
 * document and {@code onText} returns false: the caller must stop requesting frames
 * ({@code WebSocket.request(n)}) and call {@link #retryPending()} when the sink has room, until it
 * returns true. Held events (at most one document's worth) and the rest of the held input are
 * kept; nothing is dropped. Feeding while paused is an {@link IllegalStateException}.
 *
 * <p><b>Bad input</b> never stops the stream: malformed JSON, documents over
 * {@link Builder#maxDocumentBytes(int)}, unknown shapes, missing or invalid fields are rejected
 * with a {@link RejectReason}, and decoding resynchronises on the next document (see the module
 * README for exactly what is skipped). Unknown topics and fields are skipped and counted.
 *
 * <p><b>Threads.</b> One decoder per connection, fed by one thread at a time (the JDK WebSocket
 * delivers sequentially); the counters may be read from any thread.
 *
 * <pre>{@code
 * NotificationDecoder decoder = NotificationDecoder.builder(pipeline::offer)
 *     .rejects(pipeline::reject)
 *     .control(lifecycleSignals)
 *     .build();
 * // in WebSocket.Listener.onText:
 * if (decoder.onText(data, last)) webSocket.request(1); else waitForRoomThenRetry();
 * }</pre>
 */
public final class NotificationDecoder {
    private static final Logger LOG = LoggerFactory.getLogger(NotificationDecoder.class);
    /** Rejections logged at WARN: the first few, then one in this many (all at DEBUG). */
    private static final long WARN_EVERY = 1000;

    private final DecodedEventSink sink;
    private final RejectSink userRejects;
    private final Counters counters = new Counters();
    private final NotificationDecoding decoding;
    private final IncrementalJsonDecoder json;

    private NotificationDecoder(Builder b) {
        this.sink = b.sink;
        this.userRejects = b.rejects;
        RejectSink rejects = this::reject;
        this.decoding = b.snapshotMemory != null
                ? new NotificationDecoding(rejects, b.control, counters, b.snapshotMemory.tracker())
                : new NotificationDecoding(rejects, b.control, counters, b.maxTrackedConversations,
                        b.conversationIdleTtl.toMillis(), b.endedConversationRetention.toMillis(), b.clock);
        this.json = new IncrementalJsonDecoder(new Handler(), rejects, counters, b.maxDocumentBytes);
    }

    /** A builder whose decoded events go to {@code sink}. */
    public static Builder builder(DecodedEventSink sink) {
        return new Builder(sink);
    }

    /**
     * Feeds one part of a WebSocket text message (the data is copied at once).
     *
     * @param part the part's characters
     * @param last whether it ends the message
     * @return true when everything so far was decoded and taken by the sink (request more frames);
     *         false when paused by a full sink (call {@link #retryPending()} later)
     * @throws IllegalStateException if called while paused
     */
    public boolean onText(CharSequence part, boolean last) {
        return json.feed(part, last);
    }

    /**
     * Feeds UTF-8 bytes (copied at once), for sources that are not a JDK WebSocket.
     *
     * @param last whether these bytes end a message (a resynchronisation point)
     * @return as {@link #onText(CharSequence, boolean)}
     * @throws IllegalStateException if called while paused
     */
    public boolean onBytes(byte[] bytes, int offset, int length, boolean last) {
        return json.feed(bytes, offset, length, last);
    }

    /**
     * Offers the held events to the sink again and, once they are all taken, decodes the rest of
     * the held input.
     *
     * @return true when nothing is held any more (request more frames); false when paused again
     */
    public boolean retryPending() {
        if (!drain()) {
            return false;
        }
        return json.resume();
    }

    /**
     * The socket closed or failed. A document still open is rejected as truncated
     * ({@link RejectReason#MALFORMED_JSON}); held events and held input are kept and still decoded
     * on {@link #retryPending()}. The decoder may then be fed a new stream.
     */
    public void socketEnded() {
        json.endOfStream();
    }

    /** Whether decoding is paused with events or input held. */
    public boolean isPaused() {
        return json.isPaused();
    }

    /** Events decoded but not yet taken by the sink. */
    public int pendingEvents() {
        return decoding.outboxSize();
    }

    /** Complete JSON documents seen (including rejected ones). */
    public long documents() {
        return counters.get(Counters.DOCUMENTS);
    }

    /** WebSocket messages completed ({@code last == true}). */
    public long messages() {
        return counters.get(Counters.MESSAGES);
    }

    /** UTF-8 bytes decoded. */
    public long bytes() {
        return counters.get(Counters.BYTES);
    }

    /** Events decoded (whether or not the sink has taken them yet). */
    public long eventsDecoded() {
        return counters.get(Counters.EVENTS_DECODED);
    }

    /** Events taken by the sink. */
    public long eventsDelivered() {
        return counters.get(Counters.EVENTS_DELIVERED);
    }

    /** Rejections of every reason. */
    public long rejected() {
        return counters.get(Counters.REJECTED);
    }

    /** Rejections of one reason. */
    public long rejected(RejectReason reason) {
        return counters.rejected(reason);
    }

    /** Envelopes on topics no decoder handles (skipped). */
    public long unknownTopics() {
        return counters.get(Counters.UNKNOWN_TOPICS);
    }

    /** Fields present in accepted documents that the mapping does not use (skipped). */
    public long unknownFields() {
        return counters.get(Counters.UNKNOWN_FIELDS);
    }

    /** Interim (not final) transcripts skipped. */
    public long interimSkipped() {
        return counters.get(Counters.INTERIM_SKIPPED);
    }

    /** {@code channel.metadata} heartbeats. */
    public long heartbeats() {
        return counters.get(Counters.HEARTBEATS);
    }

    /** {@code channel.metadata} pongs. */
    public long pongs() {
        return counters.get(Counters.PONGS);
    }

    /** {@code v2.system.*} messages. */
    public long systemMessages() {
        return counters.get(Counters.SYSTEM_MESSAGES);
    }

    /** Snapshot transitions older than what was already emitted (reordered snapshots), not emitted. */
    public long staleTransitions() {
        return counters.get(Counters.STALE_TRANSITIONS);
    }

    /** Conversations whose snapshot state is held (approximate when read from another thread). */
    public int trackedConversations() {
        return decoding.trackedConversations();
    }

    /** Conversations whose snapshot state was evicted (ended, idle, or over the bound). */
    public long conversationsEvicted() {
        return counters.get(Counters.CONVERSATIONS_EVICTED);
    }

    /** Times the parser was replaced after malformed input. */
    public long parserRestarts() {
        return counters.get(Counters.PARSER_RESTARTS);
    }

    /** Times the sink refused an event and decoding paused. */
    public long pauses() {
        return counters.get(Counters.PAUSES);
    }

    private boolean drain() {
        while (!decoding.outboxEmpty()) {
            TimelineEvent e = decoding.outboxPeek();
            if (!sink.accept(e)) {
                counters.increment(Counters.PAUSES);
                return false;
            }
            decoding.outboxRemove();
            counters.increment(Counters.EVENTS_DELIVERED);
        }
        return true;
    }

    private void reject(RejectReason reason, String detail) {
        counters.reject(reason);
        long n = counters.get(Counters.REJECTED);
        if (n <= 10 || n % WARN_EVERY == 0) {
            LOG.warn("rejected ({} so far): {}: {}", n, reason, detail);
        } else if (LOG.isDebugEnabled()) {
            LOG.debug("rejected: {}: {}", reason, detail);
        }
        userRejects.reject(reason, detail);
    }

    /** The decoder's view of documents: capture tokens, interpret, hand events to the sink. */
    private final class Handler implements DocumentHandler {
        @Override
        public void startDocument() {
            decoding.startDocument();
        }

        @Override
        public void token(JsonToken token, JsonParser parser) throws IOException {
            decoding.token(token, parser);
        }

        @Override
        public boolean endDocument() {
            decoding.endDocument();
            return drain();
        }

        @Override
        public void abortDocument() {
            decoding.abortDocument();
        }
    }

    /**
     * Options for a {@link NotificationDecoder}; every option has a default.
     *
     * <pre>{@code NotificationDecoder.builder(pipeline::offer).maxDocumentBytes(2 << 20).build()}</pre>
     */
    public static final class Builder {
        private final DecodedEventSink sink;
        private RejectSink rejects = (reason, detail) -> { };
        private ControlListener control = new ControlListener() {
        };
        private int maxDocumentBytes = IncrementalJsonDecoder.DEFAULT_MAX_DOCUMENT_BYTES;
        private int maxTrackedConversations = 20_000;
        private Duration conversationIdleTtl = Duration.ofHours(8);
        private Duration endedConversationRetention = Duration.ofMinutes(15);
        private InstantSource clock = InstantSource.system();
        private SnapshotMemory snapshotMemory;

        private Builder(DecodedEventSink sink) {
            this.sink = Objects.requireNonNull(sink, "sink");
        }

        /** Where rejections go (already counted and logged by the decoder). Default: nowhere. */
        public Builder rejects(RejectSink rejects) {
            this.rejects = Objects.requireNonNull(rejects, "rejects");
            return this;
        }

        /** Who hears heartbeats, close notices and discovered conversations. Default: no one. */
        public Builder control(ControlListener control) {
            this.control = Objects.requireNonNull(control, "control");
            return this;
        }

        /** The largest accepted JSON document, in UTF-8 bytes. Default 1 MiB; at least 64. */
        public Builder maxDocumentBytes(int maxDocumentBytes) {
            if (maxDocumentBytes < 64) {
                throw new IllegalArgumentException("maxDocumentBytes must be at least 64, was " + maxDocumentBytes);
            }
            this.maxDocumentBytes = maxDocumentBytes;
            return this;
        }

        /** At most this many conversations' snapshot state is held (least recently updated evicted). Default 20,000. */
        public Builder maxTrackedConversations(int maxTrackedConversations) {
            if (maxTrackedConversations < 1) {
                throw new IllegalArgumentException("maxTrackedConversations must be positive");
            }
            this.maxTrackedConversations = maxTrackedConversations;
            return this;
        }

        /** Snapshot state of a conversation without a snapshot for this long is evicted. Default 8 hours. */
        public Builder conversationIdleTtl(Duration ttl) {
            this.conversationIdleTtl = positive(ttl, "conversationIdleTtl");
            return this;
        }

        /** Snapshot state of an ended conversation is kept this long (for a late wrap-up). Default 15 minutes. */
        public Builder endedConversationRetention(Duration retention) {
            this.endedConversationRetention = positive(retention, "endedConversationRetention");
            return this;
        }

        /** The clock for the two durations above. Default: the system clock. */
        public Builder clock(InstantSource clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Keeps snapshot state in {@code memory}, shared with every decoder built with the same memory
         * (the sockets of one stream, so a reconnect continues the diff). Its own bounds then apply,
         * and the three snapshot options above are ignored. Default: a memory of this decoder's own.
         */
        public Builder snapshotMemory(SnapshotMemory memory) {
            this.snapshotMemory = Objects.requireNonNull(memory, "memory");
            return this;
        }

        public NotificationDecoder build() {
            return new NotificationDecoder(this);
        }

        private static Duration positive(Duration d, String name) {
            Objects.requireNonNull(d, name);
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(name + " must be positive");
            }
            return d;
        }
    }
}
