package dev.gctimeline.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gctimeline.testkit.ContactCenterScenario;
import dev.gctimeline.testkit.GenesysCloudSimulator;
import java.time.Duration;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** Options a stream cannot run with fail at build(), not later on its control thread. */
class StreamBuilderTest {

    @Test
    void impossibleOptionsFailAtBuild() throws Exception {
        ContactCenterScenario s = GenesysEventStreamTest.scenario(41, 2);
        try (GenesysCloudSimulator sim = GenesysEventStreamTest.simulator(s).build(); StreamHarness h = new StreamHarness(sim)) {
            UnaryOperator<GenesysEventStream.Builder> q = b -> b.queues("q1");
            assertThrows(IllegalStateException.class, () -> h.streamBuilder().build(), "no topics");
            assertThrows(IllegalStateException.class, () -> q.apply(h.streamBuilder()).pongTimeout(Duration.ZERO).build());
            assertThrows(IllegalStateException.class, () -> q.apply(h.streamBuilder()).pingAfter(Duration.ofMillis(-1)).build());
            assertThrows(IllegalStateException.class, () -> q.apply(h.streamBuilder()).heartbeatTimeout(Duration.ZERO).build());
            assertThrows(IllegalStateException.class, () -> q.apply(h.streamBuilder()).rotationOverlap(Duration.ofSeconds(-1)).build());
            assertThrows(IllegalArgumentException.class, () -> q.apply(h.streamBuilder())
                    .backoff(Duration.ofSeconds(2), Duration.ofSeconds(1)).build());
            assertThrows(IllegalArgumentException.class, () -> q.apply(h.streamBuilder()).topicsPerChannel(1_001).build());
            GenesysEventStream.Builder many = h.streamBuilder().topicsPerChannel(2).maxChannels(2);
            many.queues("q1", "q2", "q3", "q4", "q5");
            IllegalArgumentException tooMany = assertThrows(IllegalArgumentException.class, many::build);
            assertTrue(tooMany.getMessage().contains("channels"), tooMany.getMessage());
        }
    }

    @Test
    void aStreamStartsOnceAndClosesTwice() throws Exception {
        ContactCenterScenario s = GenesysEventStreamTest.scenario(42, 2);
        try (GenesysCloudSimulator sim = GenesysEventStreamTest.simulator(s).build(); StreamHarness h = new StreamHarness(sim)) {
            GenesysEventStream stream = h.start(h.streamBuilder().queues(GenesysEventStreamTest.queues(s)));
            sim.awaitOpenSockets(1, Duration.ofSeconds(30));
            assertThrows(IllegalStateException.class, () -> stream.start(h.pipeline));
            stream.close();
            stream.close();
            StreamHarness.await(Duration.ofSeconds(30), () -> sim.openSockets() == 0,
                    () -> "close() to close every socket; open: " + sim.openSockets());
            assertEquals(1, stream.metrics().connects());
        }
    }
}
