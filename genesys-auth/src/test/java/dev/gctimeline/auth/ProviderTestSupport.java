package dev.gctimeline.auth;

import dev.gctimeline.testkit.LogCapture;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * Shared fixture: a scripted token server, a clock that only moves when told, recorded (not slept)
 * retry pauses, and a check after every test that no log line carried a secret.
 */
abstract class ProviderTestSupport {
    static final String CLIENT_ID = "6b1d4c2e-7f00-4a4a-9b9b-123456789abc";
    /** Distinctive, so a leak anywhere is found by a plain substring search. */
    static final String SECRET = "Sx9-CLIENT-SECRET-qv7Lm2";
    static final String BASIC = Base64.getEncoder()
            .encodeToString((CLIENT_ID + ":" + SECRET).getBytes(StandardCharsets.UTF_8));
    /** Every token the test servers issue starts with this. */
    static final String TOKEN_PREFIX = "TOKEN-SECRET-";
    static final Instant T0 = Instant.parse("2024-11-22T10:00:00Z");

    TokenServer server;
    MutableClock clock;
    final List<Duration> sleeps = new CopyOnWriteArrayList<>();
    private int logMark;

    @BeforeEach
    void startServer() throws Exception {
        logMark = LogCapture.mark();
        server = new TokenServer();
        clock = new MutableClock(T0);
    }

    @AfterEach
    void stopServerAndCheckLogs() {
        server.close();
        String logs = LogCapture.since(logMark);
        assertNoSecret("log output", logs);
    }

    /** Waits (at most 30 s) until the server has counted {@code n} requests; the caller asserts the count. */
    void awaitRequests(int n) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (server.requests() < n && System.nanoTime() - deadline < 0) {
            Thread.sleep(5);
        }
    }

    static String tok(String name) {
        return TOKEN_PREFIX + name;
    }

    /** A provider against the test server: fake clock, recorded pauses, refreshes on the calling thread. */
    ClientCredentialsTokenProvider.Builder provider() {
        return ClientCredentialsTokenProvider.builder()
                .endpoints(server.endpoints())
                .clientId(CLIENT_ID)
                .clientSecret(SECRET.toCharArray())
                .clock(clock)
                .sleeper(d -> sleeps.add(d))
                .requestTimeout(Duration.ofSeconds(5))
                .refreshExecutor(Runnable::run);
    }

    static void assertNoSecret(String where, String text) {
        if (text == null) {
            return;
        }
        assertFalse(text.contains(SECRET), () -> where + " contains the client secret: " + text);
        assertFalse(text.contains(BASIC), () -> where + " contains the Basic credentials: " + text);
        assertFalse(text.contains(TOKEN_PREFIX), () -> where + " contains a token: " + text);
    }

    /** Checks message and toString of the throwable, its causes and suppressed ones. */
    static void assertNoSecretInChain(Throwable t) {
        List<Throwable> todo = new ArrayList<>(List.of(t));
        int guard = 0;
        while (!todo.isEmpty() && guard++ < 100) {
            Throwable x = todo.remove(0);
            assertNoSecret(x.getClass().getName() + " message", x.getMessage());
            assertNoSecret(x.getClass().getName() + " toString", x.toString());
            assertNoSecret(x.getClass().getName() + " localized message", x.getLocalizedMessage());
            if (x.getCause() != null && x.getCause() != x) {
                todo.add(x.getCause());
            }
            todo.addAll(List.of(x.getSuppressed()));
        }
    }
}
