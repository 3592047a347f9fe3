package dev.gctimeline.store.influx.internal;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.gctimeline.core.ConversationState;
import dev.gctimeline.core.StoreException;
import dev.gctimeline.core.TimelineEvent;
import dev.gctimeline.store.influx.InfluxApiVersion;
import dev.gctimeline.store.influx.PartialWrite;
import dev.gctimeline.store.influx.RejectedLine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * Encodes events into batches of line protocol and sends them, one HTTP request per batch.
 *
 * <p>What the store handles itself: a 413 splits the batch in halves until each half fits (a single
 * line still too large is reported as rejected); a partial write (v1 400, v2 422, v3 400 with
 * rejected lines) is counted, logged and reported to the listener, since retrying would change
 * nothing. What it leaves to its caller: a 429, a 5xx, a lost connection or a timeout becomes a
 * retryable {@link StoreException} carrying the server's Retry-After; the caller (core's
 * {@code StoreWriter}, or {@code InfluxBatchWriter}) retries with backoff, and because every point
 * has a deterministic identity the retry rewrites the same points. 401, 403, 404 and any other 4xx
 * become a permanent StoreException.
 *
 * <p>Thread-safe: each call borrows its own encoding buffer (line buffer, gzip buffer, Deflater)
 * from a small pool, so concurrent shards never share one and a steady stream allocates no buffer.
 */
public final class WritePath {
    private static final Logger LOG = LoggerFactory.getLogger(WritePath.class);
    private static final Pattern DROPPED = Pattern.compile("dropped=(\\d+)");
    private static final int POOL_MAX = 4;

    private final InfluxHttp http;
    private final EventCodec codec;
    private final Counters counters;
    private final int batchSize;
    private final int maxBatchBytes;
    private final Consumer<PartialWrite> listener;
    private final ConcurrentLinkedQueue<Batch> pool = new ConcurrentLinkedQueue<>();

    public WritePath(InfluxHttp http, EventCodec codec, Counters counters, int batchSize, int maxBatchBytes,
                     Consumer<PartialWrite> listener) {
        this.http = http;
        this.codec = codec;
        this.counters = counters;
        this.batchSize = batchSize;
        this.maxBatchBytes = maxBatchBytes;
        this.listener = listener;
    }

    /** Writes every representable event; see the class comment for what is thrown and what is reported. */
    public void append(List<TimelineEvent> events) {
        if (events.isEmpty()) {
            return;
        }
        Batch b = borrow();
        try {
            for (int i = 0, n = events.size(); i < n; i++) {
                TimelineEvent e = events.get(i);
                String problem = EventCodec.conversationIdProblem(e.conversationId());
                if (problem == null) {
                    int before = b.w.size();
                    try {
                        b.encoder.encode(e);
                        b.added(before, i);
                    } catch (IllegalArgumentException ex) {
                        problem = ex.getMessage();
                    }
                }
                if (problem != null) {
                    rejectBeforeSending(e, problem);
                    continue;
                }
                if (b.w.lines() >= batchSize || b.w.size() >= maxBatchBytes) {
                    send(b, events, null, 0, b.w.lines());
                    b.reset();
                }
            }
            if (b.w.lines() > 0) {
                send(b, events, null, 0, b.w.lines());
            }
        } finally {
            giveBack(b);
        }
    }

    /** Writes the summary point of a completed conversation. */
    public void summary(ConversationState state) {
        String problem = EventCodec.conversationIdProblem(state.conversationId());
        if (problem != null) {
            counters.rejectedEvents.increment();
            LOG.warn("influx store: summary of a conversation not written: {}", problem);
            return;
        }
        Batch b = borrow();
        try {
            codec.encodeSummary(state, b.w);
            b.added(0, 0);
            send(b, null, state.conversationId(), 0, 1);
            counters.summariesWritten.increment();
        } catch (IllegalArgumentException | ArithmeticException ex) {
            counters.rejectedEvents.increment();
            LOG.warn("influx store: summary of a conversation not written: {}", ex.getMessage());
        } finally {
            giveBack(b);
        }
    }

    private void rejectBeforeSending(TimelineEvent e, String problem) {
        counters.rejectedEvents.increment();
        LOG.warn("influx store: event {} rejected before sending: {}", Long.toHexString(e.eventId()), problem);
        report(new PartialWrite("rejected before sending: " + problem, 1,
                List.of(new RejectedLine(0, e.conversationId(), e.eventId(), problem))));
    }

    private void send(Batch b, List<TimelineEvent> events, String summaryOf, int from, int to) {
        int start = b.lineStart[from];
        int end = to < b.w.lines() ? b.lineStart[to] : b.w.size();
        InfluxHttp.Answer a;
        if (http.gzip()) {
            b.gzip(start, end);
            a = http.write(b.gz, 0, b.gzLen);
        } else {
            a = http.write(b.w.buffer(), start, end - start);
        }
        int lines = to - from;
        int s = a.status();
        if (s == 204 || s == 200) {
            counters.pointsWritten.add(lines);
            return;
        }
        String msg = InfluxHttp.message(a.body());
        if (s == 413) {
            if (lines > 1) {
                counters.splits.increment();
                int mid = (from + to) >>> 1;
                send(b, events, summaryOf, from, mid);
                send(b, events, summaryOf, mid, to);
            } else {
                counters.rejectedPoints.increment();
                LOG.warn("influx store: a single line of {} bytes is over the server's body limit: {}", end - start, msg);
                report(new PartialWrite("line over the server's body size limit (413): " + msg, 1,
                        List.of(line(events, summaryOf, b, from, 1, "413 request entity too large"))));
            }
            return;
        }
        if (s == 400 || s == 422) {
            PartialWrite pw = partial(a, msg, b, events, summaryOf, from, lines);
            if (pw != null) {
                long dropped = pw.dropped() >= 0 ? pw.dropped() : 0;
                counters.partialWrites.increment();
                counters.rejectedPoints.add(dropped);
                counters.pointsWritten.add(Math.max(0, lines - dropped));
                LOG.warn("influx store: partial write, {} of {} points rejected: {}", pw.dropped(), lines, pw.message());
                report(pw);
                return;
            }
        }
        String what = "InfluxDB write of " + lines + " lines answered " + s + ": " + msg;
        if (s == 429) {
            counters.throttled.increment();
            throw StoreException.retryable(what, a.retryAfter().orElse(null), null);
        }
        if (s >= 500) {
            counters.serverErrors.increment();
            throw StoreException.retryable(what, a.retryAfter().orElse(null), null);
        }
        counters.permanentFailures.increment();
        throw StoreException.permanent(what + InfluxHttp.hint(s), null);
    }

    /** The partial-write report in a 400/422 answer, or null when the answer is not a partial write. */
    private PartialWrite partial(InfluxHttp.Answer a, String msg, Batch b, List<TimelineEvent> events, String summaryOf,
                                 int from, int lines) {
        if (http.api() == InfluxApiVersion.V3) {
            List<RejectedLine> rejected = v3Rejected(a.body(), b, events, summaryOf, from, lines);
            if (rejected == null) {
                return null;
            }
            return new PartialWrite("partial write: " + rejected.size() + " of " + lines + " lines rejected"
                    + (rejected.isEmpty() ? "" : ", first: " + rejected.get(0).error()), rejected.size(), rejected);
        }
        boolean isPartial = (a.status() == 422 && http.api() == InfluxApiVersion.V2)
                || msg.toLowerCase(Locale.ROOT).contains("partial write");
        if (!isPartial) {
            return null;
        }
        Matcher m = DROPPED.matcher(msg);
        long dropped = m.find() ? Long.parseLong(m.group(1)) : -1;
        return new PartialWrite(msg, dropped, List.of());
    }

    /** v3's {"error":"partial write of line protocol occurred","data":[{original_line,line_number,error_message}]}. */
    private List<RejectedLine> v3Rejected(String body, Batch b, List<TimelineEvent> events, String summaryOf, int from, int lines) {
        try (JsonParser p = InfluxHttp.JSON.createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            boolean partial = false;
            List<RejectedLine> out = new ArrayList<>();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken t = p.nextToken();
                if ("error".equals(name) && t == JsonToken.VALUE_STRING) {
                    partial = p.getText().toLowerCase(Locale.ROOT).contains("partial write");
                } else if ("data".equals(name) && t == JsonToken.START_ARRAY) {
                    while (p.nextToken() == JsonToken.START_OBJECT) {
                        int lineNumber = -1;
                        String error = null;
                        while (p.nextToken() == JsonToken.FIELD_NAME) {
                            String f = p.currentName();
                            JsonToken v = p.nextToken();
                            if ("line_number".equals(f) && v == JsonToken.VALUE_NUMBER_INT) {
                                lineNumber = p.getIntValue();
                            } else if ("error_message".equals(f) && v == JsonToken.VALUE_STRING) {
                                error = p.getText();
                            } else {
                                p.skipChildren();
                            }
                        }
                        if (lineNumber >= 1 && lineNumber <= lines) {
                            out.add(line(events, summaryOf, b, from + lineNumber - 1, lineNumber, error));
                        } else {
                            out.add(new RejectedLine(lineNumber, null, 0, error));
                        }
                    }
                } else {
                    p.skipChildren();
                }
            }
            return partial ? out : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static RejectedLine line(List<TimelineEvent> events, String summaryOf, Batch b, int index, int lineNumber,
                                     String error) {
        if (events == null) {
            return new RejectedLine(lineNumber, summaryOf, 0, error);
        }
        TimelineEvent e = events.get(b.lineEvent[index]);
        return new RejectedLine(lineNumber, e.conversationId(), e.eventId(), error);
    }

    private void report(PartialWrite pw) {
        try {
            listener.accept(pw);
        } catch (RuntimeException e) {
            LOG.warn("influx store: listener threw {}", e.toString());
        }
    }

    private Batch borrow() {
        Batch b = pool.poll();
        if (b == null) {
            b = new Batch(codec);
        }
        b.reset();
        return b;
    }

    private void giveBack(Batch b) {
        if (pool.size() < POOL_MAX) {
            pool.offer(b);
        } else {
            b.deflater.end();
        }
    }

    /** Releases the pooled Deflaters. */
    public void close() {
        Batch b;
        while ((b = pool.poll()) != null) {
            b.deflater.end();
        }
    }

    /** One batch being built: its lines, where each starts, which event each carries, and its gzip form. */
    static final class Batch {
        final LineProtocolWriter w = new LineProtocolWriter(64 * 1024);
        final EventCodec.Encoder encoder;
        int[] lineStart = new int[1024];
        int[] lineEvent = new int[1024];
        final Deflater deflater = new Deflater(Deflater.BEST_SPEED, true);
        final CRC32 crc = new CRC32();
        byte[] gz = new byte[16 * 1024];
        int gzLen;

        Batch(EventCodec codec) {
            this.encoder = codec.encoder(w);
        }

        void reset() {
            w.reset();
        }

        /** Records the line just completed, which started at byte {@code start} and carries event {@code event}. */
        void added(int start, int event) {
            int line = w.lines() - 1;
            if (line >= lineStart.length) {
                lineStart = Arrays.copyOf(lineStart, lineStart.length * 2);
                lineEvent = Arrays.copyOf(lineEvent, lineEvent.length * 2);
            }
            lineStart[line] = start;
            lineEvent[line] = event;
        }

        /** gzip (RFC 1952) of bytes [start, end) of the line buffer into {@link #gz}. */
        void gzip(int start, int end) {
            byte[] src = w.buffer();
            int len = end - start;
            gzLen = 0;
            ensure(10);
            gz[0] = 0x1f;
            gz[1] = (byte) 0x8b;
            gz[2] = 8; // deflate
            gz[3] = 0; // no flags
            gz[4] = gz[5] = gz[6] = gz[7] = 0; // no mtime: same input, same bytes
            gz[8] = 4; // fastest
            gz[9] = (byte) 255; // OS unknown
            gzLen = 10;
            deflater.reset();
            deflater.setInput(src, start, len);
            deflater.finish();
            while (!deflater.finished()) {
                ensure(8 * 1024);
                gzLen += deflater.deflate(gz, gzLen, gz.length - gzLen);
            }
            crc.reset();
            crc.update(src, start, len);
            ensure(8);
            putIntLE((int) crc.getValue());
            putIntLE(len);
        }

        private void putIntLE(int v) {
            gz[gzLen++] = (byte) v;
            gz[gzLen++] = (byte) (v >>> 8);
            gz[gzLen++] = (byte) (v >>> 16);
            gz[gzLen++] = (byte) (v >>> 24);
        }

        private void ensure(int extra) {
            if (gzLen + extra > gz.length) {
                gz = Arrays.copyOf(gz, Math.max(gz.length * 2, gzLen + extra));
            }
        }
    }
}
