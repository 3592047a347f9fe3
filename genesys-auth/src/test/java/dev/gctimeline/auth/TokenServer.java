package dev.gctimeline.auth;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A scripted OAuth token endpoint on the JDK's HttpServer, bound to 127.0.0.1 on a free port.
 * Each request takes the next scripted reply (the last one repeats); the server counts requests
 * itself, so single-flight tests count what really arrived on the wire.
 */
final class TokenServer implements AutoCloseable {

    /** What the server does with one request. */
    @FunctionalInterface
    interface Reply {
        void handle(HttpExchange exchange) throws IOException;
    }

    /** A request as the server saw it. */
    record Seen(String method, String path, Map<String, List<String>> headers, String body) {
        String header(String name) {
            List<String> v = headers.get(name);
            return v == null || v.isEmpty() ? null : v.get(0);
        }
    }

    private final HttpServer server;
    private final ExecutorService pool = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "token-server");
        t.setDaemon(true);
        return t;
    });
    private final Deque<Reply> script = new ArrayDeque<>();
    private final AtomicInteger requests = new AtomicInteger();
    private final List<Seen> seen = new CopyOnWriteArrayList<>();

    TokenServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(pool);
        server.createContext("/", this::serve);
        server.start();
    }

    /** Replies in this order; the last one repeats for every further request. */
    synchronized TokenServer then(Reply... replies) {
        for (Reply r : replies) {
            script.addLast(r);
        }
        return this;
    }

    int requests() {
        return requests.get();
    }

    List<Seen> seen() {
        return seen;
    }

    String base() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    GenesysEndpoints endpoints() {
        return GenesysEndpoints.builder().api(base()).login(base()).streaming("ws://127.0.0.1:" + server.getAddress().getPort())
                .build();
    }

    private void serve(HttpExchange ex) throws IOException {
        try (ex) {
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Map<String, List<String>> headers = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            headers.putAll(ex.getRequestHeaders());
            seen.add(new Seen(ex.getRequestMethod(), ex.getRequestURI().getPath(), headers, body));
            requests.incrementAndGet();
            Reply reply;
            synchronized (this) {
                reply = script.size() > 1 ? script.pollFirst() : script.peekFirst();
            }
            if (reply == null) {
                send(ex, 500, "{\"error\":\"unscripted\"}");
            } else {
                reply.handle(ex);
            }
        }
    }

    // ---- reply helpers -------------------------------------------------------------------

    static Reply token(String value, long expiresIn) {
        return ex -> send(ex, 200, "{\"access_token\":\"" + value + "\",\"token_type\":\"bearer\",\"expires_in\":"
                + expiresIn + "}");
    }

    static Reply status(int status, String body, String... headerPairs) {
        return ex -> {
            for (int i = 0; i < headerPairs.length; i += 2) {
                ex.getResponseHeaders().add(headerPairs[i], headerPairs[i + 1]);
            }
            send(ex, status, body);
        };
    }

    static void send(HttpExchange ex, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            try (OutputStream out = ex.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        pool.shutdownNow();
        try {
            pool.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
