package dev.gctimeline.testkit.internal.server;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * RFC 6455 framing for the server side: frames written unmasked, with the three payload-length
 * encodings (7-bit, 16-bit, 64-bit). Pure functions over byte arrays so the fault layer can cut the
 * resulting bytes anywhere.
 */
public final class WsFrames {
    public static final int OP_CONTINUATION = 0x0;
    public static final int OP_TEXT = 0x1;
    public static final int OP_BINARY = 0x2;
    public static final int OP_CLOSE = 0x8;
    public static final int OP_PING = 0x9;
    public static final int OP_PONG = 0xA;

    private static final String ACCEPT_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    private WsFrames() {
    }

    /** {@code Sec-WebSocket-Accept} for a client's {@code Sec-WebSocket-Key}. */
    public static String acceptKey(String clientKey) {
        try {
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            byte[] digest = sha1.digest((clientKey + ACCEPT_GUID).getBytes(StandardCharsets.US_ASCII));
            return Base64.getEncoder().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is required of every JDK", e);
        }
    }

    /** Appends one unmasked frame carrying {@code payload[off, off+len)}. */
    public static void writeFrame(ByteArrayOutputStream out, boolean fin, int opcode, byte[] payload, int off, int len) {
        out.write((fin ? 0x80 : 0) | (opcode & 0x0F));
        if (len < 126) {
            out.write(len);
        } else if (len <= 0xFFFF) {
            out.write(126);
            out.write(len >>> 8);
            out.write(len);
        } else {
            out.write(127);
            long l = len;
            for (int shift = 56; shift >= 0; shift -= 8) {
                out.write((int) (l >>> shift));
            }
        }
        out.write(payload, off, len);
    }

    /**
     * The frames of one text message whose UTF-8 bytes are cut at {@code cuts} (strictly increasing
     * offsets inside (0, length)): a text frame, continuation frames, FIN on the last. Cuts may fall
     * inside a multi-byte code point; RFC 6455 allows it, the receiver validates the whole message.
     */
    public static byte[] textMessage(byte[] utf8, int[] cuts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(utf8.length + 14 + cuts.length * 10);
        int start = 0;
        for (int i = 0; i <= cuts.length; i++) {
            int end = i < cuts.length ? cuts[i] : utf8.length;
            if (end <= start && i < cuts.length) {
                throw new IllegalArgumentException("cuts must be strictly increasing inside the message");
            }
            writeFrame(out, i == cuts.length, i == 0 ? OP_TEXT : OP_CONTINUATION, utf8, start, end - start);
            start = end;
        }
        return out.toByteArray();
    }

    /** A whole text message in one frame. */
    public static byte[] textMessage(byte[] utf8) {
        return textMessage(utf8, new int[0]);
    }

    /** A control frame (close, ping, pong); payload at most 125 bytes. */
    public static byte[] controlFrame(int opcode, byte[] payload) {
        if (payload.length > 125) {
            throw new IllegalArgumentException("control frame payload over 125 bytes");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(payload.length + 2);
        writeFrame(out, true, opcode, payload, 0, payload.length);
        return out.toByteArray();
    }

    /** A close frame with a status code and a short reason. */
    public static byte[] closeFrame(int code, String reason) {
        byte[] r = reason.getBytes(StandardCharsets.UTF_8);
        int n = Math.min(r.length, 123);
        byte[] payload = new byte[2 + n];
        payload[0] = (byte) (code >>> 8);
        payload[1] = (byte) code;
        System.arraycopy(r, 0, payload, 2, n);
        return controlFrame(OP_CLOSE, payload);
    }
}
