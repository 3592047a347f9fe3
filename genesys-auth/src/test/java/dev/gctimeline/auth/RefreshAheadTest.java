package dev.gctimeline.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.time.Duration;
import java.util.Base64;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class RefreshAheadTest extends ProviderTestSupport {

    @Test
    void sendsTheDocumentedClientCredentialsRequest() {
        server.then(TokenServer.token(tok("a"), 86400));
        AccessToken t = provider().build().token();

        assertEquals(tok("a"), t.value());
        TokenServer.Seen req = server.seen().get(0);
        assertEquals("POST", req.method());
        assertEquals("/oauth/token", req.path());
        assertEquals("application/x-www-form-urlencoded", req.header("Content-Type"));
        assertEquals("grant_type=client_credentials", req.body());
        String auth = req.header("Authorization");
        assertEquals("Basic ", auth.substring(0, 6));
        assertEquals(CLIENT_ID + ":" + SECRET,
                new String(Base64.getDecoder().decode(auth.substring(6)), StandardCharsets.UTF_8));
    }

    @Test
    void cachedTokenIsServedWithoutRequests() {
        server.then(TokenServer.token(tok("a"), 86400));
        ClientCredentialsTokenProvider p = provider().build();
        AccessToken first = p.token();
        for (int i = 0; i < 1000; i++) {
            assertEquals(first, p.token());
        }
        assertEquals(1, server.requests());
    }

    /** The lifetime is the answer's expires_in, from the minimum to the maximum Genesys allows. */
    @ParameterizedTest
    @ValueSource(longs = {300, 3600, 86400, 172800})
    void refreshesAtNinetyPercentOfExpiresIn(long lifetime) {
        server.then(TokenServer.token(tok("a"), lifetime), TokenServer.token(tok("b"), lifetime));
        ClientCredentialsTokenProvider p = provider().build();

        AccessToken a = p.token();
        assertEquals(T0.plusSeconds(lifetime), a.expiresAt());

        long ninety = lifetime * 9 / 10; // all test lifetimes are multiples of 10 s
        clock.set(T0.plusSeconds(ninety).minusMillis(1));
        assertEquals(a, p.token());
        assertEquals(1, server.requests(), "no request before 90% of the lifetime");

        clock.set(T0.plusSeconds(ninety));
        AccessToken b = p.token();
        assertEquals(2, server.requests(), "exactly one request at 90%");
        assertEquals(tok("b"), b.value());
        assertEquals(T0.plusSeconds(ninety + lifetime), b.expiresAt(), "lifetime counts from the request");

        for (int i = 0; i < 100; i++) {
            assertEquals(b, p.token());
        }
        assertEquals(2, server.requests());
    }

    @Test
    void refreshAheadFractionIsConfigurable() {
        server.then(TokenServer.token(tok("a"), 1000), TokenServer.token(tok("b"), 1000));
        ClientCredentialsTokenProvider p = provider().refreshAhead(0.5).build();
        AccessToken a = p.token();
        clock.set(T0.plusMillis(499_999));
        assertEquals(a, p.token());
        assertEquals(1, server.requests());
        clock.set(T0.plusSeconds(500));
        assertEquals(tok("b"), p.token().value());
        assertEquals(2, server.requests());
    }

    @Test
    void withoutRefreshAheadAnExpiredTokenIsReplacedOnDemand() {
        server.then(TokenServer.token(tok("a"), 300), TokenServer.token(tok("b"), 300));
        ClientCredentialsTokenProvider p = provider().refreshAhead(1.0).build();
        AccessToken a = p.token();
        clock.set(a.expiresAt().minusMillis(1));
        assertEquals(a, p.token());
        assertEquals(1, server.requests());
        clock.set(a.expiresAt());
        AccessToken b = p.token();
        assertNotEquals(a, b);
        assertEquals(2, server.requests());
    }

    @Test
    void expiresInAsStringOrFractionIsAccepted() {
        server.then(
                TokenServer.status(200, "{\"expires_in\":\"600\",\"access_token\":\"" + tok("a") + "\"}"),
                TokenServer.status(200, "{\"access_token\":\"" + tok("b") + "\",\"expires_in\":600.9,"
                        + "\"extra\":{\"nested\":[1,2,{\"access_token\":\"no\"}]}}"));
        ClientCredentialsTokenProvider p = provider().build();
        assertEquals(T0.plusSeconds(600), p.token().expiresAt());
        clock.advance(Duration.ofSeconds(600));
        AccessToken b = p.token();
        assertEquals(tok("b"), b.value());
        assertEquals(T0.plusSeconds(1200), b.expiresAt());
    }

    @Test
    void answerArrivingOneByteAtATimeIsRead() {
        String body = "{\"access_token\":\"" + tok("slow") + "\",\"token_type\":\"bearer\",\"expires_in\":86400}";
        server.then(ex -> {
            ex.sendResponseHeaders(200, 0); // chunked
            try (var out = ex.getResponseBody()) {
                for (byte b : body.getBytes(StandardCharsets.UTF_8)) {
                    out.write(b);
                    out.flush();
                }
            }
        });
        assertEquals(tok("slow"), provider().build().token().value());
    }
}
