package dev.gctimeline.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gctimeline.core.Timeline;
import dev.gctimeline.core.TimelineEvent;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class SimulatorMainTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    /** A feed class as --feed names it, with the static factory SimulatorMain looks for first. */
    public static final class ScriptedFeed {
        private ScriptedFeed() {
        }

        public static ScenarioFeed create(long seed, int conversations, double rate) {
            return new ListFeed(Envelopes.conversations(conversations));
        }
    }

    /** A feed class with a no-argument constructor. */
    public static final class NoArgFeed implements ScenarioFeed {
        private final ListFeed delegate = new ListFeed(Envelopes.conversations(2));

        public NoArgFeed() {
        }

        @Override
        public List<Notification> notifications() {
            return delegate.notifications();
        }

        @Override
        public List<String> conversationIds() {
            return delegate.conversationIds();
        }

        @Override
        public Timeline truth(String conversationId) {
            return delegate.truth(conversationId);
        }

        @Override
        public java.util.Set<String> conversationsIn(long fromMillis, long toMillis) {
            return delegate.conversationsIn(fromMillis, toMillis);
        }

        @Override
        public String analyticsConversationJson(String conversationId) {
            return null;
        }
    }

    @Test
    void parsesEveryFlag() {
        SimulatorMain.Options o = SimulatorMain.Options.parse("--port", "0", "--ws-port", "0", "--seed", "9",
                "--conversations", "3", "--rate", "2.5", "--speed", "max", "--faults", "seed=4,duplicate=0.5",
                "--client-id", "me", "--client-secret", "hush", "--heartbeat-seconds", "0", "--no-wait", "--exit-when-done");
        assertEquals(9, o.seed());
        assertEquals(3, o.conversations());
        assertEquals(2.5, o.rate());
        assertTrue(Double.isInfinite(o.speed()));
        assertEquals(0.5, o.faults().duplicate());
        assertEquals(Duration.ZERO, o.heartbeat());
        assertFalse(o.waitForClient());
        assertTrue(o.exitWhenDone());
        assertFalse(o.toString().contains("hush"), "the secret never reaches toString");
        assertTrue(SimulatorMain.Options.parse("--help").help());
    }

    @Test
    void refusesBadCommandLines() {
        assertThrows(IllegalArgumentException.class, () -> SimulatorMain.Options.parse("--bogus", "1"));
        assertThrows(IllegalArgumentException.class, () -> SimulatorMain.Options.parse("--port"));
        assertThrows(IllegalArgumentException.class, () -> SimulatorMain.Options.parse("--port", "eighty"));
        assertThrows(IllegalArgumentException.class, () -> SimulatorMain.Options.parse("--speed", "0"));
        assertThrows(IllegalArgumentException.class, () -> SimulatorMain.Options.parse("--faults", "nonsense=1"));
    }

    @Test
    void loadsAFeedByClassName() {
        ScenarioFeed f = SimulatorMain.feed(SimulatorMain.Options.parse("--feed", ScriptedFeed.class.getName(),
                "--conversations", "4"));
        assertEquals(8, f.notifications().size());
        assertInstanceOf(NoArgFeed.class, SimulatorMain.feed(SimulatorMain.Options.parse("--feed", NoArgFeed.class.getName())));
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> SimulatorMain.feed(SimulatorMain.Options.parse("--feed", "no.such.Feed")));
        assertTrue(missing.getMessage().contains("no.such.Feed"));
        assertThrows(IllegalArgumentException.class,
                () -> SimulatorMain.feed(SimulatorMain.Options.parse("--feed", String.class.getName())));
    }

    @Test
    void theDefaultFeedIsTheSeededContactCentre() {
        ScenarioFeed f = SimulatorMain.feed(SimulatorMain.Options.parse("--conversations", "5", "--seed", "3"));
        assertInstanceOf(ContactCenterScenario.class, f);
        assertEquals(5, f.conversationIds().size());
        ScenarioFeed again = SimulatorMain.feed(SimulatorMain.Options.parse("--conversations", "5", "--seed", "3"));
        assertEquals(f.notifications(), again.notifications(), "same seed, same traffic");
    }

    @Test
    void theBuiltInFeedCarriesDetailTruthAndAnalytics() {
        ScenarioFeed f = SimulatorMain.feed(SimulatorMain.Options.parse("--feed", "builtin", "--conversations", "5",
                "--rate", "0.5"));
        assertEquals(5, f.conversationIds().size());
        assertEquals(5 * 8, f.notifications().size());
        long last = Long.MIN_VALUE;
        for (Notification n : f.notifications()) {
            assertTrue(n.sendAtMillis() >= last, "send order");
            last = n.sendAtMillis();
            if (n.topicName().startsWith("v2.detail.events.conversation.")) {
                assertEquals(1, n.carries().size());
                TimelineEvent e = n.carries().get(0);
                assertTrue(n.json().contains("\"eventTime\":" + e.eventTime()));
                assertTrue(n.topicName().endsWith("." + e.sourceType()));
            } else {
                assertTrue(n.carries().isEmpty(), "the snapshot claims no truth");
            }
        }
        String first = f.conversationIds().get(0);
        assertEquals(7, f.truth(first).events().size());
        assertTrue(f.analyticsConversationJson(first).contains(first));
        assertEquals(f.conversationIds().subList(0, 1),
                List.copyOf(f.conversationsIn(BuiltInFeedStart.START, BuiltInFeedStart.START + 1)));
    }

    @Test
    void runsStandaloneUntilTheFeedIsPlayed() throws Exception {
        SimulatorMain.Options o = SimulatorMain.Options.parse("--conversations", "3", "--speed", "max",
                "--heartbeat-seconds", "0", "--exit-when-done");
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(buf, true, StandardCharsets.UTF_8);
        try (GenesysCloudSimulator sim = SimulatorMain.start(o, out)) {
            assertTrue(buf.toString(StandardCharsets.UTF_8).contains(sim.baseUri().toString()));
            assertFalse(buf.toString(StandardCharsets.UTF_8).contains("sim-secret"));
            CompletableFuture<Void> ran = CompletableFuture.runAsync(() -> {
                try {
                    SimulatorMain.run(sim, o, out);
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            Rest rest = new Rest(sim);
            String token = rest.login();
            Rest.ChannelInfo ch = rest.createChannel(token);
            List<String> topics = new ArrayList<>();
            sim.currentFeed().notifications().forEach(n -> topics.add(n.topicName()));
            rest.subscribeOk(token, ch.id(), topics.stream().distinct().toList());
            JdkWs ws = JdkWs.connect(rest.http, ch.connectUri());
            ran.get(10, TimeUnit.SECONDS);
            assertEquals(24, ws.take(24, m -> true, WAIT).size());
            Map<String, Timeline> seen = sim.truthSeenThroughSubscriptions();
            assertEquals(3, seen.size());
            assertTrue(buf.toString(StandardCharsets.UTF_8).contains("stats SimulatorStats["));
        }
    }

    /** The built-in feed's first start, without reaching into the internal package from assertions. */
    private static final class BuiltInFeedStart {
        static final long START = java.time.Instant.parse("2026-11-22T10:00:00Z").toEpochMilli();
    }
}
