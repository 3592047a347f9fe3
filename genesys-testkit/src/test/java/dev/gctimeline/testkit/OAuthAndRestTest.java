package dev.gctimeline.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** POST /oauth/token and the bearer check on every API call, with the JDK HttpClient. */
class OAuthAndRestTest {

    @Test
    void clientCredentialsGiveABearerTokenWithTheConfiguredLifetime() {
        try (GenesysCloudSimulator sim = GenesysCloudSimulator.builder().client("app", "s3cr3t")
                .tokenLifetime(Duration.ofSeconds(300)).build()) {
            Rest rest = new Rest(sim);
            HttpResponse<String> r = rest.tokenRequest("app", "s3cr3t", "grant_type=client_credentials");
            assertEquals(200, r.statusCode());
            assertEquals("bearer", Rest.field(r.body(), "token_type"));
            assertTrue(r.body().contains("\"expires_in\":300"), r.body());
            String token = Rest.field(r.body(), "access_token");
            assertNotNull(token);
            assertEquals(200, rest.call("GET", "/api/v2/notifications/availabletopics", token, null).statusCode());
            assertNotEquals(token, rest.login("app", "s3cr3t"), "every request issues a new token");
            assertEquals(2, sim.stats().tokensIssued());
        }
    }

    @Test
    void badCredentialsAndGrantTypesAreRefusedWithoutEchoingSecrets() {
        try (GenesysCloudSimulator sim = GenesysCloudSimulator.builder().client("app", "s3cr3t").build()) {
            Rest rest = new Rest(sim);
            HttpResponse<String> wrongSecret = rest.tokenRequest("app", "nope", "grant_type=client_credentials");
            assertEquals(401, wrongSecret.statusCode());
            assertEquals("invalid_client", Rest.field(wrongSecret.body(), "error"));
            assertFalse(wrongSecret.body().contains("nope"));
            assertEquals(401, rest.tokenRequest("other", "s3cr3t", "grant_type=client_credentials").statusCode());
            HttpResponse<String> grant = rest.tokenRequest("app", "s3cr3t", "grant_type=password");
            assertEquals(400, grant.statusCode());
            assertEquals("unsupported_grant_type", Rest.field(grant.body(), "error"));
            assertEquals(3, sim.stats().tokenRequestsRejected());
            assertFalse(sim.toString().contains("s3cr3t"));
        }
    }

    @Test
    void tokenRequestsCanBeToldToFail() {
        try (GenesysCloudSimulator sim = GenesysCloudSimulator.builder().retryAfter(Duration.ofSeconds(7)).build()) {
            Rest rest = new Rest(sim);
            sim.failNextTokenRequests(2, 429);
            sim.failNextTokenRequests(1, 401);
            sim.failNextTokenRequests(1, 500);
            HttpResponse<String> r1 = rest.tokenRequest(Rest.CLIENT, Rest.SECRET, "grant_type=client_credentials");
            assertEquals(429, r1.statusCode());
            assertEquals("7", r1.headers().firstValue("Retry-After").orElse(null));
            assertEquals(429, rest.tokenRequest(Rest.CLIENT, Rest.SECRET, "grant_type=client_credentials").statusCode());
            assertEquals(401, rest.tokenRequest(Rest.CLIENT, Rest.SECRET, "grant_type=client_credentials").statusCode());
            assertEquals(500, rest.tokenRequest(Rest.CLIENT, Rest.SECRET, "grant_type=client_credentials").statusCode());
            assertNotNull(rest.login(), "the fifth succeeds");
            assertEquals(4, sim.stats().tokenFailuresInjected());
        }
    }

    @Test
    void everyApiCallNeedsAValidBearerToken() {
        ManualClock clock = ManualClock.at(Instant.parse("2026-11-22T10:00:00Z"));
        try (GenesysCloudSimulator sim = GenesysCloudSimulator.builder().clock(clock)
                .tokenLifetime(Duration.ofSeconds(600)).build()) {
            Rest rest = new Rest(sim);
            assertEquals(401, rest.call("POST", "/api/v2/notifications/channels", null, "").statusCode());
            assertEquals(401, rest.call("POST", "/api/v2/notifications/channels", "made-up", "").statusCode());
            String token = rest.login();
            assertEquals(200, rest.call("POST", "/api/v2/notifications/channels", token, "").statusCode());

            clock.advance(Duration.ofSeconds(599));
            assertEquals(200, rest.call("GET", "/api/v2/notifications/availabletopics", token, null).statusCode());
            clock.advance(Duration.ofSeconds(1));
            HttpResponse<String> expired = rest.call("GET", "/api/v2/notifications/availabletopics", token, null);
            assertEquals(401, expired.statusCode(), "expired at issue + expires_in");
            assertFalse(expired.body().contains(token));

            String fresh = rest.login();
            assertEquals(200, rest.call("GET", "/api/v2/notifications/availabletopics", fresh, null).statusCode());
            sim.expireTokens();
            assertEquals(401, rest.call("GET", "/api/v2/notifications/availabletopics", fresh, null).statusCode());
            assertEquals(4, sim.stats().apiUnauthorized());
        }
    }

    @Test
    void apiCallsCanBeRateLimitedOnDemandAndByFault() {
        try (GenesysCloudSimulator sim = GenesysCloudSimulator.builder().retryAfter(Duration.ofSeconds(3)).build()) {
            Rest rest = new Rest(sim);
            String token = rest.login();
            sim.rateLimitNextApiCalls(2);
            HttpResponse<String> r = rest.call("POST", "/api/v2/notifications/channels", token, "");
            assertEquals(429, r.statusCode());
            assertEquals("3", r.headers().firstValue("Retry-After").orElse(null));
            assertEquals(429, rest.call("POST", "/api/v2/notifications/channels", token, "").statusCode());
            assertEquals(200, rest.call("POST", "/api/v2/notifications/channels", token, "").statusCode());
            assertEquals(2, sim.stats().rateLimited());
        }
        Faults half = Faults.builder().seed(3).rateLimit(0.5).build();
        try (GenesysCloudSimulator sim = GenesysCloudSimulator.builder().faults(half).build()) {
            Rest rest = new Rest(sim);
            String token = rest.login();
            int limited = 0;
            for (int i = 0; i < 200; i++) {
                if (rest.call("GET", "/api/v2/notifications/availabletopics", token, null).statusCode() == 429) {
                    limited++;
                }
            }
            assertTrue(limited > 60 && limited < 140, "about half of 200 calls limited, was " + limited);
            assertEquals(limited, sim.stats().rateLimited());
        }
    }

    @Test
    void unknownPathsAndMethodsAnswerLikeAnApi() {
        try (GenesysCloudSimulator sim = GenesysCloudSimulator.builder().build()) {
            Rest rest = new Rest(sim);
            String token = rest.login();
            assertEquals(404, rest.call("GET", "/api/v2/nothing/here", token, null).statusCode());
            assertEquals(405, rest.call("DELETE", "/api/v2/notifications/channels", token, null).statusCode());
            assertEquals(404, rest.call("GET", "/elsewhere", null, null).statusCode());
            HttpResponse<String> topics = rest.call("GET", "/api/v2/notifications/availabletopics", token, null);
            assertTrue(Rest.ids(topics.body()).contains("v2.detail.events.conversation.{id}.customer.start"));
            assertTrue(topics.headers().firstValue("ININ-Correlation-Id").isPresent());
        }
    }
}
