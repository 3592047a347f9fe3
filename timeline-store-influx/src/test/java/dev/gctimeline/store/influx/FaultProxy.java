package dev.gctimeline.store.influx;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A loopback HTTP/1.1 proxy on raw sockets in front of a real InfluxDB that injects faults into
 * write requests, one scripted fault per request until the script runs out: a status answer (429
 * with Retry-After, 503) without forwarding, a connection dropped before or after forwarding, a slow
 * answer, or no answer at all (the client times out). Everything else is forwarded unchanged. It
 * records which faults it injected, so a test can compare the store's counters with them.
 */
final class FaultProxy implements AutoCloseable {
    enum Kind { STATUS, DROP_BEFORE, DROP_AFTER, SLOW, HANG }

    record Fault(Kind kind, int status, String retryAfter, long delayMillis) {
        static Fault status(int status, String retryAfter) {
            return new Fault(Kind.STATUS, status, retryAfter, 0);
        }

        static Fault of(Kind kind) {
            return new Fault(kind, 0, null, 0);
        }

        static Fault slow(long millis) {
            return new Fault(Kind.SLOW, 0, null, millis);
        }
    }

    private static final Set<String> HOP = Set.of("host", "content-length", "connection", "transfer-encoding",
            "upgrade", "http2-settings", "expect", "keep-alive");

    private final ServerSocket server;
    private final String upstream;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final Deque<Fault> script;
    final List<Fault> injected = Collections.synchronizedList(new ArrayList<>());
    private final List<Socket> open = Collections.synchronizedList(new ArrayList<>());
    private volatile boolean closed;

    FaultProxy(int upstreamPort, List<Fault> script) throws IOException {
        this.upstream = "http://127.0.0.1:" + upstreamPort;
        this.script = new ArrayDeque<>(script);
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread t = new Thread(this::acceptLoop, "fault-proxy");
        t.setDaemon(true);
        t.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getLocalPort();
    }

    long count(Kind kind, int status) {
        synchronized (injected) {
            return injected.stream().filter(f -> f.kind() == kind && f.status() == status).count();
        }
    }

    private synchronized Fault nextFault(String path) {
        return path.startsWith("/write") ? script.poll() : null;
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket s = server.accept();
                s.setTcpNoDelay(true); // small answers must not wait for a delayed ACK
                open.add(s);
                Thread t = new Thread(() -> serve(s), "fault-proxy-conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private record Req(String method, String target, Map<String, String> headers, byte[] body) {
    }

    private void serve(Socket s) {
        try (s) {
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            while (!closed) {
                Req r = read(in);
                if (r == null) {
                    return;
                }
                Fault f = nextFault(r.target);
                if (f != null) {
                    injected.add(f);
                    switch (f.kind()) {
                        case STATUS -> {
                            Map<String, String> h = new LinkedHashMap<>();
                            h.put("Content-Type", "application/json");
                            if (f.retryAfter() != null) {
                                h.put("Retry-After", f.retryAfter());
                            }
                            respond(out, f.status(), h, ("{\"error\":\"injected " + f.status() + "\"}").getBytes(StandardCharsets.UTF_8));
                            continue;
                        }
                        case DROP_BEFORE -> {
                            return;
                        }
                        case DROP_AFTER -> {
                            forward(r);
                            return;
                        }
                        case HANG -> {
                            // never answer; wait for the client to give up and close
                            s.setSoTimeout(30_000);
                            while (in.read() >= 0) {
                                // discard
                            }
                            return;
                        }
                        case SLOW -> {
                            HttpResponse<byte[]> resp = forward(r);
                            Thread.sleep(f.delayMillis());
                            respond(out, resp.statusCode(), headersOf(resp), resp.body());
                            continue;
                        }
                        default -> throw new IllegalStateException();
                    }
                }
                HttpResponse<byte[]> resp = forward(r);
                respond(out, resp.statusCode(), headersOf(resp), resp.body());
            }
        } catch (IOException | InterruptedException e) {
            // connection gone
        }
    }

    private static Map<String, String> headersOf(HttpResponse<byte[]> resp) {
        Map<String, String> h = new LinkedHashMap<>();
        resp.headers().map().forEach((k, v) -> {
            if (!HOP.contains(k.toLowerCase(Locale.ROOT)) && !k.startsWith(":")) {
                h.put(k, v.get(0));
            }
        });
        return h;
    }

    private HttpResponse<byte[]> forward(Req r) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(upstream + r.target))
                .method(r.method, r.body.length == 0 ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(r.body));
        r.headers.forEach((k, v) -> {
            if (!HOP.contains(k)) {
                b.header(k, v);
            }
        });
        return client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static void respond(OutputStream out, int status, Map<String, String> headers, byte[] body) throws IOException {
        StringBuilder sb = new StringBuilder("HTTP/1.1 ").append(status).append(' ').append(reason(status)).append("\r\n");
        headers.forEach((k, v) -> sb.append(k).append(": ").append(v).append("\r\n"));
        if (status != 204 && status != 304) {
            sb.append("Content-Length: ").append(body.length).append("\r\n");
        }
        sb.append("\r\n");
        ByteArrayOutputStream all = new ByteArrayOutputStream(sb.length() + body.length);
        all.write(sb.toString().getBytes(StandardCharsets.ISO_8859_1));
        if (status != 204 && status != 304) {
            all.write(body);
        }
        out.write(all.toByteArray());
        out.flush();
    }

    private static String reason(int status) {
        return switch (status) {
            case 200 -> "OK";
            case 204 -> "No Content";
            case 429 -> "Too Many Requests";
            case 503 -> "Service Unavailable";
            default -> "Status";
        };
    }

    /** One request (request line, headers, Content-Length body), or null at end of stream. */
    private static Req read(InputStream in) throws IOException {
        String requestLine = line(in);
        if (requestLine == null || requestLine.isEmpty()) {
            return null;
        }
        String[] parts = requestLine.split(" ");
        Map<String, String> headers = new LinkedHashMap<>();
        String h;
        while ((h = line(in)) != null && !h.isEmpty()) {
            int colon = h.indexOf(':');
            headers.put(h.substring(0, colon).trim().toLowerCase(Locale.ROOT), h.substring(colon + 1).trim());
        }
        int len = Integer.parseInt(headers.getOrDefault("content-length", "0"));
        byte[] body = in.readNBytes(len);
        if (body.length < len) {
            return null;
        }
        return new Req(parts[0], parts[1], headers, body);
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        try {
            while ((c = in.read()) >= 0) {
                if (c == '\n') {
                    String s = b.toString(StandardCharsets.ISO_8859_1);
                    return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
                }
                b.write(c);
            }
        } catch (SocketException e) {
            return null;
        }
        return null;
    }

    @Override
    public void close() throws IOException {
        closed = true;
        server.close();
        synchronized (open) {
            for (Socket s : open) {
                s.close();
            }
        }
    }
}
