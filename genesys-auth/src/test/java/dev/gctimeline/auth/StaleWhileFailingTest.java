package dev.gctimeline.auth;

import dev.gctimeline.testkit.LogCapture;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A token still in date keeps being served while its renewal fails. */
class StaleWhileFailingTest extends ProviderTestSupport {

    @Test
    void cachedTokenIsServedWhileTheServerFailsThenTypedFailureAfterExpiry() {
        server.then(TokenServer.token(tok("a"), 300), TokenServer.status(500, "{\"message\":\"down\"}"));
        ClientCredentialsTokenProvider p = provider().build();
        AccessToken a = p.token();
        int mark = LogCapture.mark();

        clock.set(T0.plusSeconds(285)); // past 90%
        assertEquals(a, p.token(), "the failed refresh still leaves the valid token in service");
        assertEquals(1 + 4, server.requests(), "one refresh: first attempt and three retries");
        String logs = LogCapture.since(mark);
        assertTrue(logs.contains("WARN"), logs);
        assertTrue(logs.contains("still serving the cached token, valid until " + a.expiresAt()), logs);
        assertTrue(logs.contains("127.0.0.1"), logs);
        assertNoSecret("warning", logs);

        // No hammering: the next attempt waits (5 s after the first failure).
        assertEquals(a, p.token());
        clock.advance(Duration.ofMillis(4999));
        assertEquals(a, p.token());
        assertEquals(5, server.requests());
        clock.advance(Duration.ofMillis(1));
        assertEquals(a, p.token());
        assertEquals(9, server.requests(), "second refresh after the pause");

        // The pause doubles: 10 s now.
        clock.advance(Duration.ofMillis(9999));
        assertEquals(a, p.token());
        assertEquals(9, server.requests());

        // Expired: now callers wait for a request of their own and get the typed failure.
        clock.set(a.expiresAt());
        ServerErrorException e = assertThrows(ServerErrorException.class, p::token);
        assertNoSecretInChain(e);
        assertEquals(13, server.requests());
    }

    @Test
    void recoveryAfterFailedRefreshes() {
        server.then(TokenServer.token(tok("a"), 300), TokenServer.status(503, ""), TokenServer.status(503, ""),
                TokenServer.status(503, ""), TokenServer.status(503, ""), TokenServer.token(tok("b"), 300));
        ClientCredentialsTokenProvider p = provider().build();
        AccessToken a = p.token();
        clock.set(T0.plusSeconds(271));
        assertEquals(a, p.token());
        assertEquals(5, server.requests());
        clock.advance(Duration.ofSeconds(5));
        AccessToken b = p.token();
        assertEquals(tok("b"), b.value());
        assertEquals(T0.plusSeconds(276 + 300), b.expiresAt());
    }

    @Test
    void rateLimitedRefreshKeepsServingAndWaitsForRetryAfter() {
        server.then(TokenServer.token(tok("a"), 300), TokenServer.status(429, "", "Retry-After", "20"),
                TokenServer.token(tok("b"), 300));
        ClientCredentialsTokenProvider p = provider().build();
        AccessToken a = p.token();
        clock.set(T0.plusSeconds(270));
        assertEquals(a, p.token());
        assertEquals(2, server.requests());
        clock.advance(Duration.ofSeconds(19)); // past the 5 s pause, not past Retry-After
        assertEquals(a, p.token());
        assertEquals(2, server.requests());
        clock.advance(Duration.ofSeconds(1));
        assertEquals(tok("b"), p.token().value());
        assertEquals(3, server.requests());
    }

    @Test
    void badCredentialsDuringRefreshAlsoKeepTheValidToken() {
        server.then(TokenServer.token(tok("a"), 300), TokenServer.status(401, ""));
        ClientCredentialsTokenProvider p = provider().build();
        AccessToken a = p.token();
        clock.set(T0.plusSeconds(290));
        assertEquals(a, p.token());
        clock.set(a.expiresAt());
        assertNoSecretInChain(assertThrows(BadCredentialsException.class, p::token));
    }
}
