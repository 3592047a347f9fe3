package dev.gctimeline.examples;

import dev.gctimeline.auth.ClientCredentialsTokenProvider;
import dev.gctimeline.auth.GenesysEndpoints;
import dev.gctimeline.auth.GenesysRegion;
import dev.gctimeline.auth.TokenProvider;
import dev.gctimeline.core.ConversationListener;
import dev.gctimeline.core.ConversationState;
import dev.gctimeline.core.EvictionReason;
import dev.gctimeline.core.PipelineMetrics;
import dev.gctimeline.core.Timeline;
import dev.gctimeline.core.TimelineEvent;
import dev.gctimeline.core.TimelinePipeline;
import dev.gctimeline.core.TimelineStore;
import dev.gctimeline.core.TimelineStores;
import dev.gctimeline.stream.GenesysEventStream;
import dev.gctimeline.stream.StreamGap;
import dev.gctimeline.stream.StreamListener;
import dev.gctimeline.testkit.ContactCenterScenario;
import dev.gctimeline.testkit.GenesysCloudSimulator;
import dev.gctimeline.testkit.ScenarioConversation;
import java.io.PrintStream;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The main job of {@code bin/run}: Genesys Cloud notifications in, exact conversation timelines out.
 *
 * <p>With {@code GENESYS_CLIENT_ID}, {@code GENESYS_CLIENT_SECRET}, {@code GENESYS_REGION} (a domain
 * such as {@code mypurecloud.ie}) and {@code GENESYS_QUEUES} (comma-separated queue ids) in the
 * environment it follows those queues on the real Genesys Cloud until interrupted. Without them it
 * starts the embedded simulator (a seeded contact centre on 127.0.0.1), follows its queues over a
 * real loopback WebSocket, and at the end compares every reconstructed timeline with the
 * simulator's ground truth.
 *
 * <p>Flags: {@code --conversations N} (default 60), {@code --speed X} (scenario time multiplier,
 * default 400), {@code --seed N}, {@code --store NAME} (default {@code memory}) and repeated
 * {@code --store-option key=value} (e.g. {@code --store influx --store-option url=http://127.0.0.1:8086
 * --store-option db=timeline}).
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) throws Exception {
        Options o = Options.parse(args);
        PrintStream out = System.out;
        String clientId = System.getenv("GENESYS_CLIENT_ID");
        if (clientId != null && !clientId.isBlank()) {
            runAgainstGenesys(o, out);
        } else if (!runEmbedded(o, out).allExact()) {
            System.exit(1);
        }
    }

    /**
     * What an embedded run found.
     *
     * @param conversations conversations the simulator played
     * @param exact         stored timelines equal to the simulator's truth as delivered
     * @param differing     ids of conversations whose stored timeline differs
     * @param finished      final states reported by the pipeline
     */
    record EmbeddedResult(int conversations, int exact, List<String> differing, Map<String, ConversationState> finished) {
        boolean allExact() {
            return differing.isEmpty() && exact == conversations;
        }
    }

    record Options(int conversations, double speed, long seed, String store, Map<String, String> storeOptions) {
        static Options parse(String[] args) {
            int conversations = 60;
            double speed = 400;
            long seed = 1;
            String store = "memory";
            Map<String, String> storeOptions = new LinkedHashMap<>();
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("missing value after " + a);
                }
                String v = args[++i];
                switch (a) {
                    case "--conversations" -> conversations = Integer.parseInt(v);
                    case "--speed" -> speed = Double.parseDouble(v);
                    case "--seed" -> seed = Long.parseLong(v);
                    case "--store" -> store = v;
                    case "--store-option" -> {
                        int eq = v.indexOf('=');
                        if (eq < 1) {
                            throw new IllegalArgumentException("--store-option wants key=value, got " + v);
                        }
                        storeOptions.put(v.substring(0, eq), v.substring(eq + 1));
                    }
                    default -> throw new IllegalArgumentException("unknown flag " + a
                            + " (known: --conversations, --speed, --seed, --store, --store-option)");
                }
            }
            return new Options(conversations, speed, seed, store, storeOptions);
        }
    }

    static EmbeddedResult runEmbedded(Options o, PrintStream out) throws Exception {
        ContactCenterScenario scenario = ContactCenterScenario.builder().seed(o.seed()).conversations(o.conversations())
                .build();
        String[] queues = scenario.conversations().stream().map(ScenarioConversation::queueId).distinct()
                .toArray(String[]::new);
        String clientId = "timeline-demo";
        String secret = "demo-secret-" + o.seed();
        Map<String, ConversationState> finished = new ConcurrentHashMap<>();
        try (GenesysCloudSimulator sim = GenesysCloudSimulator.builder().client(clientId, secret).feed(scenario)
                .heartbeatInterval(Duration.ofSeconds(1)).build();
             TimelineStore store = TimelineStores.open(o.store(), o.storeOptions())) {
            out.printf("embedded Genesys Cloud simulator on %s: %d conversations on %d queues, %d notifications%n",
                    sim.baseUri(), scenario.conversationIds().size(), queues.length, scenario.notifications().size());
            TokenProvider tokens = ClientCredentialsTokenProvider.builder().clientId(clientId).clientSecret(secret)
                    .endpoints(GenesysEndpoints.builder().api(sim.baseUri()).login(sim.baseUri())
                            .streaming(URI.create("ws://127.0.0.1:" + sim.webSocketPort())).build())
                    .build();
            TimelinePipeline pipeline = TimelinePipeline.builder().store(store).gracePeriod(Duration.ofMillis(300))
                    .listener(collectInto(finished)).build();
            pipeline.start();
            GenesysEventStream stream = GenesysEventStream.builder().apiBase(sim.baseUri()).tokens(tokens)
                    .queues(queues).unfollowGrace(Duration.ofSeconds(2)).listener(printing(out)).build();
            stream.start(pipeline);
            awaitSubscribed(sim);
            long t0 = System.nanoTime();
            sim.playAt(o.speed());
            awaitDrained(sim, pipeline, finished);
            stream.close();
            pipeline.close();
            double seconds = (System.nanoTime() - t0) / 1e9;

            Map<String, Timeline> truth = sim.truthSeenThroughSubscriptions();
            int exact = 0;
            List<String> differing = new ArrayList<>();
            for (Map.Entry<String, Timeline> e : truth.entrySet()) {
                if (store.timeline(e.getKey()).equals(e.getValue())) {
                    exact++;
                } else {
                    differing.add(e.getKey());
                }
            }
            PipelineMetrics m = pipeline.metrics();
            out.printf("played in %.1f s: %d events received, %d duplicates dropped, %d stored, %d rejected%n",
                    seconds, m.received(), m.duplicates(), m.stored(), m.rejected());
            out.printf("stream: %s%n", stream.metrics());
            out.printf("%d conversations reconstructed; %d of %d stored timelines equal the simulator's ground truth%s%n",
                    finished.size(), exact, truth.size(), differing.isEmpty() ? "" : " (differing: " + differing + ")");
            String example = scenario.conversationIds().get(0);
            out.printf("%nplayback of conversation %s from the %s store:%n", example, o.store());
            printTimeline(out, store.timeline(example));
            ConversationState state = finished.get(example);
            if (state != null) {
                out.printf("final state: status=%s, %d participants, %d media sessions, %d transcripts, wrap-ups %s%n",
                        state.status(), state.participants().size(), state.sessions().size(),
                        state.transcripts().size(), state.wrapups());
            }
            return new EmbeddedResult(truth.size(), exact, differing, finished);
        }
    }

    /**
     * Waits until the stream's channel has its socket and its subscriptions, at most 30 s. The stream
     * opens the socket first and subscribes right after; playing as soon as the socket is open would
     * publish the scenario's start into that gap on a slow machine, to nobody.
     */
    private static void awaitSubscribed(GenesysCloudSimulator sim) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (sim.channelIds().stream().noneMatch(id -> sim.isConnected(id) && !sim.subscriptions(id).isEmpty())) {
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("the stream did not connect and subscribe within 30 s");
            }
            Thread.sleep(5);
        }
    }

    /**
     * Waits until the pipeline holds every event the simulator delivered and has completed every
     * conversation it delivered anything of, at most 30 s (what is missing then is reported as
     * differing). A fixed pause instead would be a race: a busy machine can take longer to move the
     * last messages through socket, decoder, pipeline and grace period.
     */
    private static void awaitDrained(GenesysCloudSimulator sim, TimelinePipeline pipeline,
                                     Map<String, ConversationState> finished) throws InterruptedException {
        Map<String, Timeline> delivered = sim.truthSeenThroughSubscriptions();
        long events = delivered.values().stream().mapToLong(Timeline::size).sum();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() - deadline < 0) {
            PipelineMetrics m = pipeline.metrics();
            if (m.received() - m.duplicates() >= events && finished.keySet().containsAll(delivered.keySet())) {
                return;
            }
            Thread.sleep(20);
        }
    }

    private static void runAgainstGenesys(Options o, PrintStream out) throws Exception {
        String secret = require("GENESYS_CLIENT_SECRET");
        GenesysRegion region = GenesysRegion.fromDomain(require("GENESYS_REGION"));
        String[] queues = require("GENESYS_QUEUES").split("\\s*,\\s*");
        TokenProvider tokens = ClientCredentialsTokenProvider.builder().clientId(System.getenv("GENESYS_CLIENT_ID"))
                .clientSecret(secret).region(region).build();
        Map<String, ConversationState> finished = new ConcurrentHashMap<>();
        try (TimelineStore store = TimelineStores.open(o.store(), o.storeOptions())) {
            TimelinePipeline pipeline = TimelinePipeline.builder().store(store).listener(new ConversationListener() {
                @Override
                public void completed(ConversationState state, Timeline timeline) {
                    finished.put(state.conversationId(), state);
                    out.printf("%s completed: %d participants, %d sessions, %d events%n", state.conversationId(),
                            state.participants().size(), state.sessions().size(), timeline.size());
                }
            }).build();
            pipeline.start();
            GenesysEventStream stream = GenesysEventStream.builder().apiBase(region.apiBase()).tokens(tokens)
                    .queues(queues).listener(printing(out)).build();
            CountDownLatch stop = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                stream.close();
                // Bounded: a shutdown hook that waits for a store that is down never lets the JVM exit.
                // What the deadline abandons went to the store listener (a real service spills it).
                if (!pipeline.close(Duration.ofSeconds(20))) {
                    out.printf("store still failing at shutdown: %d events not stored%n",
                            pipeline.metrics().storeAbandonedEvents());
                }
                stop.countDown();
            }));
            stream.start(pipeline);
            out.printf("following %d queues in %s; Ctrl-C to stop%n", queues.length, region);
            stop.await();
        }
    }

    private static String require(String name) {
        String v = System.getenv(name);
        if (v == null || v.isBlank()) {
            throw new IllegalStateException(name + " is not set: real Genesys Cloud needs GENESYS_CLIENT_ID, "
                    + "GENESYS_CLIENT_SECRET, GENESYS_REGION and GENESYS_QUEUES (unset GENESYS_CLIENT_ID for the "
                    + "embedded simulator)");
        }
        return v;
    }

    private static ConversationListener collectInto(Map<String, ConversationState> finished) {
        return new ConversationListener() {
            @Override
            public void completed(ConversationState state, Timeline timeline) {
                finished.put(state.conversationId(), state);
            }

            @Override
            public void evicted(ConversationState state, Timeline timeline, EvictionReason reason) {
                finished.put(state.conversationId(), state);
            }
        };
    }

    private static StreamListener printing(PrintStream out) {
        return new StreamListener() {
            @Override
            public void connected(int slot, String channel) {
                out.printf("channel slot %d connected (%s)%n", slot, channel);
            }

            @Override
            public void gap(StreamGap gap) {
                out.printf("gap on slot %d from %s to %s: backfill needed%n", gap.slot(), gap.from(), gap.to());
            }

            @Override
            public void failed(Throwable cause) {
                out.printf("stream failed: %s%n", cause.getMessage());
            }
        };
    }

    private static void printTimeline(PrintStream out, Timeline t) {
        for (TimelineEvent e : t.events()) {
            StringBuilder line = new StringBuilder(96);
            line.append("  ").append(Instant.ofEpochMilli(e.eventTime())).append("  ")
                    .append(String.format("%-18s", e.kind()));
            if (e.sourceType() != null) {
                line.append(' ').append(String.format("%-15s", e.sourceType()));
            }
            if (e.purpose() != null) {
                line.append(" purpose=").append(e.purpose());
            }
            if (e.mediaType() != null) {
                line.append(" media=").append(e.mediaType());
            }
            if (e.state() != null) {
                line.append(" state=").append(e.state());
            }
            String text = e.attribute("text");
            if (text != null) {
                line.append(" \"").append(text).append('"');
            }
            String code = e.attribute("wrapupCode");
            if (code != null) {
                line.append(" wrapup=").append(code);
            }
            out.println(line);
        }
    }
}
