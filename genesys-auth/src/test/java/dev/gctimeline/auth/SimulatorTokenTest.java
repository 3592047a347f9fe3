package dev.gctimeline.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gctimeline.testkit.GenesysCloudSimulator;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** The provider against the testkit's simulated Genesys Cloud, as the stream uses it. */
class SimulatorTokenTest {
    private static final String SECRET = "s3cr3t-simulator-secret";

    private static ClientCredentialsTokenProvider provider(GenesysCloudSimulator sim, String secret) {
        GenesysEndpoints endpoints = GenesysEndpoints.builder().api(sim.baseUri()).login(sim.baseUri())
                .streaming(URI.create("ws://127.0.0.1:" + sim.webSocketPort())).build();
        return ClientCredentialsTokenProvider.builder().clientId("client").clientSecret(secret).endpoints(endpoints)
                .maxRetries(2).retryBackoff(Duration.ofMillis(10)).refreshExecutor(Runnable::run).build();
    }

    private static int createChannel(GenesysCloudSimulator sim, AccessToken token) throws Exception {
        HttpRequest r = HttpRequest.newBuilder(sim.baseUri().resolve("/api/v2/notifications/channels"))
                .header("Authorization", token.authorization()).POST(HttpRequest.BodyPublishers.ofString("{}")).build();
        return HttpClient.newHttpClient().send(r, HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    @Test
    void aTokenFromTheSimulatorOpensItsApiAndSingleFlightHolds() throws Exception {
        try (GenesysCloudSimulator sim = GenesysCloudSimulator.builder().client("client", SECRET)
                .tokenLifetime(Duration.ofHours(1)).heartbeatInterval(Duration.ZERO).build()) {
            ClientCredentialsTokenProvider tokens = provider(sim, SECRET);
            ExecutorService pool = Executors.newFixedThreadPool(32);
            try {
                CountDownLatch go = new CountDownLatch(1);
                List<Future<AccessToken>> asks = new ArrayList<>();
                for (int i = 0; i < 100; i++) {
                    asks.add(pool.submit(() -> {
                        go.await();
                        return tokens.token();
                    }));
                }
                go.countDown();
                AccessToken first = asks.get(0).get();
                for (Future<AccessToken> f : asks) {
                    assertEquals(first, f.get());
                }
                assertEquals(1, sim.stats().tokensIssued(), "100 concurrent asks, one token request");
            } finally {
                pool.shutdownNow();
            }
            AccessToken token = tokens.token();
            assertEquals(200, createChannel(sim, token));

            // The simulator expires every token (as a revoked or lapsed token would): the API says 401,
            // invalidate() gets a new one, and that one works.
            sim.expireTokens();
            assertEquals(401, createChannel(sim, token));
            tokens.invalidate(token);
            AccessToken fresh = tokens.token();
            assertNotEquals(token.value(), fresh.value());
            assertEquals(200, createChannel(sim, fresh));
        }
    }

    @Test
    void theSimulatorsRefusalsBecomeTypedFailuresWithoutSecrets() {
        try (GenesysCloudSimulator sim = GenesysCloudSimulator.builder().client("client", SECRET)
                .heartbeatInterval(Duration.ZERO).build()) {
            BadCredentialsException bad = assertThrows(BadCredentialsException.class,
                    () -> provider(sim, "wrong-secret-value").token());
            assertFalse(bad.getMessage().contains("wrong-secret-value"));

            sim.failNextTokenRequests(1, 429);
            RateLimitedException limited = assertThrows(RateLimitedException.class, () -> provider(sim, SECRET).token());
            assertFalse(limited.getMessage().contains(SECRET));

            sim.failNextTokenRequests(3, 500); // exactly the bound: 1 try + 2 retries
            ServerErrorException failing = assertThrows(ServerErrorException.class, () -> provider(sim, SECRET).token());
            assertFalse(failing.toString().contains(SECRET));

            sim.failNextTokenRequests(1, 500);
            AccessToken ok = provider(sim, SECRET).token(); // one 500, then success within the retry bound
            assertTrue(ok.value().length() > 0);
            assertFalse(ok.toString().contains(ok.value()));
        }
    }
}
