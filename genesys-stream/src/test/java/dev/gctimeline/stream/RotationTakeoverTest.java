package dev.gctimeline.stream;

import static dev.gctimeline.stream.GenesysEventStreamTest.first;
import static dev.gctimeline.stream.GenesysEventStreamTest.last;
import static dev.gctimeline.stream.GenesysEventStreamTest.pace;
import static dev.gctimeline.stream.GenesysEventStreamTest.queues;
import static dev.gctimeline.stream.GenesysEventStreamTest.scenario;
import static dev.gctimeline.stream.GenesysEventStreamTest.simulator;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gctimeline.testkit.ContactCenterScenario;
import dev.gctimeline.testkit.Delivery;
import dev.gctimeline.testkit.GenesysCloudSimulator;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Make-before-break loses nothing only if the old socket lives until the new one has its
 * subscriptions. Here the old socket is dropped right behind its socket_closing notice, while the
 * stream sets up the new channel (held up by a token refresh that fails twice), and notifications
 * are published right then: they reach the old channel, which has no socket, and not yet the new
 * one. The stream must report that window as a gap of the old channel. It used to handle the old
 * socket's end only after the rotation, as the end of a socket already replaced: nothing lost.
 */
class RotationTakeoverTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @Test
    void anOldSocketLostBeforeTheTakeoverIsAGap() throws Exception {
        ContactCenterScenario s = scenario(47, 40);
        try (GenesysCloudSimulator sim = simulator(s).build(); StreamHarness h = new StreamHarness(sim)) {
            GenesysEventStream stream = h.start(h.streamBuilder().queues(queues(s)).autoFollow(false)
                    .pingAfter(Duration.ofMillis(100)).pongTimeout(Duration.ofMillis(500))
                    .rotationOverlap(Duration.ofMillis(100)));
            sim.awaitOpenSockets(1, WAIT);
            long third = first(s) + (last(s) - first(s)) / 3;
            pace(sim, first(s), third, 5_000, 15);
            String old = sim.channelIds().stream().filter(sim::isConnected).findFirst().orElseThrow();

            // The rotation's first call will need a new token, which takes two retries: it is still
            // setting up the new channel when the old socket goes, right behind the notice.
            sim.expireTokens();
            sim.failNextTokenRequests(2, 503);
            assertTrue(sim.sendSocketClosing(old));
            assertTrue(sim.publishUntil(third + 30_000) > 0); // the notice is not the last message (the JDK may lose that)
            assertTrue(sim.dropSocket(old));
            int published = sim.publishUntil(third + 90_000);
            pace(sim, third + 90_000, last(s), 5_000, 15);

            StreamHarness.waitFor(WAIT, () -> stream.metrics().rotations() == 1 && !h.gaps.isEmpty());
            EndToEndUnderFaultsTest.quiescent(h);
            long lostThen = sim.deliveries(old).stream().filter(d -> d.outcome() == Delivery.Outcome.NO_SOCKET
                    && !deliveredElsewhere(sim, d)).count();
            System.out.printf("rotation takeover: %d published while the old socket was gone, %d reached no socket, "
                    + "gaps %s%n", published, lostThen, h.gaps);
            assertEquals(1, stream.metrics().rotations(), "the socket_closing notice was acted on");
            EndToEndUnderFaultsTest.assertLostOnlyInsideGaps(sim, h.gaps);
            TruthCheck.assertStoreMatches(sim, h.store, sim.truthSeenThroughSubscriptions(), h.gaps);
            assertEquals(List.of(), h.failures);
        }
    }

    private static boolean deliveredElsewhere(GenesysCloudSimulator sim, Delivery lost) {
        return sim.deliveries().stream().anyMatch(d -> d.route() == lost.route() && d.index() == lost.index()
                && d.outcome() == Delivery.Outcome.DELIVERED);
    }
}
