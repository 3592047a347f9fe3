package dev.gctimeline.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * Many clients on many channels while the publisher runs, subscriptions change under it, heartbeats
 * fire every few milliseconds and clients ping: every channel must receive exactly what the
 * delivery log says was delivered to it, in the log's order, whole.
 */
class ConcurrentChannelsStressTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final int CLIENTS = 8;

    @Test
    void everyChannelReceivesExactlyItsLoggedDeliveries() throws Exception {
        List<Notification> feed = Envelopes.conversations(600); // 1,200 notifications
        List<String> topics = new ArrayList<>();
        feed.forEach(n -> topics.add(n.topicName()));
        for (int round = 0; round < 5; round++) {
            Faults faults = Faults.builder().seed(round).frameSplit(0.5).duplicate(0.1).reorder(0.1, 4).build();
            try (GenesysCloudSimulator sim = GenesysCloudSimulator.builder().feed(new ListFeed(feed)).faults(faults)
                    .heartbeatInterval(Duration.ofMillis(3)).build()) {
                runRound(sim, topics, feed, round);
            }
        }
    }

    private static void runRound(GenesysCloudSimulator sim, List<String> topics, List<Notification> feed, int round)
            throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(CLIENTS + 2);
        try {
            Rest rest = new Rest(sim);
            String token = rest.login();
            List<Future<String[]>> setups = new ArrayList<>();
            CountDownLatch ready = new CountDownLatch(CLIENTS);
            List<JdkWs> sockets = java.util.Collections.synchronizedList(new ArrayList<>());
            for (int c = 0; c < CLIENTS; c++) {
                int client = c;
                setups.add(pool.submit(() -> {
                    Random r = new Random(round * 100L + client);
                    Rest.ChannelInfo ch = rest.createChannel(token);
                    List<String> mine = new ArrayList<>();
                    for (String t : topics) {
                        if (r.nextInt(3) == 0) {
                            mine.add(t);
                        }
                    }
                    rest.subscribeOk(token, ch.id(), mine);
                    JdkWs ws = JdkWs.connect(rest.http, ch.connectUri());
                    sockets.add(ws);
                    sim.awaitConnected(ch.id(), WAIT);
                    ready.countDown();
                    return new String[] {ch.id(), Integer.toString(sockets.indexOf(ws))};
                }));
            }
            assertTrue(ready.await(20, TimeUnit.SECONDS));
            List<String> channelIds = new ArrayList<>();
            List<JdkWs> byChannel = new ArrayList<>();
            for (Future<String[]> f : setups) {
                String[] s = f.get();
                channelIds.add(s[0]);
                byChannel.add(sockets.get(Integer.parseInt(s[1])));
            }

            AtomicBoolean playing = new AtomicBoolean(true);
            Future<?> churn = pool.submit(() -> {
                Random r = new Random(round);
                do { // at least once, however soon the publisher is done: the pongs asserted below need a ping
                    String ch = channelIds.get(r.nextInt(CLIENTS));
                    List<String> some = List.of(topics.get(r.nextInt(topics.size())), topics.get(r.nextInt(topics.size())));
                    rest.subscribe(token, ch, r.nextBoolean() ? "POST" : "PUT", some, false);
                    byChannel.get(r.nextInt(CLIENTS)).sendText("{\"message\":\"ping\"}");
                } while (playing.get());
                return null;
            });
            CompletableFuture<Void> played = sim.playInBackground(Double.POSITIVE_INFINITY);
            played.get(30, TimeUnit.SECONDS);
            playing.set(false);
            churn.get(10, TimeUnit.SECONDS);

            long delivered = 0;
            for (int c = 0; c < CLIENTS; c++) {
                List<String> expected = new ArrayList<>();
                for (Delivery d : sim.deliveries(channelIds.get(c))) {
                    assertEquals(Delivery.Outcome.DELIVERED, d.outcome(), "every channel had its socket throughout");
                    expected.add(feed.get(d.index()).json());
                }
                delivered += expected.size();
                List<String> got = byChannel.get(c).take(expected.size(),
                        m -> !JdkWs.isHeartbeat(m) && !m.contains("\"pong\""), WAIT);
                assertEquals(expected, got, "channel " + c + " of round " + round);
            }
            // Heartbeats and pongs are written by the simulator's own threads and counted after the
            // write: wait for them instead of reading the counters at once.
            Await.until(() -> sim.stats().heartbeatsSent() > 0 && sim.stats().pongsSent() > 0, () -> sim.stats().toString());
            SimulatorStats s = sim.stats();
            assertEquals(delivered, s.notificationsDelivered());
            assertTrue(s.heartbeatsSent() > 0 && s.pongsSent() > 0, s.toString());
            assertTrue(delivered > CLIENTS * 100, "a meaningful load: " + delivered);
        } finally {
            pool.shutdownNow();
        }
    }
}
