package dev.gctimeline.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.OptionalInt;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** Every answer the token endpoint can give, and what the caller gets for it. */
class FailureTest extends ProviderTestSupport {

    private <T extends Throwable> T fails(Class<T> type, ClientCredentialsTokenProvider p) {
        T e = assertThrows(type, p::token);
        assertNoSecretInChain(e);
        return e;
    }

    @Test
    void invalidClientIsBadCredentials() {
        server.then(TokenServer.status(400, "{\"error\":\"invalid_client\",\"description\":\"client not found\"}",
                "ININ-Correlation-Id", "corr-123"));
        BadCredentialsException e = fails(BadCredentialsException.class, provider().build());
        assertEquals(OptionalInt.of(400), e.statusCode());
        assertEquals("corr-123", e.correlationId().orElseThrow());
        String m = e.getMessage();
        assertTrue(m.contains("invalid_client"), m);
        assertTrue(m.contains("client not found"), m);
        assertTrue(m.contains("check the OAuth client id (6b1d4c2e...) and secret for 127.0.0.1:"), m);
        assertTrue(m.contains("Client Credentials grant"), m);
        assertTrue(m.contains("corr-123"), m);
        assertEquals(1, server.requests(), "bad credentials are not retried");
        assertEquals(0, sleeps.size());
    }

    @Test
    void unauthorizedIsBadCredentials() {
        server.then(TokenServer.status(401, ""));
        BadCredentialsException e = fails(BadCredentialsException.class, provider().build());
        assertEquals(OptionalInt.of(401), e.statusCode());
        assertTrue(e.getMessage().contains("HTTP 401"), e.getMessage());
        assertEquals(1, server.requests());
    }

    @Test
    void otherBadRequestIsAPlainAuthFailureNotRetried() {
        server.then(TokenServer.status(400, "{\"error\":\"invalid_request\"}"));
        GenesysAuthException e = fails(GenesysAuthException.class, provider().build());
        assertSame(GenesysAuthException.class, e.getClass());
        assertTrue(e.getMessage().contains("invalid_request"), e.getMessage());
        assertEquals(1, server.requests());
    }

    @Test
    void forbiddenIsMissingPermission() {
        server.then(TokenServer.status(403, "{\"message\":\"Organization is disabled\"}"));
        MissingPermissionException e = fails(MissingPermissionException.class, provider().build());
        assertEquals(OptionalInt.of(403), e.statusCode());
        assertTrue(e.getMessage().contains("roles"), e.getMessage());
        assertTrue(e.getMessage().contains("Organization is disabled"), e.getMessage());
        assertEquals(1, server.requests());
    }

    @Test
    void tooManyRequestsCarriesRetryAfterAndIsHonoured() {
        server.then(TokenServer.status(429, "{}", "Retry-After", "7"), TokenServer.token(tok("a"), 86400));
        ClientCredentialsTokenProvider p = provider().build();
        RateLimitedException e = fails(RateLimitedException.class, p);
        assertEquals(Duration.ofSeconds(7), e.retryAfter());
        assertEquals(OptionalInt.of(429), e.statusCode());
        assertEquals(1, server.requests());

        // Asking again before Retry-After has passed makes no request.
        clock.advance(Duration.ofSeconds(3));
        RateLimitedException again = fails(RateLimitedException.class, p);
        assertEquals(Duration.ofSeconds(4), again.retryAfter());
        assertEquals(1, server.requests());

        clock.advance(Duration.ofSeconds(4));
        assertEquals(tok("a"), p.token().value());
        assertEquals(2, server.requests());
    }

    @Test
    void retryAfterAsHttpDate() {
        String date = DateTimeFormatter.RFC_1123_DATE_TIME.format(T0.plusSeconds(90).atOffset(ZoneOffset.UTC));
        server.then(TokenServer.status(429, "", "Retry-After", date));
        RateLimitedException e = fails(RateLimitedException.class, provider().build());
        assertEquals(Duration.ofSeconds(90), e.retryAfter());
    }

    @Test
    void tooManyRequestsWithoutRetryAfterWaitsAMinute() {
        server.then(TokenServer.status(429, ""));
        assertEquals(Duration.ofSeconds(60), fails(RateLimitedException.class, provider().build()).retryAfter());
    }

    @Test
    void serverErrorsWithinTheBoundAreRetriedWithBackoff() {
        server.then(TokenServer.status(500, ""), TokenServer.status(502, ""), TokenServer.status(503, ""),
                TokenServer.token(tok("a"), 86400));
        AccessToken t = provider().build().token();
        assertEquals(tok("a"), t.value());
        assertEquals(4, server.requests());
        assertEquals(3, sleeps.size());
        long step = 500;
        for (Duration d : sleeps) {
            assertTrue(d.toMillis() >= step / 2 && d.toMillis() <= step, "jittered wait " + d + " for step " + step);
            step *= 2;
        }
    }

    @Test
    void serverErrorsBeyondTheBoundFailTyped() {
        server.then(TokenServer.status(500, "<html>oops</html>"));
        ServerErrorException e = fails(ServerErrorException.class, provider().maxRetries(2).build());
        assertEquals(3, e.attempts());
        assertEquals(OptionalInt.of(500), e.statusCode());
        assertEquals(3, server.requests());
        assertEquals(2, sleeps.size());
        assertTrue(e.getMessage().contains("HTTP 500 to 3 attempts"), e.getMessage());
    }

    @Test
    void defaultBoundIsThreeRetries() {
        server.then(TokenServer.status(503, ""));
        ServerErrorException e = fails(ServerErrorException.class, provider().build());
        assertEquals(4, e.attempts());
        assertEquals(4, server.requests());
    }

    @Test
    void serviceUnavailableRetryAfterIsHonouredWhenShort() {
        server.then(TokenServer.status(503, "", "Retry-After", "3"), TokenServer.token(tok("a"), 86400));
        provider().build().token();
        assertEquals(Duration.ofSeconds(3), sleeps.get(0));
    }

    @Test
    void connectionRefusedIsUnreachable() throws Exception {
        // A port bound but not listening refuses every connection, and while it stays bound no other
        // process can take it (a port freed before the test connects could be reused by anyone).
        try (Socket hold = new Socket()) {
            hold.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            int port = hold.getLocalPort();
            GenesysEndpoints closed = GenesysEndpoints.builder().api("http://127.0.0.1:" + port)
                    .login("http://127.0.0.1:" + port).streaming("ws://127.0.0.1:" + port).build();
            UnreachableException e = fails(UnreachableException.class, provider().endpoints(closed).maxRetries(2).build());
            assertEquals(3, e.attempts());
            assertEquals(2, sleeps.size());
            assertNotNull(e.getCause());
            assertTrue(e.getMessage().contains("refused"), e.getMessage());
            assertTrue(e.getMessage().contains("Check the region or login URL"), e.getMessage());
        }
    }

    @Test
    void serverThatNeverAnswersTimesOut() throws Exception {
        CountDownLatch never = new CountDownLatch(1);
        server.then(ex -> {
            try {
                never.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        try {
            // 1 s, not less: the timer also covers connecting and sending, which a loaded machine
            // may delay; the test must time out waiting for the answer, not before the request left.
            UnreachableException e = fails(UnreachableException.class,
                    provider().requestTimeout(Duration.ofSeconds(1)).maxRetries(1).build());
            assertEquals(2, e.attempts());
            // The client gives up on its own clock; the server's handler may count the second
            // request a moment later.
            awaitRequests(2);
            assertEquals(2, server.requests());
            assertInstanceOf(HttpTimeoutException.class, e.getCause());
            assertTrue(e.getMessage().contains("no answer within 1000 ms"), e.getMessage());
        } finally {
            never.countDown();
        }
    }

    @Test
    void bodyThatNeverEndsTimesOut() {
        CountDownLatch never = new CountDownLatch(1);
        server.then(ex -> {
            ex.sendResponseHeaders(200, 1000);
            ex.getResponseBody().write("{\"access_token\":".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            ex.getResponseBody().flush();
            try {
                never.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        try {
            UnreachableException e = fails(UnreachableException.class,
                    provider().requestTimeout(Duration.ofMillis(200)).maxRetries(0).build());
            assertEquals(1, e.attempts());
        } finally {
            never.countDown();
        }
    }

    @Test
    void oversizeAnswerIsRejectedWithoutRetry() {
        server.then(TokenServer.status(200, "{\"pad\":\"" + "x".repeat(100_000) + "\"}"));
        GenesysAuthException e = fails(GenesysAuthException.class, provider().build());
        assertSame(GenesysAuthException.class, e.getClass());
        assertTrue(e.getMessage().contains("larger than"), e.getMessage());
        assertEquals(1, server.requests());
    }

    @Test
    void answerWithoutTokenOrLifetimeIsRejected() {
        server.then(TokenServer.status(200, "{\"access_token\":\"" + tok("x") + "\"}"),
                TokenServer.status(200, "{\"expires_in\":300}"),
                TokenServer.status(200, "<html>login page</html>"),
                TokenServer.status(200, "{\"access_token\":\"" + tok("x") + "\",\"expires_in\":0}"));
        ClientCredentialsTokenProvider p = provider().build();
        for (String expected : new String[] {"no positive expires_in", "no access_token", "not valid JSON",
                "no positive expires_in"}) {
            String m = fails(GenesysAuthException.class, p).getMessage();
            assertTrue(m.contains(expected) && m.contains("check that the login URL"), m);
        }
        assertEquals(4, server.requests(), "a malformed 200 is not retried");
    }

    @Test
    void unexpectedStatusPointsAtTheUrl() {
        server.then(TokenServer.status(404, "not here"));
        GenesysAuthException e = fails(GenesysAuthException.class, provider().build());
        assertSame(GenesysAuthException.class, e.getClass());
        assertTrue(e.getMessage().contains("check that the login URL"), e.getMessage());
    }

    @Test
    void redirectIsNotFollowed() {
        server.then(TokenServer.status(302, "", "Location", "http://127.0.0.1:1/elsewhere"));
        GenesysAuthException e = fails(GenesysAuthException.class, provider().build());
        assertEquals(OptionalInt.of(302), e.statusCode());
        assertEquals(1, server.requests());
    }

    @Test
    void everyWaiterGetsTheTypedFailureOfTheSharedRequest() throws Exception {
        server.then(ex -> {
            try {
                Thread.sleep(50); // let the other callers join the flight
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            TokenServer.send(ex, 401, "");
        });
        ClientCredentialsTokenProvider p = provider().build();
        int n = 20;
        CountDownLatch go = new CountDownLatch(1);
        Throwable[] got = new Throwable[n];
        Thread[] threads = new Thread[n];
        for (int i = 0; i < n; i++) {
            int k = i;
            threads[i] = new Thread(() -> {
                try {
                    go.await();
                    p.token();
                } catch (Throwable t) {
                    got[k] = t;
                }
            });
            threads[i].start();
        }
        go.countDown();
        for (Thread t : threads) {
            t.join();
        }
        for (Throwable t : got) {
            assertInstanceOf(BadCredentialsException.class, t);
        }
        assertTrue(server.requests() >= 1 && server.requests() <= n, "requests: " + server.requests());
    }
}
