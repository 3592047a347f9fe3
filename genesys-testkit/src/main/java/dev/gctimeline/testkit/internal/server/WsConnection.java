package dev.gctimeline.testkit.internal.server;

import dev.gctimeline.testkit.Delivery;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One accepted WebSocket: a reader thread for the client's frames, and writes from the publisher,
 * the heartbeat timer and control answers, serialised by one lock so a message's frames never
 * interleave with another message. Writes block while the peer does not read (TCP push-back), which
 * is what "as fast as the client consumes" means.
 */
public final class WsConnection implements Runnable {

    /** How long an abruptly ended socket waits for the client to close its side: nginx's lingering_time. */
    static final long LINGER_MILLIS = 30_000;

    enum Kind { CHANNEL, ANALYTICS_STREAM, STREAMING_EVENTS }

    final long id;
    final Kind kind;
    /** The channel for {@link Kind#CHANNEL}, else null. */
    final Channel channel;
    private final Engine engine;
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final ReentrantLock writeLock = new ReentrantLock();
    /** Guarded by writeLock. */
    private final WireFaults wire;
    /** Used by the heartbeat timer only (one task per connection, never concurrent with itself). */
    private final SplittableRandom heartbeatRandom;
    private final AtomicBoolean terminated = new AtomicBoolean();
    private volatile boolean closeSent;
    private volatile boolean closingNoticePending;
    private volatile boolean subscribed;
    private volatile boolean heartbeatDue;
    private volatile ScheduledFuture<?> heartbeat;
    /**
     * The last text written is one whose loss in flight at an abrupt close changes a client's
     * rejection count by one: an unsplit malformed or oversize message (one rejection fewer), a
     * document cut off inside its first frame (one fewer), or the last frame of a document in
     * several frames or messages (one more: the rest is then a cut-off document). A client loses at
     * most the one message it had taken off the wire but not handed over (the JDK's does). Written
     * under writeLock.
     */
    private volatile boolean lastWriteSplitOrCorrupt;

    WsConnection(long id, Kind kind, Channel channel, Engine engine, Socket socket, InputStream in, long wireSeed)
            throws IOException {
        this.id = id;
        this.kind = kind;
        this.channel = channel;
        this.engine = engine;
        this.socket = socket;
        this.in = in;
        this.out = socket.getOutputStream();
        this.wire = new WireFaults(engine.config().faults(), wireSeed);
        this.heartbeatRandom = new SplittableRandom(WireFaults.mix(wireSeed ^ 0x6865617274L));
    }

    boolean isOpen() {
        return !terminated.get() && !closeSent;
    }

    /** For shape B: true once the client sent its subscribe message. */
    boolean isSubscribed() {
        return subscribed;
    }

    /**
     * Publishes one scheduled slot's documents as one logical message, with this socket's wire
     * faults: optional socket_closing notice, malformed and oversize extras, the document split
     * across messages, each message split into frames, and a drop after or in the middle of it.
     *
     * @param topic for a channel the notification's topic; for seed shapes the conversation id (used
     *              to shape the extra fault messages only)
     */
    Delivery.Outcome deliver(Delivery.Route route, List<byte[]> docs, String topic) {
        writeLock.lock();
        try {
            if (!isOpen()) {
                return Delivery.Outcome.NO_SOCKET;
            }
            var f = engine.config().faults();
            Counters c = engine.counters();
            if (kind == Kind.CHANNEL && wire.hit(f.socketClosing()) && !closingNoticePending) {
                noticeSocketClosingLocked();
            }
            if (wire.hit(f.malformed())) {
                if (!writeFaultedMessageLocked(wire.malformed(route, topic))) {
                    return Delivery.Outcome.NO_SOCKET;
                }
                c.malformedSent.increment();
            }
            if (wire.hit(f.oversize())) {
                if (!writeFaultedMessageLocked(wire.oversize(route, topic))) {
                    return Delivery.Outcome.NO_SOCKET;
                }
                c.oversizeSent.increment();
            }
            byte[] doc = wire.join(docs);
            List<byte[]> parts = wire.split(doc, route == Delivery.Route.CHANNEL ? f.envelopeSplit() : f.documentSplit());
            if (parts == null) {
                parts = List.of(doc);
            } else {
                c.documentsSplit.increment();
            }
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(doc.length + 16 * parts.size());
            List<Integer> frameStarts = new ArrayList<>();
            int fragmented = 0;
            int continuations = 0;
            for (byte[] part : parts) {
                int[] cuts = wire.frameCuts(part.length);
                int start = bytes.size();
                frameStarts.add(start);
                byte[] frames = WsFrames.textMessage(part, cuts);
                if (cuts.length > 0) {
                    fragmented++;
                    continuations += cuts.length;
                    recordFrameStarts(frames, start, frameStarts);
                }
                bytes.write(frames, 0, frames.length);
            }
            byte[] all = bytes.toByteArray();
            if (wire.hit(f.dropSocketMidFrame())) {
                int cut = wire.midFrameCut(all.length, frameStarts);
                try {
                    out.write(all, 0, cut);
                    out.flush();
                } catch (IOException e) {
                    // the peer went away first; the message is lost either way
                }
                c.socketsDroppedMidFrame.increment();
                if (cut > firstFrameHeaderLength(all)) {
                    c.documentsTruncated.increment();
                    // Cut inside the first frame: that part is all the client has of it. Cut later: the
                    // earlier frames keep the document open whatever becomes of the last part.
                    lastWriteSplitOrCorrupt = cut < (frameStarts.size() > 1 ? frameStarts.get(1) : all.length);
                }
                terminate();
                return Delivery.Outcome.LOST;
            }
            try {
                out.write(all);
                out.flush();
            } catch (IOException e) {
                terminate();
                return Delivery.Outcome.LOST;
            }
            lastWriteSplitOrCorrupt = fragmented > 0 || parts.size() > 1;
            c.messagesSent.add(parts.size());
            c.messagesFragmented.add(fragmented);
            c.continuationFrames.add(continuations);
            if (docs.size() > 1) {
                c.documentsBatched.increment();
            }
            if (wire.hit(f.dropSocket())) {
                c.socketsDropped.increment();
                terminate();
            }
            return Delivery.Outcome.DELIVERED;
        } finally {
            sendDueHeartbeatAndUnlock();
        }
    }

    /** The header length of the first frame in {@code frames} (server frames are unmasked). */
    private static int firstFrameHeaderLength(byte[] frames) {
        int len7 = frames[1] & 0x7F;
        return len7 == 126 ? 4 : len7 == 127 ? 10 : 2;
    }

    private static void recordFrameStarts(byte[] frames, int base, List<Integer> starts) {
        // Walk the frame headers we just wrote to learn where each continuation frame begins.
        int pos = 0;
        boolean first = true;
        while (pos < frames.length) {
            if (!first) {
                starts.add(base + pos);
            }
            first = false;
            int len7 = frames[pos + 1] & 0x7F;
            int header = 2;
            long len = len7;
            if (len7 == 126) {
                len = ((frames[pos + 2] & 0xFF) << 8) | (frames[pos + 3] & 0xFF);
                header = 4;
            } else if (len7 == 127) {
                len = ByteBuffer.wrap(frames, pos + 2, 8).getLong();
                header = 10;
            }
            pos += header + (int) len;
        }
    }

    /**
     * A system message (pong, no_longer_subscribed, token_revoked): one frame, no faults, and no
     * draw from the fault generator, so a client's pings never shift the publisher's decisions.
     * False when the socket is gone.
     */
    boolean sendSystem(byte[] json) {
        writeLock.lock();
        try {
            return isOpen() && writeRawLocked(WsFrames.textMessage(json), true);
        } finally {
            sendDueHeartbeatAndUnlock();
        }
    }

    /** An extra fault message (malformed, oversize), itself subject to the frame-split fault. */
    private boolean writeFaultedMessageLocked(byte[] json) {
        int[] cuts = wire.frameCuts(json.length);
        if (!writeRawLocked(WsFrames.textMessage(json, cuts), true)) {
            return false;
        }
        lastWriteSplitOrCorrupt = cuts.length == 0; // in frames, losing the last one leaves it open: still rejected
        if (cuts.length > 0) {
            engine.counters().messagesFragmented.increment();
            engine.counters().continuationFrames.add(cuts.length);
        }
        return true;
    }

    private boolean writeRawLocked(byte[] bytes, boolean countMessage) {
        try {
            out.write(bytes);
            out.flush();
            if (countMessage) {
                engine.counters().messagesSent.increment();
                lastWriteSplitOrCorrupt = false;
            }
            return true;
        } catch (IOException e) {
            terminate();
            return false;
        }
    }

    /** Sends {@code v2.system.socket_closing} now and closes the socket after the configured delay. */
    void noticeSocketClosing() {
        writeLock.lock();
        try {
            if (isOpen() && !closingNoticePending) {
                noticeSocketClosingLocked();
            }
        } finally {
            sendDueHeartbeatAndUnlock();
        }
    }

    private void noticeSocketClosingLocked() {
        byte[] notice = Json.channelMessage("v2.system.socket_closing", "the socket will close; connect a new one");
        if (writeRawLocked(WsFrames.textMessage(notice), true)) {
            closingNoticePending = true;
            engine.counters().socketClosingNotices.increment();
            engine.timers().schedule(() -> {
                if (isOpen()) {
                    engine.counters().socketsClosedAfterNotice.increment();
                    closeGracefully(1001, "socket closing");
                }
            }, engine.config().socketClosingDelay().toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    void startHeartbeat(Duration interval) {
        if (interval.isZero() || interval.isNegative()) {
            return;
        }
        long ms = interval.toMillis();
        heartbeat = engine.timers().scheduleAtFixedRate(this::heartbeatTick, ms, ms, TimeUnit.MILLISECONDS);
    }

    private void heartbeatTick() {
        if (!isOpen()) {
            return;
        }
        double rate = engine.config().faults().missedHeartbeat();
        if (rate > 0 && heartbeatRandom.nextDouble() < rate) {
            engine.counters().heartbeatsMissed.increment();
            return;
        }
        // Never block the shared timer on a socket whose peer is not reading: if a message is being
        // written, the writer sends the heartbeat right after it.
        if (writeLock.tryLock()) {
            try {
                writeHeartbeatLocked();
            } finally {
                sendDueHeartbeatAndUnlock();
            }
        } else {
            heartbeatDue = true;
        }
    }

    private void writeHeartbeatLocked() {
        if (isOpen() && writeRawLocked(WsFrames.textMessage(Json.channelMessage("channel.metadata", "WebSocket Heartbeat")), true)) {
            engine.counters().heartbeatsSent.increment();
        }
    }

    private void sendDueHeartbeatAndUnlock() {
        try {
            if (heartbeatDue && writeLock.getHoldCount() == 1) {
                heartbeatDue = false;
                writeHeartbeatLocked();
            }
        } finally {
            writeLock.unlock();
        }
    }

    /**
     * Sends a close frame and closes TCP shortly after (when the client answers, or after a grace
     * period). Gives up waiting for the write lock after a second: a peer that reads nothing gets
     * an abrupt close instead.
     */
    void closeGracefully(int code, String reason) {
        boolean locked = false;
        try {
            locked = writeLock.tryLock(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!locked) {
            terminate();
            return;
        }
        try {
            if (isOpen()) {
                closeSent = true;
                writeRawLocked(WsFrames.closeFrame(code, reason), false);
                engine.timers().schedule(this::terminate, 2, TimeUnit.SECONDS);
            }
        } finally {
            writeLock.unlock();
        }
    }

    /**
     * Ends the connection now, no close frame (an abrupt drop as the client sees it): nothing more is
     * written and the client reads end-of-stream right after the last byte written. Idempotent.
     *
     * <p>A lingering close, as nginx and Apache httpd do it: FIN after the data, then the client's
     * frames are read and discarded until it closes its side (or {@link #LINGER_MILLIS}), and only
     * then is the socket closed. Closing at once would answer whatever the client sends next (a ping,
     * a pong, its close frame) with a TCP reset, and a reset makes the JDK client drop everything it
     * had received but not yet read (measured: with a client writing around the close, up to three
     * messages lost, not just the last), so the delivery log's DELIVERED would not mean received.
     */
    void terminate() {
        if (!terminated.compareAndSet(false, true)) {
            return;
        }
        if (!closeSent) {
            engine.log().abruptClose(id); // no close handshake: what was last written may never be read
            if (lastWriteSplitOrCorrupt) {
                engine.counters().abruptClosesAfterSplitOrCorruptWrite.increment();
            }
        }
        ScheduledFuture<?> hb = heartbeat;
        if (hb != null) {
            hb.cancel(false);
        }
        if (engine.lingering(this, true)) {
            try {
                socket.shutdownOutput();
                engine.timers().schedule(this::closeSocket, LINGER_MILLIS, TimeUnit.MILLISECONDS);
            } catch (IOException | RejectedExecutionException e) {
                closeSocket(); // already closed, or the simulator is shutting down
            }
        } else {
            closeSocket(); // the simulator is closing: nobody waits for the client
        }
        engine.connectionClosed(this);
    }

    /** Closes the socket itself (after the lingering close, or when the simulator stops). Idempotent. */
    void closeSocket() {
        try {
            socket.close();
        } catch (IOException e) {
            // already closed
        }
        engine.lingering(this, false);
    }

    @Override
    public void run() {
        FrameReader reader = new FrameReader(in, engine.config().maxClientMessageBytes());
        ByteArrayOutputStream fragments = null;
        try {
            while (true) {
                FrameReader.Frame frame = reader.read();
                if (frame == null) {
                    break;
                }
                switch (frame.opcode()) {
                    case WsFrames.OP_TEXT -> {
                        if (fragments != null) {
                            throw new WsProtocolException(1002, "a new text message inside a fragmented one");
                        }
                        if (frame.fin()) {
                            onText(frame.payload());
                        } else {
                            fragments = new ByteArrayOutputStream();
                            fragments.write(frame.payload());
                        }
                    }
                    case WsFrames.OP_CONTINUATION -> {
                        if (fragments == null) {
                            throw new WsProtocolException(1002, "a continuation frame with no message to continue");
                        }
                        if (fragments.size() + frame.payload().length > engine.config().maxClientMessageBytes()) {
                            throw new WsProtocolException(1009, "client message over the size limit");
                        }
                        fragments.write(frame.payload());
                        if (frame.fin()) {
                            byte[] msg = fragments.toByteArray();
                            fragments = null;
                            onText(msg);
                        }
                    }
                    case WsFrames.OP_BINARY -> throw new WsProtocolException(1003, "binary messages are not accepted");
                    case WsFrames.OP_CLOSE -> {
                        onClose(frame.payload());
                        return;
                    }
                    case WsFrames.OP_PING -> {
                        writeLock.lock();
                        try {
                            if (isOpen()) {
                                writeRawLocked(WsFrames.controlFrame(WsFrames.OP_PONG, frame.payload()), false);
                            }
                        } finally {
                            sendDueHeartbeatAndUnlock();
                        }
                    }
                    case WsFrames.OP_PONG -> {
                        // unsolicited pongs are allowed and mean nothing
                    }
                    default -> throw new WsProtocolException(1002, "unknown opcode " + frame.opcode());
                }
            }
        } catch (WsProtocolException e) {
            engine.counters().clientMessagesRejected.increment();
            closeGracefully(e.closeCode(), e.getMessage());
        } catch (IOException e) {
            // the socket closed (by either side): nothing to answer
        }
        // After our close frame, terminate() is already scheduled: let the frame leave first.
        if (!closeSent) {
            terminate();
        }
        if (terminated.get()) {
            closeSocket(); // the client closed its side (or failed): nothing of ours is left unread
        }
    }

    private void onClose(byte[] payload) {
        writeLock.lock();
        try {
            if (!closeSent && !terminated.get()) {
                closeSent = true;
                int code = payload.length >= 2 ? ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF) : 1000;
                writeRawLocked(WsFrames.closeFrame(code, ""), false);
            }
        } finally {
            writeLock.unlock();
        }
        terminate();
    }

    private void onText(byte[] utf8) throws WsProtocolException {
        try {
            StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(utf8));
        } catch (CharacterCodingException e) {
            throw new WsProtocolException(1007, "text message is not valid UTF-8");
        }
        Map<String, String> fields;
        try {
            fields = Json.topLevelScalars(utf8);
        } catch (IOException e) {
            engine.counters().clientMessagesRejected.increment();
            return;
        }
        if (kind == Kind.CHANNEL && "ping".equals(fields.get("message"))) {
            if (sendSystem(Json.channelMessage("channel.metadata", "pong"))) {
                engine.counters().pongsSent.increment();
            }
        } else if (kind == Kind.STREAMING_EVENTS && "subscribe".equals(fields.get("type"))) {
            subscribed = true;
        }
    }
}
