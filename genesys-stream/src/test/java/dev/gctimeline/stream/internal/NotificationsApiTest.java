package dev.gctimeline.stream.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.gctimeline.auth.AccessToken;
import dev.gctimeline.auth.ClientCredentialsTokenProvider;
import dev.gctimeline.auth.GenesysEndpoints;
import dev.gctimeline.auth.TokenProvider;
import dev.gctimeline.testkit.GenesysCloudSimulator;
import dev.gctimeline.testkit.ManualClock;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The notifications REST client against the simulator and against a scripted JDK HttpServer. */
class NotificationsApiTest {
    private static final String CHANNEL = "streaming-0-q8rvm3k2tjs5e1secretpart";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** Two tokens, handed out in turn as the current one is invalidated. */
    static final class TwoTokens implements TokenProvider {
        final AccessToken first = new AccessToken("first-token-VALUE-7f3a", Instant.now().plusSeconds(3_600));
        final AccessToken second = new AccessToken("second-token-VALUE-9c2b", Instant.now().plusSeconds(3_600));
        final List<AccessToken> invalidated = new CopyOnWriteArrayList<>();
        private volatile AccessToken current = first;

        @Override
        public AccessToken token() {
            return current;
        }

        @Override
        public void invalidate(AccessToken seenBad) {
            invalidated.add(seenBad);
            if (seenBad.equals(current)) {
                current = current == first ? second : first;
            }
        }
    }

    record Request(String method, String uri, String authorization, String contentType, String body) {
    }

    record Answer(int status, Map<String, String> headers, String body) {
        static Answer of(int status, String body) {
            return new Answer(status, Map.of(), body);
        }
    }

    /** A loopback HTTP server that answers from a script and records every request. */
    static final class Scripted implements AutoCloseable {
        final HttpServer server;
        final Deque<Answer> script = new ArrayDeque<>();
        final List<Request> requests = new CopyOnWriteArrayList<>();

        Scripted(Answer... answers) throws IOException {
            script.addAll(List.of(answers));
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.createContext("/", ex -> {
                try (InputStream in = ex.getRequestBody()) {
                    requests.add(new Request(ex.getRequestMethod(), ex.getRequestURI().toString(),
                            ex.getRequestHeaders().getFirst("Authorization"), ex.getRequestHeaders().getFirst("Content-Type"),
                            new String(in.readAllBytes(), StandardCharsets.UTF_8)));
                }
                Answer a;
                synchronized (script) {
                    a = script.isEmpty() ? Answer.of(500, "{\"message\":\"script exhausted\"}") : script.poll();
                }
                a.headers().forEach((k, v) -> ex.getResponseHeaders().add(k, v));
                byte[] body = a.body().getBytes(StandardCharsets.UTF_8);
                ex.sendResponseHeaders(a.status(), body.length == 0 ? -1 : body.length);
                if (body.length > 0) {
                    ex.getResponseBody().write(body);
                }
                ex.close();
            });
            server.start();
        }

        URI base() {
            return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }

    private static NotificationsApi api(URI base, TokenProvider tokens) {
        return new NotificationsApi(HTTP, base, tokens, Duration.ofSeconds(5));
    }

    private static void assertNoSecrets(String message, TwoTokens tokens) {
        assertFalse(message.contains(CHANNEL), "whole channel id in: " + message);
        assertFalse(message.contains(tokens.first.value()) || message.contains(tokens.second.value()),
                "token in: " + message);
    }

    @Test
    void a401InvalidatesThatTokenAndRetriesOnceWithAFreshOne() throws Exception {
        try (Scripted s = new Scripted(Answer.of(401, "{\"message\":\"token expired\"}"),
                Answer.of(200, "{\"entities\":[]}"))) {
            TwoTokens tokens = new TwoTokens();
            api(s.base(), tokens).replaceSubscriptions(CHANNEL, List.of("v2.routing.queues.q1.conversations", "t\"2"));
            assertEquals(2, s.requests.size());
            assertEquals("Bearer " + tokens.first.value(), s.requests.get(0).authorization());
            assertEquals("Bearer " + tokens.second.value(), s.requests.get(1).authorization());
            assertEquals(List.of(tokens.first), tokens.invalidated, "exactly the refused token, once");
            Request r = s.requests.get(1);
            assertEquals("PUT", r.method());
            assertEquals("/api/v2/notifications/channels/" + CHANNEL + "/subscriptions?ignoreErrors=true", r.uri());
            assertEquals("application/json", r.contentType());
            assertEquals("[{\"id\":\"v2.routing.queues.q1.conversations\"},{\"id\":\"t\\\"2\"}]", r.body());
        }
    }

    @Test
    void a401WithTheFreshTokenTooFailsLoudlyAfterOneRetry() throws Exception {
        try (Scripted s = new Scripted(Answer.of(401, ""), Answer.of(401, ""), Answer.of(200, "{}"))) {
            TwoTokens tokens = new TwoTokens();
            NotificationsApiException e = assertThrows(NotificationsApiException.class,
                    () -> api(s.base(), tokens).addSubscriptions(CHANNEL, List.of("t1")));
            assertEquals(2, s.requests.size(), "one retry, no loop");
            assertEquals(401, e.status());
            assertTrue(e.terminal());
            assertTrue(e.getMessage().contains("check the OAuth client"), e.getMessage());
            assertNoSecrets(e.getMessage(), tokens);
        }
    }

    @Test
    void a403StopsWithAMessageSayingWhichPermissionsToCheck() throws Exception {
        try (Scripted s = new Scripted(Answer.of(403, "{\"message\":\"missing permission\"}"))) {
            TwoTokens tokens = new TwoTokens();
            NotificationsApiException e = assertThrows(NotificationsApiException.class,
                    () -> api(s.base(), tokens).replaceSubscriptions(CHANNEL, List.of("t1")));
            assertEquals(1, s.requests.size(), "a 403 is not retried");
            assertEquals(403, e.status());
            assertTrue(e.terminal());
            assertTrue(e.getMessage().contains("missing permission") && e.getMessage().contains("roles"), e.getMessage());
            assertTrue(e.getMessage().contains(Channel.redact(CHANNEL)), "the channel, redacted: " + e.getMessage());
            assertNoSecrets(e.getMessage(), tokens);
            assertEquals(List.of(), tokens.invalidated);
        }
    }

    @Test
    void a429CarriesRetryAfterAndIsNotTerminal() throws Exception {
        try (Scripted s = new Scripted(
                new Answer(429, Map.of("Retry-After", "7", "ININ-Correlation-Id", "corr-1"), "{}"),
                Answer.of(429, "{}"),
                new Answer(503, Map.of("Retry-After", "3"), "{}"),
                new Answer(429, Map.of("Retry-After", "soon"), "{}"))) {
            TwoTokens tokens = new TwoTokens();
            NotificationsApi api = api(s.base(), tokens);
            NotificationsApiException e = assertThrows(NotificationsApiException.class, api::createChannel);
            assertEquals(429, e.status());
            assertFalse(e.terminal());
            assertEquals(Duration.ofSeconds(7), e.retryAfter());
            assertTrue(e.getMessage().contains("corr-1"), "the correlation id helps support: " + e.getMessage());
            NotificationsApiException bare = assertThrows(NotificationsApiException.class, api::createChannel);
            assertNull(bare.retryAfter());
            NotificationsApiException unavailable = assertThrows(NotificationsApiException.class,
                    () -> api.addSubscriptions(CHANNEL, List.of("t")));
            assertEquals(503, unavailable.status());
            assertFalse(unavailable.terminal());
            assertEquals(Duration.ofSeconds(3), unavailable.retryAfter());
            NotificationsApiException unreadable = assertThrows(NotificationsApiException.class, api::createChannel);
            assertNull(unreadable.retryAfter(), "an unreadable Retry-After is no floor");
            for (NotificationsApiException x : List.of(e, bare, unavailable, unreadable)) {
                assertNoSecrets(x.getMessage(), tokens);
            }
        }
    }

    @Test
    void channelIdsAndTokensNeverReachAnExceptionMessage() throws Exception {
        TwoTokens tokens = new TwoTokens();
        // A server that echoes both secrets in its error body.
        String echo = "{\"message\":\"bad topic for channel " + CHANNEL + " with token " + tokens.first.value() + "\"}";
        try (Scripted s = new Scripted(Answer.of(400, echo), Answer.of(404, echo), Answer.of(500, echo),
                Answer.of(404, ""))) {
            NotificationsApi api = api(s.base(), tokens);
            NotificationsApiException bad = assertThrows(NotificationsApiException.class,
                    () -> api.replaceSubscriptions(CHANNEL, List.of("not a topic")));
            assertEquals(400, bad.status());
            assertTrue(bad.terminal(), "a 400 will not change by retrying");
            assertTrue(bad.getMessage().contains("bad topic"), "the server's reason is kept: " + bad.getMessage());
            NotificationsApiException gone = assertThrows(NotificationsApiException.class,
                    () -> api.addSubscriptions(CHANNEL, List.of("t")));
            assertEquals(404, gone.status());
            assertFalse(gone.terminal());
            NotificationsApiException failed = assertThrows(NotificationsApiException.class,
                    () -> api.removeAllSubscriptions(CHANNEL));
            assertEquals(500, failed.status());
            assertFalse(api.channelExists(CHANNEL), "HEAD 404: the channel is gone");
            for (NotificationsApiException x : List.of(bad, gone, failed)) {
                assertNoSecrets(x.getMessage(), tokens);
                assertNoSecrets(String.valueOf(x), tokens);
            }
            assertEquals(List.of("PUT", "POST", "DELETE", "HEAD"), s.requests.stream().map(Request::method).toList());
            assertEquals("/api/v2/notifications/channels/" + CHANNEL + "/subscriptions", s.requests.get(2).uri());
        }
        // A port held by a bound socket that does not listen: connections to it are refused, and no
        // other process can take it meanwhile (a port probed free and closed could be taken again).
        try (Socket holder = new Socket()) {
            holder.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            URI nowhere = URI.create("http://127.0.0.1:" + holder.getLocalPort());
            NotificationsApiException unreachable = assertThrows(NotificationsApiException.class,
                    () -> api(nowhere, tokens).replaceSubscriptions(CHANNEL, List.of("t")));
            assertEquals(0, unreachable.status());
            assertFalse(unreachable.terminal());
            assertTrue(unreachable.getMessage().contains("could not reach"), unreachable.getMessage());
            assertNoSecrets(unreachable.getMessage(), tokens);
        }
    }

    @Test
    void channelAnswersThatCannotBeUsedAreTypedFailures() throws Exception {
        try (Scripted s = new Scripted(Answer.of(200, "not json"), Answer.of(200, "{\"id\":\"x\"}"),
                Answer.of(200, "[1]"), Answer.of(200,
                        "{\"connectUri\":\"ws://127.0.0.1:1/channels/x\",\"id\":\"x\",\"expires\":\"next week\"}"))) {
            NotificationsApi api = api(s.base(), new TwoTokens());
            assertThrows(NotificationsApiException.class, api::createChannel);
            assertThrows(NotificationsApiException.class, api::createChannel, "no connectUri");
            assertThrows(NotificationsApiException.class, api::createChannel, "not an object");
            Channel c = api.createChannel();
            assertNull(c.expires(), "an unreadable expiry is unknown, not fatal");
            assertFalse(c.toString().contains("ws://"));
        }
    }

    @Test
    void againstTheSimulatorEveryCallDoesWhatGenesysDoes() {
        ManualClock clock = ManualClock.at(Instant.now());
        try (GenesysCloudSimulator sim = GenesysCloudSimulator.builder().client("api-test", "api-secret").clock(clock)
                .tokenLifetime(Duration.ofDays(30)).build()) {
            GenesysEndpoints endpoints = GenesysEndpoints.builder().api(sim.baseUri()).login(sim.baseUri())
                    .streaming(sim.webSocketUri()).build();
            TokenProvider tokens = ClientCredentialsTokenProvider.builder().clientId("api-test").clientSecret("api-secret")
                    .endpoints(endpoints).build();
            NotificationsApi api = api(sim.baseUri(), tokens);
            Channel ch = api.createChannel();
            assertTrue(ch.id().startsWith("streaming-"));
            assertEquals(sim.webSocketUri() + "/channels/" + ch.id(), ch.connectUri().toString());
            long expected = clock.instant().plus(Duration.ofHours(24)).getEpochSecond();
            assertTrue(Math.abs(expected - ch.expires().getEpochSecond()) <= 2, "expires " + ch.expires());
            api.replaceSubscriptions(ch.id(), List.of("v2.routing.queues.q1.conversations", "v2.users.u1.conversations"));
            api.addSubscriptions(ch.id(), List.of("v2.detail.events.conversation.c1.acw"));
            assertEquals(Set.of("v2.routing.queues.q1.conversations", "v2.users.u1.conversations",
                    "v2.detail.events.conversation.c1.acw"), sim.subscriptions(ch.id()));
            api.replaceSubscriptions(ch.id(), List.of("v2.routing.queues.q1.conversations"));
            assertEquals(Set.of("v2.routing.queues.q1.conversations"), sim.subscriptions(ch.id()));
            assertTrue(api.channelExists(ch.id()));

            sim.expireTokens(); // the next call meets a 401, refreshes once, and goes through
            long issued = sim.stats().tokensIssued();
            api.removeAllSubscriptions(ch.id());
            assertEquals(Set.of(), sim.subscriptions(ch.id()));
            assertEquals(issued + 1, sim.stats().tokensIssued());

            sim.rateLimitNextApiCalls(1);
            NotificationsApiException limited = assertThrows(NotificationsApiException.class,
                    () -> api.addSubscriptions(ch.id(), List.of("t")));
            assertEquals(429, limited.status());
            assertEquals(Duration.ofSeconds(1), limited.retryAfter(), "the simulator's default Retry-After");

            clock.advance(Duration.ofHours(25));
            assertFalse(api.channelExists(ch.id()), "expired: HEAD answers 404");
            NotificationsApiException gone = assertThrows(NotificationsApiException.class,
                    () -> api.replaceSubscriptions(ch.id(), List.of("t")));
            assertEquals(404, gone.status());
            assertFalse(gone.getMessage().contains(ch.id()), gone.getMessage());
            List<Channel> more = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                more.add(api.createChannel());
            }
            assertEquals(3, more.stream().map(Channel::id).distinct().count());
        }
    }
}
