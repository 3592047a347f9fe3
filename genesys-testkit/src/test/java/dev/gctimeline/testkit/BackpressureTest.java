package dev.gctimeline.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * "As fast as the client consumes": a client that stops requesting messages stalls the publisher
 * through TCP, without stalling the heartbeats of other sockets, and nothing is lost when it resumes.
 */
class BackpressureTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final int COUNT = 20_000;

    /** Counts messages; requests more only while not paused. */
    private static final class Pausable implements WebSocket.Listener {
        final AtomicInteger messages = new AtomicInteger();
        volatile boolean paused = true;
        volatile WebSocket ws;

        @Override
        public void onOpen(WebSocket webSocket) {
            ws = webSocket;
            webSocket.request(1);
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            if (last) {
                messages.incrementAndGet();
            }
            if (!paused) {
                webSocket.request(1);
            }
            return null;
        }

        void resume() {
            paused = false;
            ws.request(Long.MAX_VALUE);
        }
    }

    @Test
    void aClientThatStopsReadingStallsThePublisherOnly() throws Exception {
        String padding = "x".repeat(1000);
        List<Notification> feed = new ArrayList<>(COUNT);
        String topic = Envelopes.detailTopic("c-big", "attributes");
        for (int i = 0; i < COUNT; i++) {
            String json = "{\"topicName\":\"" + topic + "\",\"version\":\"2\",\"eventBody\":{\"eventTime\":" + i
                    + ",\"conversationId\":\"c-big\",\"attributes\":{\"pad\":\"" + padding + "\"}}}";
            feed.add(new Notification(Envelopes.T0 + i, topic, "c-big", json, List.of()));
        }
        try (GenesysCloudSimulator sim = GenesysCloudSimulator.builder().feed(new ListFeed(feed))
                .heartbeatInterval(Duration.ofMillis(20)).build()) {
            Rest rest = new Rest(sim);
            String token = rest.login();
            Rest.ChannelInfo slowChannel = rest.createChannel(token);
            Rest.ChannelInfo idleChannel = rest.createChannel(token);
            rest.subscribeOk(token, slowChannel.id(), List.of(topic));
            Pausable slow = new Pausable();
            rest.http.newWebSocketBuilder().buildAsync(URI.create(slowChannel.connectUri()), slow).get(10, TimeUnit.SECONDS);
            JdkWs idle = JdkWs.connect(rest.http, idleChannel.connectUri());
            sim.awaitConnected(slowChannel.id(), WAIT);
            sim.awaitConnected(idleChannel.id(), WAIT);

            CompletableFuture<Void> played = sim.playInBackground(Double.POSITIVE_INFINITY);
            // Wait until the publisher stops advancing: the socket buffers are full.
            int last = -1;
            while (sim.position() != last) {
                last = sim.position();
                Thread.sleep(300);
            }
            assertTrue(sim.position() < COUNT, "the publisher is stalled at " + sim.position() + " of " + COUNT);
            assertTrue(!played.isDone());

            // Another socket's heartbeats keep coming while the publisher is blocked.
            idle.messages.clear();
            assertEquals(3, idle.take(3, JdkWs::isHeartbeat, WAIT).size());

            slow.resume();
            played.get(60, TimeUnit.SECONDS);
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (slow.messages.get() < COUNT && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            // heartbeats to the slow socket are counted too: at least every notification arrived
            assertTrue(slow.messages.get() >= COUNT, "received " + slow.messages.get());
            assertEquals(COUNT, sim.stats().notificationsDelivered());
        }
    }
}
