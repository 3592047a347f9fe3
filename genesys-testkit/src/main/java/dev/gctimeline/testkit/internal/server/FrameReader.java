package dev.gctimeline.testkit.internal.server;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/**
 * Reads client frames (RFC 6455 section 5.2) from a blocking stream. Client frames must be masked;
 * reserved bits must be clear (no extension is negotiated); control frames must be final and carry
 * at most 125 bytes; a data frame larger than the configured bound is refused before its payload
 * is read. Violations raise {@link WsProtocolException} with the close code to answer with.
 */
final class FrameReader {

    /** One frame, payload already unmasked. */
    record Frame(boolean fin, int opcode, byte[] payload) {
    }

    private final InputStream in;
    private final int maxPayload;

    FrameReader(InputStream in, int maxPayload) {
        this.in = in;
        this.maxPayload = maxPayload;
    }

    /** The next frame, or null when the peer closed TCP cleanly between frames. */
    Frame read() throws IOException {
        int b0 = in.read();
        if (b0 < 0) {
            return null;
        }
        int b1 = readByte();
        boolean fin = (b0 & 0x80) != 0;
        if ((b0 & 0x70) != 0) {
            throw new WsProtocolException(1002, "reserved bits set without a negotiated extension");
        }
        int opcode = b0 & 0x0F;
        boolean masked = (b1 & 0x80) != 0;
        if (!masked) {
            throw new WsProtocolException(1002, "client frames must be masked");
        }
        long len = b1 & 0x7F;
        if (len == 126) {
            len = ((long) readByte() << 8) | readByte();
        } else if (len == 127) {
            len = 0;
            for (int i = 0; i < 8; i++) {
                len = (len << 8) | readByte();
            }
            if (len < 0) {
                throw new WsProtocolException(1002, "64-bit payload length with the high bit set");
            }
        }
        boolean control = (opcode & 0x08) != 0;
        if (control && (!fin || len > 125)) {
            throw new WsProtocolException(1002, "control frames must be final and at most 125 bytes");
        }
        if (len > maxPayload) {
            throw new WsProtocolException(1009, "frame of " + len + " bytes over the limit of " + maxPayload);
        }
        byte[] mask = new byte[4];
        readFully(mask);
        byte[] payload = new byte[(int) len];
        readFully(payload);
        for (int i = 0; i < payload.length; i++) {
            payload[i] ^= mask[i & 3];
        }
        return new Frame(fin, opcode, payload);
    }

    private int readByte() throws IOException {
        int b = in.read();
        if (b < 0) {
            throw new EOFException("connection closed inside a frame header");
        }
        return b;
    }

    private void readFully(byte[] buf) throws IOException {
        int off = 0;
        while (off < buf.length) {
            int n = in.read(buf, off, buf.length - off);
            if (n < 0) {
                throw new EOFException("connection closed inside a frame");
            }
            off += n;
        }
    }
}
