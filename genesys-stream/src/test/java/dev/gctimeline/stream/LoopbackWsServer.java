package dev.gctimeline.stream;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A scripted WebSocket server on 127.0.0.1 for what the simulator does not do: it records every
 * handshake request as sent (request line and headers), then either refuses it with a status or
 * accepts it and writes the given raw frames (or answers pings). One thread per connection; closed by
 * {@link #close()}.
 *
 * <pre>{@code try (LoopbackWsServer s = LoopbackWsServer.refusing(403)) { ...; s.requests().get(0); }}</pre>
 */
final class LoopbackWsServer implements AutoCloseable {

    /** What the server does after reading a handshake. */
    interface Script {
        void answer(String requestHead, Socket socket, OutputStream out) throws IOException;
    }

    private final ServerSocket server;
    private final Script script;
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final AtomicInteger accepted = new AtomicInteger();
    private final Thread acceptor;
    private volatile boolean closed;
    /** Pongs sent ({@link #answeringPings}). */
    private final AtomicInteger pongs = new AtomicInteger();
    /** Client text messages that were Genesys pings ({@link #streamingUntilQuiet}). */
    private final AtomicInteger textPings = new AtomicInteger();
    /** Set to stop every {@link #streamingUntilQuiet} connection's messages. */
    private volatile boolean quiet;

    private LoopbackWsServer(Script script) throws IOException {
        this(server -> script);
    }

    private LoopbackWsServer(java.util.function.Function<LoopbackWsServer, Script> scriptFor) throws IOException {
        this.script = scriptFor.apply(this);
        this.server = new ServerSocket();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        this.acceptor = new Thread(this::acceptLoop, "loopback-ws-" + server.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** Answers every handshake with {@code status} and closes. */
    static LoopbackWsServer refusing(int status) throws IOException {
        return refusingInTurn(status);
    }

    /** Answers the handshakes with {@code statuses} in turn (the last one repeated) and closes each. */
    static LoopbackWsServer refusingInTurn(int... statuses) throws IOException {
        AtomicInteger turn = new AtomicInteger();
        return new LoopbackWsServer((head, socket, out) -> {
            int status = statuses[Math.min(turn.getAndIncrement(), statuses.length - 1)];
            out.write(("HTTP/1.1 " + status + " Refused\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
        });
    }

    /** Accepts every handshake, writes {@code frames} (raw, unmasked server frames), then waits for the peer to go. */
    static LoopbackWsServer sending(byte[]... frames) throws IOException {
        return new LoopbackWsServer((head, socket, out) -> {
            out.write(switchingProtocols(head));
            for (byte[] f : frames) {
                out.write(f);
            }
            out.flush();
            InputStream in = socket.getInputStream();
            while (in.read() >= 0) {
                // drain the client's frames (its close) until it hangs up
            }
        });
    }

    /**
     * Accepts every handshake, then sends nothing of its own but answers each ping with a pong,
     * counted in {@link #pongs()}: a quiet peer that is alive.
     */
    static LoopbackWsServer answeringPings() throws IOException {
        return new LoopbackWsServer(server -> (head, socket, out) -> {
            out.write(switchingProtocols(head));
            out.flush();
            readFrames(socket.getInputStream(), (opcode, payload) -> {
                if (opcode == 9 && payload.length <= 125) {
                    synchronized (out) {
                        out.write(frame(10, payload));
                        out.flush();
                    }
                    server.pongs.incrementAndGet();
                }
            });
        });
    }

    /**
     * Accepts every handshake and writes {@code frame} every {@code everyMillis} until {@link #goQuiet()};
     * reads the client's frames meanwhile and answers nothing, counting the client's Genesys pings
     * (text {@code {"message":"ping"}}) in {@link #textPings()}: a peer that keeps delivering but whose
     * pongs, were it to send any, would wait behind its messages.
     */
    static LoopbackWsServer streamingUntilQuiet(byte[] frame, long everyMillis) throws IOException {
        return new LoopbackWsServer(server -> (head, socket, out) -> {
            out.write(switchingProtocols(head));
            out.flush();
            Thread writer = new Thread(() -> {
                try {
                    while (!server.quiet && !server.closed) {
                        synchronized (out) {
                            out.write(frame);
                            out.flush();
                        }
                        Thread.sleep(everyMillis);
                    }
                } catch (IOException | InterruptedException e) {
                    // the client went away
                }
            }, "loopback-ws-writer");
            writer.setDaemon(true);
            writer.start();
            readFrames(socket.getInputStream(), (opcode, payload) -> {
                if (opcode == 1 && new String(payload, StandardCharsets.UTF_8).contains("\"ping\"")) {
                    server.textPings.incrementAndGet();
                }
            });
        });
    }

    /** What a server does with one client frame (payload unmasked). */
    private interface FrameHandler {
        void handle(int opcode, byte[] payload) throws IOException;
    }

    /** Reads the client's frames until it closes or goes away. */
    private static void readFrames(InputStream in, FrameHandler handler) throws IOException {
        while (true) {
            int b0 = in.read();
            int b1 = in.read();
            if (b0 < 0 || b1 < 0) {
                return;
            }
            long length = b1 & 0x7F;
            if (length >= 126) {
                int extra = length == 126 ? 2 : 8;
                length = 0;
                for (int i = 0; i < extra; i++) {
                    length = length << 8 | readByte(in);
                }
            }
            byte[] mask = (b1 & 0x80) != 0 ? in.readNBytes(4) : new byte[4];
            byte[] payload = in.readNBytes((int) length);
            if (payload.length != length) {
                return;
            }
            for (int i = 0; i < payload.length; i++) {
                payload[i] ^= mask[i & 3];
            }
            int opcode = b0 & 0x0F;
            if (opcode == 8) {
                return; // the client closes
            }
            handler.handle(opcode, payload);
        }
    }

    private static int readByte(InputStream in) throws IOException {
        int b = in.read();
        if (b < 0) {
            throw new java.io.EOFException();
        }
        return b;
    }

    private static byte[] switchingProtocols(String head) {
        return ("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Accept: " + acceptKey(header(head, "sec-websocket-key")) + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    /** Pongs sent by an {@link #answeringPings()} server. */
    int pongs() {
        return pongs.get();
    }

    /** Genesys pings received by a {@link #streamingUntilQuiet} server. */
    int textPings() {
        return textPings.get();
    }

    /** Stops the messages of a {@link #streamingUntilQuiet} server, on every connection, now and later. */
    void goQuiet() {
        quiet = true;
    }

    /** A final (FIN) frame with {@code opcode} (1 text, 2 binary) and {@code payload}, under 126 bytes. */
    static byte[] frame(int opcode, byte[] payload) {
        if (payload.length > 125) {
            throw new IllegalArgumentException("short frames only");
        }
        byte[] f = new byte[2 + payload.length];
        f[0] = (byte) (0x80 | opcode);
        f[1] = (byte) payload.length;
        System.arraycopy(payload, 0, f, 2, payload.length);
        return f;
    }

    URI uri(String path) {
        return URI.create("ws://127.0.0.1:" + server.getLocalPort() + path);
    }

    /** Every handshake request head received, in order. */
    List<String> requests() {
        return List.copyOf(requests);
    }

    /** Connections accepted so far. */
    int connections() {
        return accepted.get();
    }

    /** The value of header {@code name} (case-insensitive) in a request head, or null. */
    static String header(String head, String name) {
        for (String line : head.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().toLowerCase(Locale.ROOT).equals(name)) {
                return line.substring(colon + 1).trim();
            }
        }
        return null;
    }

    private void acceptLoop() {
        while (!closed) {
            Socket s;
            try {
                s = server.accept();
            } catch (IOException e) {
                return;
            }
            accepted.incrementAndGet();
            Thread t = new Thread(() -> serve(s), "loopback-ws-conn");
            t.setDaemon(true);
            t.start();
        }
    }

    private void serve(Socket s) {
        try (s) {
            s.setSoTimeout(20_000);
            InputStream in = s.getInputStream();
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            int matched = 0;
            while (matched < 4) {
                int b = in.read();
                if (b < 0) {
                    return;
                }
                head.write(b);
                matched = (b == '\r' && (matched == 0 || matched == 2)) || (b == '\n' && (matched == 1 || matched == 3))
                        ? matched + 1 : (b == '\r' ? 1 : 0);
            }
            String h = head.toString(StandardCharsets.ISO_8859_1);
            requests.add(h);
            script.answer(h, s, s.getOutputStream());
        } catch (IOException e) {
            // the client went away
        }
    }

    private static String acceptKey(String key) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-1")
                    .digest((key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").getBytes(StandardCharsets.US_ASCII));
            return Base64.getEncoder().encodeToString(d);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() throws IOException {
        closed = true;
        server.close();
    }
}
