package dev.gctimeline.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Channels and subscriptions, with Genesys Cloud's documented limits. */
class NotificationsApiTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    private static int head(Rest rest, String token, String channelId) {
        return rest.call("HEAD", "/api/v2/notifications/channels/" + channelId, token, null).statusCode();
    }

    @Test
    void aTwentyFirstChannelReplacesTheOldestIdleOne() throws Exception {
        try (GenesysCloudSimulator sim = GenesysCloudSimulator.builder().heartbeatInterval(Duration.ZERO).build()) {
            Rest rest = new Rest(sim);
            String token = rest.login();
            List<Rest.ChannelInfo> channels = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                channels.add(rest.createChannel(token));
            }
            // The two oldest are connected, so the oldest idle one is the third. The server marks a
            // channel used when it attaches the socket, just after the handshake answer the client
            // waits for: wait for each attach, so channel 0 is attached (used) before channel 1.
            JdkWs ws0 = JdkWs.connect(rest.http, channels.get(0).connectUri());
            sim.awaitConnected(channels.get(0).id(), WAIT);
            JdkWs ws1 = JdkWs.connect(rest.http, channels.get(1).connectUri());
            sim.awaitConnected(channels.get(1).id(), WAIT);

            Rest.ChannelInfo c21 = rest.createChannel(token);
            assertEquals(404, head(rest, token, channels.get(2).id()), "oldest idle channel replaced");
            assertEquals(200, head(rest, token, channels.get(0).id()));
            assertEquals(200, head(rest, token, channels.get(1).id()));
            assertEquals(200, head(rest, token, c21.id()));
            assertEquals(20, sim.channelIds().size());
            assertEquals(1, sim.stats().channelsReplaced());

            // With every channel connected, the least recently used one goes, and its socket is closed.
            List<JdkWs> sockets = new ArrayList<>();
            for (String id : sim.channelIds()) {
                if (!sim.isConnected(id)) {
                    sockets.add(JdkWs.connect(rest.http, "ws://127.0.0.1:" + sim.webSocketPort() + "/channels/" + id));
                    sim.awaitConnected(id, WAIT);
                }
            }
            rest.createChannel(token);
            assertEquals(404, head(rest, token, channels.get(0).id()), "least recently used connected channel replaced");
            assertEquals(1001, ws0.closed.get(5, TimeUnit.SECONDS), "its socket is closed");
            assertFalse(ws1.closed.isDone());
            assertEquals(2, sim.stats().channelsReplaced());
        }
    }

    @Test
    void channelLimitIsPerClient() {
        try (GenesysCloudSimulator sim = GenesysCloudSimulator.builder().client("a", "sa").client("b", "sb").build()) {
            Rest rest = new Rest(sim);
            String a = rest.login("a", "sa");
            String b = rest.login("b", "sb");
            List<String> aIds = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                aIds.add(rest.createChannel(a).id());
                rest.createChannel(b);
            }
            assertEquals(40, sim.channelIds().size());
            assertEquals(0, sim.stats().channelsReplaced());
            assertEquals(404, head(rest, b, aIds.get(0)), "a channel is visible to its own client only");
            assertEquals(200, head(rest, a, aIds.get(0)));
        }
    }

    @Test
    void aThousandTopicsFitAndOneMoreIsA400() {
        try (GenesysCloudSimulator sim = GenesysCloudSimulator.builder().build()) {
            Rest rest = new Rest(sim);
            String token = rest.login();
            String ch = rest.createChannel(token).id();
            List<String> topics = new ArrayList<>();
            for (int i = 0; i < 1001; i++) {
                topics.add(Envelopes.detailTopic("c-" + i, "customer.start"));
            }
            HttpResponse<String> over = rest.subscribe(token, ch, "PUT", topics, false);
            assertEquals(400, over.statusCode());
            assertTrue(over.body().contains("1000"), over.body());
            assertTrue(sim.subscriptions(ch).isEmpty(), "a refused request changes nothing");

            assertEquals(200, rest.subscribe(token, ch, "PUT", topics.subList(0, 1000), false).statusCode());
            assertEquals(1000, sim.subscriptions(ch).size());
            HttpResponse<String> add = rest.subscribe(token, ch, "POST", topics.subList(1000, 1001), false);
            assertEquals(400, add.statusCode(), "POST adding the 1,001st topic");
            assertEquals(400, rest.subscribe(token, ch, "POST", topics.subList(1000, 1001), true).statusCode(),
                    "ignoreErrors does not lift the limit");
            assertEquals(200, rest.subscribe(token, ch, "POST", topics.subList(0, 3), false).statusCode(),
                    "re-adding subscribed topics stays within the limit");
            assertEquals(1000, sim.subscriptions(ch).size());
        }
    }

    @Test
    void subscriptionVerbsAndTheCombinedForm() {
        try (GenesysCloudSimulator sim = GenesysCloudSimulator.builder().forbidTopicPrefix("v2.users.secret").build()) {
            Rest rest = new Rest(sim);
            String token = rest.login();
            String ch = rest.createChannel(token).id();
            String start = Envelopes.detailTopic("c-1", "customer.start");

            HttpResponse<String> put = rest.subscribe(token, ch, "PUT",
                    List.of(start, "v2.users.u-1?presence&routingStatus"), false);
            assertEquals(200, put.statusCode(), put.body());
            assertEquals(List.of(start, "v2.users.u-1.presence", "v2.users.u-1.routingStatus"), Rest.ids(put.body()));

            assertEquals(200, rest.subscribe(token, ch, "POST", List.of("v2.routing.queues.q-1.conversations"), false)
                    .statusCode());
            HttpResponse<String> get = rest.call("GET", "/api/v2/notifications/channels/" + ch + "/subscriptions", token, null);
            assertEquals(4, Rest.ids(get.body()).size());

            HttpResponse<String> forbidden = rest.subscribe(token, ch, "POST", List.of("v2.users.secret.presence", start), false);
            assertEquals(403, forbidden.statusCode(), "one forbidden topic fails the whole request");
            HttpResponse<String> ignored = rest.subscribe(token, ch, "PUT",
                    List.of("v2.users.secret.presence", "not a topic", start), true);
            assertEquals(200, ignored.statusCode(), "ignoreErrors keeps the rest");
            assertEquals(Set.of(start), sim.subscriptions(ch));
            assertEquals(400, rest.subscribe(token, ch, "PUT", List.of("not a topic"), false).statusCode());
            assertEquals(400, rest.call("PUT", "/api/v2/notifications/channels/" + ch + "/subscriptions", token, "{\"id\":1}")
                    .statusCode());

            assertEquals(200, rest.call("DELETE", "/api/v2/notifications/channels/" + ch + "/subscriptions", token, null)
                    .statusCode());
            assertTrue(sim.subscriptions(ch).isEmpty());
            assertEquals(404, rest.subscribe(token, "streaming-unknown", "PUT", List.of(start), false).statusCode());
        }
    }

    @Test
    void channelsExpireAndResubscribingExtendsThem() throws Exception {
        ManualClock clock = ManualClock.at(Instant.parse("2026-11-22T10:00:00Z"));
        try (GenesysCloudSimulator sim = GenesysCloudSimulator.builder().clock(clock)
                .tokenLifetime(Duration.ofDays(2)).heartbeatInterval(Duration.ZERO).build()) {
            Rest rest = new Rest(sim);
            String token = rest.login();
            Rest.ChannelInfo a = rest.createChannel(token);
            Rest.ChannelInfo b = rest.createChannel(token);
            assertEquals("2026-11-23T10:00:00Z", a.expires(), "24 h by default");
            JdkWs ws = JdkWs.connect(rest.http, a.connectUri());
            sim.awaitConnected(a.id(), WAIT);

            clock.advance(Duration.ofHours(23));
            rest.subscribeOk(token, b.id(), List.of(Envelopes.detailTopic("c-1", "acw")));
            clock.advance(Duration.ofHours(1));
            assertEquals(404, head(rest, token, a.id()), "expired at creation + 24 h");
            assertEquals(200, head(rest, token, b.id()), "resubscribed at 23 h: lives until 47 h");
            assertEquals(1001, ws.closed.get(5, TimeUnit.SECONDS), "an expired channel's socket is closed");
            clock.advance(Duration.ofHours(23));
            assertEquals(404, head(rest, token, b.id()));
            assertEquals(2, sim.stats().channelsExpired());
            RawWs late = RawWs.connect(sim.webSocketPort(), "/channels/" + b.id());
            assertEquals(404, late.status, "connecting to an expired channel");
            late.close();
        }
    }
}
