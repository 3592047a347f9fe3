package dev.gctimeline.testkit;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** A JDK java.net.http.WebSocket client that collects whole text messages. */
final class JdkWs implements WebSocket.Listener {
    final BlockingQueue<String> messages = new LinkedBlockingQueue<>();
    final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private final StringBuilder partial = new StringBuilder();
    volatile WebSocket socket;

    static JdkWs connect(HttpClient http, String uri) {
        return connect(http, uri, null);
    }

    /** Connects with an {@code Authorization} handshake header (when not null). */
    static JdkWs connect(HttpClient http, String uri, String authorization) {
        JdkWs l = new JdkWs();
        WebSocket.Builder b = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5));
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        l.socket = b.buildAsync(URI.create(uri), l).orTimeout(10, TimeUnit.SECONDS).join();
        return l;
    }

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            messages.add(partial.toString());
            partial.setLength(0);
        }
        ws.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
        closed.complete(statusCode);
        return null;
    }

    @Override
    public void onError(WebSocket ws, Throwable error) {
        closed.completeExceptionally(error);
    }

    /** The next message, or null after the timeout. */
    String next(Duration timeout) throws InterruptedException {
        return messages.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Messages until {@code count} matching ones arrived (non-matching ones dropped); fails on timeout. */
    List<String> take(int count, Predicate<String> keep, Duration timeout) throws InterruptedException {
        List<String> out = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (out.size() < count) {
            long left = deadline - System.nanoTime();
            String m = left <= 0 ? null : messages.poll(left, TimeUnit.NANOSECONDS);
            if (m == null) {
                throw new AssertionError("got " + out.size() + " of " + count + " messages before the timeout: " + out);
            }
            if (keep.test(m)) {
                out.add(m);
            }
        }
        return out;
    }

    static boolean isHeartbeat(String m) {
        return m.contains("\"WebSocket Heartbeat\"");
    }

    void sendText(String text) {
        socket.sendText(text, true).orTimeout(5, TimeUnit.SECONDS).join();
    }

    void abort() {
        socket.abort();
    }
}
