package dev.gctimeline.stream.internal;

import com.fasterxml.jackson.core.ErrorReportConfiguration;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.async.ByteArrayFeeder;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import dev.gctimeline.core.RejectReason;
import dev.gctimeline.stream.RejectSink;
import java.io.IOException;
import java.util.Objects;

/**
 * Splits a stream of bytes (or WebSocket text parts) into JSON documents in one pass, driving one
 * jackson non-blocking parser, and pushes each document's tokens into a {@link DocumentHandler}.
 *
 * <p>Input arrives in pieces of any size: a document may be split across frames and messages at
 * any byte (inside a multi-byte character too), and one piece may hold several documents with
 * whitespace between them. Bytes are parsed once, as they arrive; nothing accumulated is ever
 * re-parsed, and no tree is built.
 *
 * <p><b>Bounds.</b> A document (from its first to its last byte) may be at most
 * {@code maxDocumentBytes} long. A longer one is rejected ({@link RejectReason#OVERSIZE}) as soon as
 * it is known to be over (at the latest one 16 KiB slice past the bound), its tokens stop reaching
 * the handler, and the parser skips the rest of it by counting depth, so the next document is
 * decoded normally. jackson's {@code maxDocumentLength} and {@code maxTokenCount} are cumulative over
 * a parser's whole life (they never reset between root values), so they are switched off here and
 * the per-document bound is enforced by this class instead; the parser is also replaced at the
 * first document boundary after {@code recycleBytes}, so nothing a parser accumulates (offsets,
 * symbol table) grows with the connection's age.
 *
 * <p><b>Resynchronisation.</b> After malformed JSON (or a jackson constraint: string, number,
 * name or nesting over its bound) the document is rejected and the parser is discarded; decoding
 * restarts at the next plausible document start, searched from the offending byte on:
 * <ul>
 *   <li>error inside a document: the next {@code '{'} that is the first non-whitespace byte of a
 *       WebSocket message or directly follows a line feed. For Genesys envelope streams (one
 *       compact envelope per message, no raw line feeds inside JSON) that skips exactly the rest
 *       of the current message; for newline-delimited streams (seed shape A) it skips to the next
 *       line that begins a document.</li>
 *   <li>error between documents (depth 0, stray bytes): the next {@code '{'} anywhere; but after a
 *       scalar root value (never a valid document here; typically a document that lost its
 *       opening brace) as inside a document.</li>
 * </ul>
 * Known cost: a truncated document whose next message begins inside a nested object, or a
 * document cut at a value position followed by a good one, can cost one more rejection (the
 * fragment or the swallowed document), never a silent event.
 *
 * <p><b>Backpressure.</b> {@link DocumentHandler#endDocument()} may return false: decoding stops
 * right after that document, the rest of the input stays held, and {@link #resume()} continues.
 * While paused, no new input may be fed.
 *
 * <p>Not thread-safe: one instance per connection, fed by one thread at a time.
 *
 * <pre>{@code
 * IncrementalJsonDecoder d = new IncrementalJsonDecoder(handler, rejects, counters, 1 << 20);
 * boolean more = d.feed(textPart, last);   // false: paused, call d.resume() later
 * }</pre>
 */
public final class IncrementalJsonDecoder {
    /** Default per-document bound: 1 MiB. */
    public static final int DEFAULT_MAX_DOCUMENT_BYTES = 1 << 20;
    /** Default parser lifetime: replaced at the first document boundary after 64 MiB. */
    public static final long DEFAULT_RECYCLE_BYTES = 64L << 20;
    /** At most this much is fed to the parser at once, so size checks run at least this often. */
    static final int SLICE_BYTES = 16 * 1024;
    /** Genesys payloads nest about six deep; a few hundred levels is already hostile. */
    static final int MAX_NESTING_DEPTH = 256;

    private static final int SCAN_NONE = 0;
    private static final int SCAN_LINE = 1;
    private static final int SCAN_ANY = 2;

    private final JsonFactory factory;
    private final DocumentHandler handler;
    private final RejectSink rejects;
    private final Counters counters;
    private final int maxDocumentBytes;
    private final long recycleBytes;
    private final Utf8Reencoder reencoder = new Utf8Reencoder(4096);
    private byte[] copy = new byte[4096];

    private JsonParser parser;
    private ByteArrayFeeder feeder;
    /** Stream offset of the first byte this parser was fed: parser offsets + origin = stream offsets. */
    private long parserOrigin;
    private long parserFed;

    /** The current input; held until the parser has consumed all of it. */
    private byte[] in;
    private int inStart;
    private int inEnd;
    private int pos;
    private int sliceStart;
    /** Stream offset of {@code in[inStart]}. */
    private long streamBase;
    private boolean inputEndsMessage;
    /** The last byte of the previous input, or -1. */
    private int lastByte = -1;
    /** Stream offset of the first non-whitespace byte of the current message, -1 while none. */
    private long messageFirstNonWs = -1;

    /**
     * The last non-whitespace byte of what this parser was fed before the current slice, and of
     * the current slice, or -1: see {@link #endsAfterSeparator}.
     */
    private int beforeSliceNonWs = -1;
    private int sliceNonWs = -1;

    private int depth;
    private boolean inDocument;
    /** The last root value was a scalar: never a valid shape, a sign of being inside a broken document. */
    private boolean afterScalarRoot;
    private boolean skipping;
    private long documentStart;
    private int scan = SCAN_NONE;
    private boolean paused;
    private boolean endPending;

    /**
     * @param handler          receives every document's tokens
     * @param rejects          told about each rejected document
     * @param counters         DOCUMENTS, MESSAGES, BYTES, PARSER_RESTARTS and PARSER_RECYCLES are counted here
     * @param maxDocumentBytes the per-document bound, at least 64
     */
    public IncrementalJsonDecoder(DocumentHandler handler, RejectSink rejects, Counters counters,
                                  int maxDocumentBytes) {
        this(handler, rejects, counters, maxDocumentBytes, DEFAULT_RECYCLE_BYTES);
    }

    IncrementalJsonDecoder(DocumentHandler handler, RejectSink rejects, Counters counters,
                           int maxDocumentBytes, long recycleBytes) {
        this.handler = Objects.requireNonNull(handler, "handler");
        this.rejects = Objects.requireNonNull(rejects, "rejects");
        this.counters = Objects.requireNonNull(counters, "counters");
        if (maxDocumentBytes < 64) {
            throw new IllegalArgumentException("maxDocumentBytes must be at least 64, was " + maxDocumentBytes);
        }
        if (recycleBytes < 1) {
            throw new IllegalArgumentException("recycleBytes must be positive");
        }
        this.maxDocumentBytes = maxDocumentBytes;
        this.recycleBytes = recycleBytes;
        this.factory = factory(maxDocumentBytes);
    }

    static JsonFactory factory(int maxDocumentBytes) {
        return JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        // Cumulative over the parser's life, never reset per root value: enforced
                        // per document by this class instead (set explicitly: a process-wide
                        // default override must not switch them back on).
                        .maxDocumentLength(-1)
                        .maxTokenCount(-1)
                        // Per token, so safe on a long-lived parser; none can exceed a document.
                        .maxStringLength(maxDocumentBytes)
                        .maxNameLength(Math.min(maxDocumentBytes, StreamReadConstraints.DEFAULT_MAX_NAME_LEN))
                        .maxNestingDepth(MAX_NESTING_DEPTH)
                        .build())
                // Error messages go into logs: keep payload text out of them.
                .errorReportConfiguration(ErrorReportConfiguration.builder()
                        .maxErrorTokenLength(16).maxRawContentLength(0).build())
                // Field names include user-chosen attribute keys: canonicalise, but do not intern.
                .disable(JsonFactory.Feature.INTERN_FIELD_NAMES)
                .build();
    }

    /**
     * Feeds bytes (copied: the caller may reuse {@code b} at once).
     *
     * @param endOfMessage whether these bytes end a WebSocket message (a resynchronisation point)
     * @return true when all input was consumed; false when paused by the handler (call {@link #resume()})
     */
    public boolean feed(byte[] b, int off, int len, boolean endOfMessage) {
        Objects.checkFromIndexSize(off, len, b.length);
        requireNotPaused();
        if (copy.length < len) {
            copy = new byte[Math.max(len, copy.length * 2)];
        }
        System.arraycopy(b, off, copy, 0, len);
        return start(copy, len, endOfMessage);
    }

    /**
     * Feeds one part of a WebSocket text message, re-encoded to UTF-8 without allocation.
     *
     * @param last whether the part ends the message
     * @return true when all input was consumed; false when paused by the handler (call {@link #resume()})
     */
    public boolean feed(CharSequence part, boolean last) {
        requireNotPaused();
        int n = reencoder.encode(part, last);
        return start(reencoder.buffer(), n, last);
    }

    /** Continues after the handler paused; true once all held input is consumed. */
    public boolean resume() {
        if (!paused) {
            return true;
        }
        paused = false;
        return run();
    }

    /** Whether decoding is paused by the handler, with input held. */
    public boolean isPaused() {
        return paused;
    }

    /**
     * The stream ended (socket closed or failed). A document still open is rejected as truncated,
     * and the decoder starts afresh for a new stream. If paused, held input is decoded first (on
     * {@link #resume()}), then the stream ends.
     */
    public void endOfStream() {
        if (paused) {
            endPending = true;
            return;
        }
        finishStream();
    }

    private void requireNotPaused() {
        if (paused) {
            throw new IllegalStateException("decoder is paused with input held: resume() until it returns true "
                    + "before feeding more");
        }
    }

    private boolean start(byte[] buf, int n, boolean endsMessage) {
        in = buf;
        inStart = 0;
        inEnd = n;
        pos = 0;
        sliceStart = 0;
        inputEndsMessage = endsMessage;
        counters.add(Counters.BYTES, n);
        if (messageFirstNonWs < 0) {
            for (int i = 0; i < n; i++) {
                if (!isWhitespace(buf[i])) {
                    messageFirstNonWs = streamBase + i;
                    break;
                }
            }
        }
        return run();
    }

    private boolean run() {
        while (true) {
            if (scan != SCAN_NONE) {
                int at = findResyncPoint();
                if (at < 0) {
                    return inputDone();
                }
                pos = at;
                scan = SCAN_NONE;
            }
            if (parser == null) {
                openParser();
            }
            if (feeder.needMoreInput()) {
                if (pos >= inEnd) {
                    return inputDone();
                }
                int end = pos + Math.min(SLICE_BYTES, inEnd - pos);
                try {
                    feeder.feedInput(in, pos, end);
                } catch (IOException e) {
                    throw new IllegalStateException("parser refused input it had asked for", e);
                }
                if (sliceNonWs >= 0) {
                    beforeSliceNonWs = sliceNonWs;
                }
                sliceNonWs = lastNonWhitespace(in, pos, end);
                sliceStart = pos;
                parserFed += end - pos;
                pos = end;
            }
            JsonToken t;
            try {
                t = parser.nextToken();
            } catch (StreamConstraintsException e) {
                failed(RejectReason.OVERSIZE, e);
                continue;
            } catch (IOException e) {
                failed(RejectReason.MALFORMED_JSON, e);
                continue;
            }
            if (t == JsonToken.NOT_AVAILABLE) {
                if (!feeder.needMoreInput()) {
                    throw new IllegalStateException("parser returned NOT_AVAILABLE with input left");
                }
                checkOpenDocument();
                continue;
            }
            if (t == null) {
                // Only after endOfInput(), which is never called: treat as a fresh start.
                closeParser();
                continue;
            }
            if (t == JsonToken.END_OBJECT && endsAfterSeparator()) {
                failed(RejectReason.MALFORMED_JSON, new JsonParseException(parser,
                        "Unexpected character ('}'): expected a value or a field name after ':' or ','"));
                continue;
            }
            if (!token(t)) {
                paused = true;
                return false;
            }
        }
    }

    /**
     * Works around a jackson-core non-blocking parser bug (2.22.4): when a feed boundary falls
     * between a {@code ':'} or {@code ','} and the closing {@code '}'} of an object, it returns
     * END_OBJECT instead of failing, so {@code {"a":} } or {@code {"a":1,} } cut there would pass as
     * well-formed. Only that case needs a look: elsewhere the parser sees the separator and the
     * brace together and fails as it should. In valid JSON the non-whitespace byte before a
     * structural {@code '}'} is never {@code ':'} or {@code ','} (inside a string it cannot be
     * followed by the brace), so the check has no false positives.
     */
    private boolean endsAfterSeparator() {
        // END_OBJECT comes back as soon as the brace is consumed: it is the byte before the position.
        long brace = parserOrigin + parser.currentLocation().getByteOffset() - 1;
        int at = inStart + (int) (brace - streamBase);
        if (at < sliceStart || at >= inEnd) {
            return false;
        }
        for (int i = sliceStart; i < at; i++) {
            if (!isWhitespace(in[i])) {
                return false; // the brace is not the slice's first byte that counts
            }
        }
        return beforeSliceNonWs == ':' || beforeSliceNonWs == ',';
    }

    private static int lastNonWhitespace(byte[] b, int from, int to) {
        for (int i = to - 1; i >= from; i--) {
            if (!isWhitespace(b[i])) {
                return b[i];
            }
        }
        return -1;
    }

    /** @return false to pause */
    private boolean token(JsonToken t) {
        if (depth == 0) {
            // The parser returns a root '{' or '[' as soon as it has consumed that byte, so the
            // document began one byte before the current position. (Not currentTokenLocation():
            // the non-blocking parser reports token starts one byte late.)
            documentStart = parserOrigin + parser.currentLocation().getByteOffset()
                    - (t.isStructStart() ? 1 : 0);
            inDocument = true;
            skipping = false;
            afterScalarRoot = !t.isStructStart();
            handler.startDocument();
        }
        if (t.isStructStart()) {
            depth++;
        } else if (t.isStructEnd()) {
            depth--;
        }
        if (!skipping) {
            try {
                handler.token(t, parser);
            } catch (StreamConstraintsException e) {
                failed(RejectReason.OVERSIZE, e);
                return true;
            } catch (IOException e) {
                failed(RejectReason.MALFORMED_JSON, e);
                return true;
            }
        }
        if (depth > 0) {
            return true;
        }
        inDocument = false;
        counters.increment(Counters.DOCUMENTS);
        long end = parserOrigin + parser.currentLocation().getByteOffset();
        boolean go = true;
        if (skipping) {
            skipping = false;
        } else if (end - documentStart > maxDocumentBytes) {
            rejects.reject(RejectReason.OVERSIZE, "document of " + (end - documentStart) + " bytes over the "
                    + maxDocumentBytes + "-byte bound at stream byte " + documentStart);
            handler.abortDocument();
        } else {
            go = handler.endDocument();
        }
        if (parserFed >= recycleBytes) {
            // Resume from the byte after this document with a fresh parser.
            pos = inStart + (int) (end - streamBase);
            closeParser();
            counters.increment(Counters.PARSER_RECYCLES);
        }
        return go;
    }

    private void checkOpenDocument() {
        if (inDocument && !skipping && parserOrigin + parserFed - documentStart > maxDocumentBytes) {
            rejects.reject(RejectReason.OVERSIZE, "document over the " + maxDocumentBytes
                    + "-byte bound (still open) at stream byte " + documentStart + "; skipping to its end");
            handler.abortDocument();
            skipping = true;
        }
    }

    private void failed(RejectReason reason, IOException e) {
        long at = parserOrigin + parser.currentLocation().getByteOffset();
        boolean inside = inDocument;
        // Stray bytes after a scalar root (`"topicName":...` when a '{' was lost) are the inside of
        // a broken document too: a nested '{' there is not a document start.
        boolean insideBroken = inside || afterScalarRoot;
        afterScalarRoot = false;
        if (!(inside && skipping)) {
            rejects.reject(reason, describe(reason, e, at));
        }
        if (inside && !skipping) {
            handler.abortDocument();
        }
        depth = 0;
        inDocument = false;
        skipping = false;
        closeParser();
        counters.increment(Counters.PARSER_RESTARTS);
        // The parser has consumed the offending byte (sometimes a whole bad token and the byte
        // after it): search from the last consumed byte, so a '{' that caused the error (the start
        // of the next document after a truncated one) is found.
        long from = Math.max(at - 1, streamBase + (sliceStart - inStart));
        pos = Math.min(inEnd, inStart + (int) (from - streamBase));
        scan = insideBroken ? SCAN_LINE : SCAN_ANY;
    }

    private static String describe(RejectReason reason, IOException e, long at) {
        String m = e instanceof JsonProcessingException
                ? ((JsonProcessingException) e).getOriginalMessage() : e.getMessage();
        if (m == null) {
            m = e.getClass().getSimpleName();
        }
        int nl = m.indexOf('\n');
        if (nl >= 0) {
            m = m.substring(0, nl);
        }
        if (m.length() > 160) {
            m = m.substring(0, 160) + "...";
        }
        return (reason == RejectReason.OVERSIZE ? "over a parser bound" : "malformed JSON") + " near stream byte "
                + at + ": " + m;
    }

    private int findResyncPoint() {
        byte[] b = in;
        for (int p = pos; p < inEnd; p++) {
            if (b[p] != '{') {
                continue;
            }
            if (scan == SCAN_ANY || streamBase + (p - inStart) == messageFirstNonWs) {
                return p;
            }
            int prev = p > inStart ? b[p - 1] : lastByte;
            if (prev == '\n') {
                return p;
            }
        }
        return -1;
    }

    private boolean inputDone() {
        if (inEnd > inStart) {
            lastByte = in[inEnd - 1];
        }
        streamBase += inEnd - inStart;
        in = null;
        inStart = inEnd = pos = sliceStart = 0;
        if (inputEndsMessage) {
            inputEndsMessage = false;
            messageFirstNonWs = -1;
            counters.increment(Counters.MESSAGES);
        }
        if (endPending) {
            endPending = false;
            finishStream();
        }
        return true;
    }

    private void finishStream() {
        if (inDocument && !skipping) {
            rejects.reject(RejectReason.MALFORMED_JSON, "stream ended inside a document that began at stream byte "
                    + documentStart);
            handler.abortDocument();
        }
        depth = 0;
        inDocument = false;
        skipping = false;
        afterScalarRoot = false;
        scan = SCAN_NONE;
        closeParser();
        reencoder.reset();
        messageFirstNonWs = -1;
        lastByte = -1;
        inputEndsMessage = false;
    }

    private void openParser() {
        try {
            parser = factory.createNonBlockingByteArrayParser();
        } catch (IOException e) {
            throw new IllegalStateException("jackson could not create a non-blocking parser", e);
        }
        feeder = (ByteArrayFeeder) parser.getNonBlockingInputFeeder();
        parserOrigin = streamBase + (pos - inStart);
        parserFed = 0;
        beforeSliceNonWs = -1;
        sliceNonWs = -1;
    }

    private void closeParser() {
        if (parser != null) {
            try {
                parser.close(); // returns its buffers to the recycler for the next parser
            } catch (IOException ignored) {
                // nothing to release that matters: the input is ours
            }
            parser = null;
            feeder = null;
        }
    }

    private static boolean isWhitespace(byte b) {
        return b == ' ' || b == '\n' || b == '\r' || b == '\t';
    }
}
