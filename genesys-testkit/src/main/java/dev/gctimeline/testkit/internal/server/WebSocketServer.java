package dev.gctimeline.testkit.internal.server;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The WebSocket side: a plain {@link ServerSocket} on 127.0.0.1, a thread per connection, the
 * RFC 6455 opening handshake done by hand. Paths: {@code /channels/{channelId}} (notification
 * channels), {@code /api/v2/analytics/conversations/details/stream} (seed shape A) and
 * {@code /api/v2/streaming/events} (seed shape B); the seed shapes take the token as an
 * {@code Authorization: Bearer} header or, as the tutorials describe, an {@code access_token} query
 * parameter.
 */
final class WebSocketServer implements Closeable {
    static final String SHAPE_A_PATH = "/api/v2/analytics/conversations/details/stream";
    static final String SHAPE_B_PATH = "/api/v2/streaming/events";
    private static final int MAX_HANDSHAKE_BYTES = 16 * 1024;

    private final Engine engine;
    private final ServerSocket serverSocket;
    private final Thread acceptor;
    private volatile boolean closed;

    WebSocketServer(Engine engine, int port) throws IOException {
        this.engine = engine;
        this.serverSocket = new ServerSocket();
        serverSocket.setReuseAddress(true);
        serverSocket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
        this.acceptor = new Thread(this::acceptLoop, "gc-sim-ws-accept-" + serverSocket.getLocalPort());
        acceptor.setDaemon(true);
    }

    void start() {
        acceptor.start();
    }

    int port() {
        return serverSocket.getLocalPort();
    }

    private void acceptLoop() {
        while (!closed) {
            Socket s;
            try {
                s = serverSocket.accept();
            } catch (IOException e) {
                if (closed) {
                    return;
                }
                continue;
            }
            Thread t = new Thread(() -> serve(s), "gc-sim-ws-" + s.getPort());
            t.setDaemon(true);
            t.start();
        }
    }

    /** A parsed opening handshake request. */
    record Request(String method, String path, Map<String, String> query, Map<String, String> headers) {
    }

    private void serve(Socket s) {
        try {
            s.setTcpNoDelay(true);
            s.setSoTimeout(10_000); // a client that never finishes its handshake
            InputStream in = new java.io.BufferedInputStream(s.getInputStream());
            Request req = readRequest(in);
            if (req == null) {
                reject(s, 400, "Bad Request", null);
                return;
            }
            String problem = handshakeProblem(req);
            if (problem != null) {
                reject(s, problem.equals("version") ? 426 : 400, problem.equals("version") ? "Upgrade Required" : "Bad Request",
                        problem.equals("version") ? "Sec-WebSocket-Version: 13\r\n" : null);
                return;
            }
            WsConnection conn = engine.openConnection(req, s, in);
            if (conn == null) {
                return; // refused; openConnection answered
            }
            s.setSoTimeout(0);
            conn.run();
        } catch (IOException e) {
            engine.counters().socketsRejected.increment();
            closeQuietly(s);
        }
    }

    /** Null when the request is acceptable, else a short reason ("version" for a wrong version). */
    private static String handshakeProblem(Request req) {
        if (!req.method().equals("GET")) {
            return "method";
        }
        String upgrade = req.headers().get("upgrade");
        String connection = req.headers().get("connection");
        if (upgrade == null || !upgrade.trim().equalsIgnoreCase("websocket")) {
            return "upgrade";
        }
        if (connection == null || !connection.toLowerCase(Locale.ROOT).contains("upgrade")) {
            return "connection";
        }
        if (!"13".equals(trim(req.headers().get("sec-websocket-version")))) {
            return "version";
        }
        String key = trim(req.headers().get("sec-websocket-key"));
        try {
            if (key == null || Base64.getDecoder().decode(key).length != 16) {
                return "key";
            }
        } catch (IllegalArgumentException e) {
            return "key";
        }
        return null;
    }

    private static String trim(String s) {
        return s == null ? null : s.trim();
    }

    static void accept(Socket s, Request req) throws IOException {
        String accept = WsFrames.acceptKey(req.headers().get("sec-websocket-key").trim());
        String response = "HTTP/1.1 101 Switching Protocols\r\n"
                + "Upgrade: websocket\r\n"
                + "Connection: Upgrade\r\n"
                + "Sec-WebSocket-Accept: " + accept + "\r\n\r\n";
        OutputStream out = s.getOutputStream();
        out.write(response.getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    void reject(Socket s, int status, String reason, String extraHeaders) {
        engine.counters().socketsRejected.increment();
        try {
            String response = "HTTP/1.1 " + status + " " + reason + "\r\n"
                    + (extraHeaders == null ? "" : extraHeaders)
                    + "Content-Length: 0\r\nConnection: close\r\n\r\n";
            s.getOutputStream().write(response.getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
        } catch (IOException e) {
            // the client is gone; nothing to tell it
        }
        closeQuietly(s);
    }

    private static Request readRequest(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream(512);
        int state = 0; // how much of CRLF CRLF has been seen
        while (state < 4) {
            int b = in.read();
            if (b < 0 || head.size() >= MAX_HANDSHAKE_BYTES) {
                return null;
            }
            head.write(b);
            state = switch (state) {
                case 0, 2 -> b == '\r' ? state + 1 : 0;
                case 1, 3 -> b == '\n' ? state + 1 : (b == '\r' ? 1 : 0);
                default -> 0;
            };
        }
        String[] lines = head.toString(StandardCharsets.ISO_8859_1).split("\r\n");
        String[] requestLine = lines[0].split(" ");
        if (requestLine.length != 3 || !requestLine[2].startsWith("HTTP/1.1")) {
            return null;
        }
        Map<String, String> headers = new HashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.merge(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
                        lines[i].substring(colon + 1).trim(), (a, b) -> a + ", " + b);
            }
        }
        String target = requestLine[1];
        int q = target.indexOf('?');
        String path = q < 0 ? target : target.substring(0, q);
        Map<String, String> query = new HashMap<>();
        if (q >= 0) {
            for (String pair : target.substring(q + 1).split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    query.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
        }
        return new Request(requestLine[0], path, query, headers);
    }

    static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // nothing left to do
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            serverSocket.close();
        } catch (IOException e) {
            // closing anyway
        }
    }
}
