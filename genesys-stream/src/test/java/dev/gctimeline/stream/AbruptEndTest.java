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
import dev.gctimeline.core.Timeline;
import dev.gctimeline.testkit.ContactCenterScenario;
import dev.gctimeline.testkit.Faults;
import dev.gctimeline.testkit.GenesysCloudSimulator;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Many abrupt drops, each right after a notification was written, while notifications come in
 * bursts (so the last one and the end of the connection often arrive while the JDK client is busy
 * with the one before: the case in which it discards the last). Every drop must be reported as a
 * gap, whether the JDK reports the end or only the pong timeout notices it; and the store must hold
 * everything delivered but the last notification of a socket whose end the stream reported as the
 * JDK's loss ({@link GenesysEventStream#LOST_AT_END}), one per such report.
 */
class AbruptEndTest {

    @Test
    void everyDropIsAGapAndOnlyTheReportedLastMessagesAreMissing() throws Exception {
        ContactCenterScenario s = scenario(43, 500);
        Faults faults = Faults.builder().seed(3).dropSocket(0.05).build();
        try (GenesysCloudSimulator sim = simulator(s).faults(faults).heartbeatInterval(Duration.ofMillis(100)).build();
             StreamHarness h = new StreamHarness(sim)) {
            GenesysEventStream stream = h.start(h.streamBuilder().queues(queues(s)).autoFollow(false)
                    .backoff(Duration.ofMillis(5), Duration.ofMillis(20))
                    .pingAfter(Duration.ofMillis(50)).pongTimeout(Duration.ofMillis(300)));
            sim.awaitOpenSockets(1, Duration.ofSeconds(10));
            pace(sim, first(s), last(s), 2_000, 5);

            // Each drop becomes a gap once the next socket is up (an end the JDK never reports is
            // found by the pong timeout first).
            StreamHarness.waitFor(Duration.ofSeconds(10), () -> h.gaps.size() >= sim.stats().socketsDropped());
            PipelineMetrics pm = EndToEndUnderFaultsTest.quiescent(h);
            long drops = sim.stats().socketsDropped();
            assertTrue(drops >= 10, drops + " drops");
            assertEquals(drops, h.gaps.size(), "one gap per abrupt drop: " + h.gaps);
            assertEquals(drops, sim.abruptCloses().size());

            Map<String, Timeline> truth = sim.truthSeenThroughSubscriptions();
            TruthCheck.Result checked = TruthCheck.assertStoreMatches(sim, h.store, truth, h.gaps);
            StreamMetrics sm = stream.metrics();
            long reported = h.gaps.stream().filter(g -> g.cause().contains(GenesysEventStream.LOST_AT_END)).count();
            assertEquals(sm.lostAtEnd(), reported, "each loss the JDK caused is counted and reported as a gap");
            assertTrue(checked.tailLost().size() <= sm.lostAtEnd());
            EndToEndUnderFaultsTest.assertLostOnlyInsideGaps(sim, h.gaps);
            // A notification that spanned two reads may lose only its end: then it is one rejection.
            assertTrue(pm.rejected() <= sm.lostAtEnd(), pm.rejectedByReason() + " with " + sm);
            assertEquals(List.of(), h.failures);
            System.out.printf("abrupt ends: %d drops, %d gaps, %d reported as the JDK's loss, %d conversations "
                    + "lost their last notification, %d ends found by the pong timeout%n", drops, h.gaps.size(),
                    reported, checked.tailLost().size(), sm.heartbeatTimeouts());
        }
    }
}
