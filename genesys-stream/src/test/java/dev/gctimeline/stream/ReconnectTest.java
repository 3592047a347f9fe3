package dev.gctimeline.stream;

import static dev.gctimeline.stream.GenesysEventStreamTest.first;
import static dev.gctimeline.stream.GenesysEventStreamTest.last;
import static dev.gctimeline.stream.GenesysEventStreamTest.pace;
import static dev.gctimeline.stream.GenesysEventStreamTest.queues;
import static dev.gctimeline.stream.GenesysEventStreamTest.scenario;
import static dev.gctimeline.stream.GenesysEventStreamTest.simulator;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gctimeline.core.PipelineMetrics;
import dev.gctimeline.stream.internal.NotificationsApiException;
import dev.gctimeline.testkit.ContactCenterScenario;
import dev.gctimeline.testkit.Delivery;
import dev.gctimeline.testkit.Faults;
import dev.gctimeline.testkit.GenesysCloudSimulator;
import dev.gctimeline.testkit.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Reconnect cases beyond GenesysEventStreamTest's: mid-document drops, system notices, 429 while reconnecting. */
class ReconnectTest {

    private static boolean hasSocket(GenesysCloudSimulator sim) {
        return sim.channelIds().stream().anyMatch(sim::isConnected);
    }

    private static String connectedChannel(GenesysCloudSimulator sim) {
        return sim.channelIds().stream().filter(sim::isConnected).findFirst().orElseThrow();
    }

    @Test
    void aSocketDroppedMidDocumentDiscardsThePartAndRecovers() throws Exception {
        ContactCenterScenario s = scenario(21, 30);
        // Frames split often, so cuts land inside frames of multi-frame messages too.
        Faults faults = Faults.builder().seed(9).dropSocketMidFrame(0.01).frameSplit(0.5).build();
        try (GenesysCloudSimulator sim = simulator(s).faults(faults).build(); StreamHarness h = new StreamHarness(sim)) {
            // A second of silence after a ping gives a socket up: the JDK does not always report a drop.
            GenesysEventStream stream = h.start(h.streamBuilder().queues(queues(s))
                    .pingAfter(Duration.ofMillis(100)).pongTimeout(Duration.ofSeconds(1)));
            h.awaitQueuesSubscribed(queues(s));
            // Paced, but each step only once the channel has a socket again: the drops (drawn per
            // message per socket from the seed) then cut the same messages on any machine. Unpaced
            // by sockets, a slower machine's longer reconnects left more of the run unsent, fewer
            // messages written and fewer cut (7 of about 400 written measured here, 3 required).
            for (long t = first(s); t < last(s); t += 5_000) {
                StreamHarness.await(Duration.ofSeconds(30), () -> hasSocket(sim),
                        () -> "a socket on the channel again: " + stream.metrics());
                sim.publishUntil(Math.min(t + 5_000, last(s)));
                Thread.sleep(20);
            }
            StreamHarness.await(Duration.ofSeconds(30),
                    () -> stream.metrics().connects() > sim.stats().socketsDroppedMidFrame(),
                    () -> "a new socket after each drop: " + stream.metrics() + " " + sim.stats());

            java.util.Map<String, dev.gctimeline.core.Timeline> truth = sim.truthSeenThroughSubscriptions();
            // Until the store holds what the check accepts (exactly the truth, or without lost tails).
            StreamHarness.waitFor(Duration.ofSeconds(30), () -> TruthCheck.settled(sim, h.store, truth, h.gaps));
            EndToEndUnderFaultsTest.quiescent(h);
            TruthCheck.assertStoreMatches(sim, h.store, truth, h.gaps);
            long truncated = sim.stats().documentsTruncated();
            assertTrue(truncated >= 3, truncated + " documents cut off");
            assertTrue(sim.stats().notificationsLost() >= truncated, "the cut messages are logged LOST");
            // Every drop was followed by a new socket (awaited above), and a dropped socket's cut-off
            // part is rejected before its reconnect: the rejections are all counted.
            PipelineMetrics pm = EndToEndUnderFaultsTest.quiescent(h);
            TruthCheck.assertRejectionsAccountFor(sim.stats(), pm); // each cut-off part rejected once
            assertTrue(stream.metrics().connects() > truncated, "a new socket after each drop: " + stream.metrics());
            assertTrue(stream.metrics().gaps() >= 1);
            EndToEndUnderFaultsTest.assertLostOnlyInsideGaps(sim, h.gaps);
            assertEquals(List.of(), h.failures);
        }
    }

    @Test
    void noLongerSubscribedIsAnsweredByResubscribing() throws Exception {
        ContactCenterScenario s = scenario(22, 30);
        try (GenesysCloudSimulator sim = simulator(s).build(); StreamHarness h = new StreamHarness(sim)) {
            GenesysEventStream stream = h.start(h.streamBuilder().queues(queues(s)));
            h.awaitQueuesSubscribed(queues(s));
            long mid = (first(s) + last(s)) / 2;
            pace(sim, first(s), mid, 5_000, 15);
            String channel = connectedChannel(sim);
            int before = sim.subscriptions(channel).size();
            assertTrue(sim.sendNoLongerSubscribed(channel));
            StreamHarness.await(Duration.ofSeconds(30), () -> stream.metrics().resubscribes() == 1,
                    () -> "the resubscription: " + stream.metrics());
            assertEquals(1, stream.metrics().resubscribes());
            assertTrue(sim.subscriptions(channel).size() >= before - 17 * 3, "the plan is subscribed again");
            long noticeAt = System.currentTimeMillis();
            pace(sim, mid, last(s), 5_000, 15);

            h.assertStoreEventuallyEquals(sim.truthSeenThroughSubscriptions(), Duration.ofSeconds(30));
            long afterwards = sim.deliveries(channel).stream()
                    .filter(d -> d.outcome() == Delivery.Outcome.DELIVERED && d.atMillis() > noticeAt).count();
            assertTrue(afterwards > 100, "events after the notice still arrive on the same channel: " + afterwards);
            assertEquals(1, stream.metrics().connects(), "no reconnect was needed");
            assertEquals(List.of(), h.gaps);
            assertEquals(List.of(), h.failures);
        }
    }

    @Test
    void tokenRevokedGetsANewTokenAndResubscribes() throws Exception {
        ContactCenterScenario s = scenario(23, 30);
        try (GenesysCloudSimulator sim = simulator(s).build(); StreamHarness h = new StreamHarness(sim)) {
            GenesysEventStream stream = h.start(h.streamBuilder().queues(queues(s)));
            h.awaitQueuesSubscribed(queues(s));
            long mid = (first(s) + last(s)) / 2;
            pace(sim, first(s), mid, 5_000, 15);
            String channel = connectedChannel(sim);
            long issued = sim.stats().tokensIssued();
            assertTrue(sim.sendTokenRevoked(channel));
            StreamHarness.await(Duration.ofSeconds(30), () -> stream.metrics().resubscribes() == 1,
                    () -> "the resubscription: " + stream.metrics());
            assertEquals(1, stream.metrics().resubscribes());
            long noticeAt = System.currentTimeMillis();
            pace(sim, mid, last(s), 5_000, 15);

            h.assertStoreEventuallyEquals(sim.truthSeenThroughSubscriptions(), Duration.ofSeconds(30));
            assertEquals(issued + 1, sim.stats().tokensIssued(), "exactly one new token");
            long afterwards = sim.deliveries(channel).stream()
                    .filter(d -> d.outcome() == Delivery.Outcome.DELIVERED && d.atMillis() > noticeAt).count();
            assertTrue(afterwards > 100, "events after the notice still arrive: " + afterwards);
            assertEquals(1, stream.metrics().connects());
            assertEquals(List.of(), h.failures);
        }
    }

    @Test
    void aRateLimitOnChannelCreationDuringAReconnectHonoursRetryAfter() throws Exception {
        ContactCenterScenario s = scenario(24, 20);
        // Channel lifetime runs on the simulator's clock: jumping it expires the channel, so the
        // reconnect finds it gone and must create a new one, which is answered 429 first.
        ManualClock clock = ManualClock.at(Instant.now());
        try (GenesysCloudSimulator sim = simulator(s).clock(clock).tokenLifetime(Duration.ofDays(30))
                .retryAfter(Duration.ofSeconds(1)).build();
             StreamHarness h = new StreamHarness(sim)) {
            GenesysEventStream stream = h.start(h.streamBuilder().queues(queues(s)).autoFollow(false)
                    .backoff(Duration.ofMillis(20), Duration.ofMillis(100)).pingAfter(Duration.ofMillis(100)));
            h.awaitQueuesSubscribed(queues(s));
            long mid = (first(s) + last(s)) / 2;
            pace(sim, first(s), mid, 5_000, 15);

            sim.rateLimitNextApiCalls(1);
            clock.advance(Duration.ofHours(25));
            assertEquals(List.of(), sim.channelIds(), "the channel expired (and its socket is closed)");
            StreamHarness.await(Duration.ofSeconds(30), () -> stream.metrics().gaps() == 1,
                    () -> "the gap reported after the reconnect: " + stream.metrics());
            pace(sim, mid, last(s), 5_000, 15);

            h.assertStoreEventuallyEquals(sim.truthSeenThroughSubscriptions(), Duration.ofSeconds(30));
            assertEquals(1, sim.stats().rateLimited());
            StreamHarness.Reconnecting after429 = h.reconnecting.stream()
                    .filter(r -> r.cause() instanceof NotificationsApiException
                            && ((NotificationsApiException) r.cause()).status() == 429)
                    .findFirst().orElseThrow(() -> new AssertionError("no 429 while reconnecting: " + h.reconnecting));
            assertTrue(after429.delay().toMillis() >= 1_000, "Retry-After is a floor: " + after429);
            assertTrue(h.reconnecting.stream().anyMatch(r -> r.cause() instanceof java.net.http.WebSocketHandshakeException), "the old channel was gone: "
                    + h.reconnecting);
            assertEquals(1, h.gaps.size());
            StreamGap gap = h.gaps.get(0);
            assertTrue(Duration.between(gap.from(), gap.to()).toMillis() >= 1_000, "the gap covers the wait: " + gap);
            assertEquals(2, stream.metrics().connects());
            assertEquals(List.of(), h.failures);
        }
    }
}
