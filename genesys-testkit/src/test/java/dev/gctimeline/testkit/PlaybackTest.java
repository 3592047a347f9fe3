package dev.gctimeline.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Stepping, publishing up to a scenario time, and real-time pacing. */
class PlaybackTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @Test
    void stepAndPublishUntilWalkTheScheduleInOrder() {
        List<Notification> feed = Envelopes.conversations(3); // sends at T0, T0+500, T0+1000, ...
        try (GenesysCloudSimulator sim = GenesysCloudSimulator.builder().feed(new ListFeed(feed)).build()) {
            assertEquals(6, sim.scheduledCount());
            assertTrue(sim.step());
            assertEquals(1, sim.position());
            assertEquals(2, sim.publishUntil(Envelopes.T0 + 1000));
            assertEquals(0, sim.publishUntil(Envelopes.T0 + 1000));
            assertEquals(3, sim.publishUntil(Long.MAX_VALUE));
            assertFalse(sim.step());
            sim.feed(new ListFeed(feed));
            assertEquals(0, sim.position(), "a new feed rewinds");
        }
    }

    @Test
    void playAtPacesBySendTimeDividedBySpeed() throws Exception {
        List<Notification> feed = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            feed.add(Envelopes.customerStart("c-" + i, Envelopes.T0 + i * 100L, Envelopes.T0 + i * 100L));
        }
        try (GenesysCloudSimulator sim = GenesysCloudSimulator.builder().feed(new ListFeed(feed))
                .heartbeatInterval(Duration.ZERO).build()) {
            Rest rest = new Rest(sim);
            String token = rest.login();
            Rest.ChannelInfo ch = rest.createChannel(token);
            List<String> topics = new ArrayList<>();
            feed.forEach(n -> topics.add(n.topicName()));
            rest.subscribeOk(token, ch.id(), topics);
            JdkWs ws = JdkWs.connect(rest.http, ch.connectUri());
            sim.awaitConnected(ch.id(), WAIT);

            long start = System.nanoTime();
            sim.playInBackground(2.0).get(10, TimeUnit.SECONDS); // 400 ms of scenario at 2x: at least 200 ms
            long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(elapsedMs >= 195, "paced, not as fast as possible: " + elapsedMs + " ms");
            assertEquals(5, ws.take(5, m -> true, WAIT).size());
        }
    }

    @Test
    void speedMustBePositive() {
        try (GenesysCloudSimulator sim = GenesysCloudSimulator.builder().build()) {
            assertThrows(IllegalArgumentException.class, () -> sim.playAt(0));
            assertThrows(IllegalArgumentException.class, () -> sim.playAt(-1));
            sim.play(); // an empty schedule is done at once
        }
    }
}
