package dev.gctimeline.testkit;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;

/**
 * A raw-socket WebSocket client that sees every byte: frames as they came, for the fault tests.
 * Server frames must be unmasked; this client masks its own.
 */
final class RawWs implements AutoCloseable {

    record Frame(boolean fin, int opcode, byte[] payload) {
        String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }
    }

    /** A whole message: its frames and the joined payload. */
    record Message(int opcode, List<Frame> frames, byte[] payload) {
        String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }
    }

    final Socket socket;
    final InputStream in;
    final OutputStream out;
    /** Every byte received after the handshake. */
    final ByteArrayOutputStream received = new ByteArrayOutputStream();
    final int status;
    private final Random maskRandom = new Random(1);

    private RawWs(Socket socket, int status) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
        this.status = status;
    }

    /** Opens a socket and handshakes; {@link #status} is the HTTP status (101 on success). */
    static RawWs connect(int port, String pathAndQuery) throws IOException {
        return connect(port, pathAndQuery, "");
    }

    /** As {@link #connect(int, String)}, with extra handshake header lines (each ending in CRLF). */
    static RawWs connect(int port, String pathAndQuery, String extraHeaders) throws IOException {
        Socket s = new Socket(InetAddress.getLoopbackAddress(), port);
        s.setSoTimeout(10_000);
        String key = Base64.getEncoder().encodeToString("0123456789abcdef".getBytes(StandardCharsets.US_ASCII));
        String req = "GET " + pathAndQuery + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nUpgrade: websocket\r\n"
                + "Connection: Upgrade\r\nSec-WebSocket-Key: " + key + "\r\nSec-WebSocket-Version: 13\r\n" + extraHeaders
                + "\r\n";
        s.getOutputStream().write(req.getBytes(StandardCharsets.US_ASCII));
        InputStream in = s.getInputStream();
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("closed during the handshake: " + head);
            }
            head.append((char) b);
        }
        int status = Integer.parseInt(head.substring(9, 12));
        if (status == 101) {
            String expected = acceptFor(key);
            if (!head.toString().contains("Sec-WebSocket-Accept: " + expected + "\r\n")) {
                throw new IOException("bad Sec-WebSocket-Accept in " + head);
            }
        }
        return new RawWs(s, status);
    }

    static String acceptFor(String key) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-1")
                    .digest((key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").getBytes(StandardCharsets.US_ASCII));
            return Base64.getEncoder().encodeToString(d);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The next frame, or null at EOF between frames. */
    Frame readFrame() throws IOException {
        int b0 = in.read();
        if (b0 < 0) {
            return null;
        }
        received.write(b0);
        int b1 = readByte();
        if ((b1 & 0x80) != 0) {
            throw new IOException("server frame is masked");
        }
        long len = b1 & 0x7F;
        if (len == 126) {
            len = (readByte() << 8) | readByte();
        } else if (len == 127) {
            len = 0;
            for (int i = 0; i < 8; i++) {
                len = (len << 8) | readByte();
            }
        }
        byte[] payload = new byte[(int) len];
        for (int i = 0; i < payload.length; i++) {
            payload[i] = (byte) readByte();
        }
        return new Frame((b0 & 0x80) != 0, b0 & 0x0F, payload);
    }

    private int readByte() throws IOException {
        int b = in.read();
        if (b < 0) {
            throw new EOFException("EOF inside a frame");
        }
        received.write(b);
        return b;
    }

    /** The next whole data message (control frames in between are returned as their own message), or null at EOF. */
    Message readMessage() throws IOException {
        List<Frame> frames = new ArrayList<>();
        ByteArrayOutputStream payload = new ByteArrayOutputStream();
        while (true) {
            Frame f = readFrame();
            if (f == null) {
                if (frames.isEmpty()) {
                    return null;
                }
                throw new EOFException("EOF inside a fragmented message");
            }
            if ((f.opcode() & 0x08) != 0) {
                return new Message(f.opcode(), List.of(f), f.payload());
            }
            frames.add(f);
            payload.write(f.payload());
            if (f.fin()) {
                return new Message(frames.get(0).opcode(), frames, payload.toByteArray());
            }
        }
    }

    /** Reads until EOF or a read timeout; returns the text messages seen (close frames end the read). */
    List<Message> readAll() throws IOException {
        List<Message> out = new ArrayList<>();
        try {
            Message m;
            while ((m = readMessage()) != null) {
                out.add(m);
                if (m.opcode() == 0x8) {
                    break;
                }
            }
        } catch (SocketTimeoutException | EOFException | java.net.SocketException e) {
            // the end of what the server sent
        }
        return out;
    }

    void sendFrame(boolean fin, int opcode, byte[] payload, boolean masked) throws IOException {
        ByteArrayOutputStream f = new ByteArrayOutputStream();
        f.write((fin ? 0x80 : 0) | opcode);
        int maskBit = masked ? 0x80 : 0;
        if (payload.length < 126) {
            f.write(maskBit | payload.length);
        } else {
            f.write(maskBit | 126);
            f.write(payload.length >>> 8);
            f.write(payload.length);
        }
        if (masked) {
            byte[] mask = new byte[4];
            maskRandom.nextBytes(mask);
            f.write(mask);
            for (int i = 0; i < payload.length; i++) {
                f.write(payload[i] ^ mask[i & 3]);
            }
        } else {
            f.write(payload);
        }
        out.write(f.toByteArray());
        out.flush();
    }

    void sendText(String text) throws IOException {
        sendFrame(true, 0x1, text.getBytes(StandardCharsets.UTF_8), true);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
