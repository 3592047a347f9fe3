package dev.gctimeline.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.gctimeline.auth.ClientCredentialsTokenProvider;
import dev.gctimeline.auth.GenesysEndpoints;
import dev.gctimeline.core.ConversationListener;
import dev.gctimeline.core.ConversationReconstructor;
import dev.gctimeline.core.ConversationState;
import dev.gctimeline.core.EvictionReason;
import dev.gctimeline.core.Timeline;
import dev.gctimeline.core.TimelineEvent;
import dev.gctimeline.core.TimelinePipeline;
import dev.gctimeline.core.TimelineStore;
import dev.gctimeline.core.TimelineStores;
import dev.gctimeline.testkit.GenesysCloudSimulator;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/** A simulator, a token provider, a memory-store pipeline and a stream, wired as a user would. */
final class StreamHarness implements AutoCloseable {
    static final String CLIENT = "stream-test-client";
    static final String SECRET = "stream-test-secret-value";

    final GenesysCloudSimulator sim;
    final ClientCredentialsTokenProvider tokens;
    final TimelineStore store;
    final TimelinePipeline pipeline;
    final Map<String, ConversationState> completed = new ConcurrentHashMap<>();
    final List<StreamGap> gaps = new CopyOnWriteArrayList<>();
    final List<String> rotations = new CopyOnWriteArrayList<>();
    final List<Throwable> failures = new CopyOnWriteArrayList<>();
    final List<Reconnecting> reconnecting = new CopyOnWriteArrayList<>();

    /** One {@link StreamListener#reconnecting} call. */
    record Reconnecting(int slot, int attempt, Duration delay, Throwable cause) {
    }
    /**
     * While set and not counted down, the stream's control thread waits inside
     * {@link StreamListener#reconnecting} (up to 30 s): no reconnect can happen before the test
     * releases it, however fast the machine.
     */
    volatile CountDownLatch holdReconnects;
    /** Evictions other than at shutdown (idle, capacity): a test of exact states expects none. */
    final List<String> evictions = new CopyOnWriteArrayList<>();
    GenesysEventStream stream;

    StreamHarness(GenesysCloudSimulator sim) {
        this(sim, TimelineStores.open("memory", Map.of()), b -> b);
    }

    /** A harness whose pipeline writes to {@code store}; {@code options} may change the pipeline (not its store or listener). */
    StreamHarness(GenesysCloudSimulator sim, TimelineStore store, UnaryOperator<TimelinePipeline.Builder> options) {
        this.sim = sim;
        GenesysEndpoints endpoints = GenesysEndpoints.builder().api(sim.baseUri()).login(sim.baseUri())
                .streaming(URI.create("ws://127.0.0.1:" + sim.webSocketPort())).build();
        this.tokens = ClientCredentialsTokenProvider.builder().clientId(CLIENT).clientSecret(SECRET)
                .endpoints(endpoints).maxRetries(3).retryBackoff(Duration.ofMillis(20)).build();
        this.store = store;
        this.pipeline = options.apply(TimelinePipeline.builder().gracePeriod(Duration.ofMillis(200))
                .linger(Duration.ofMillis(20))).store(store).listener(new ConversationListener() {
                    @Override
                    public void completed(ConversationState state, Timeline timeline) {
                        completed.put(state.conversationId(), state);
                    }

                    @Override
                    public void evicted(ConversationState state, Timeline timeline, EvictionReason reason) {
                        if (reason == EvictionReason.SHUTDOWN) {
                            completed.put(state.conversationId(), state);
                        } else {
                            evictions.add(state.conversationId() + ": " + reason);
                        }
                    }
                }).build();
        pipeline.start();
    }

    GenesysEventStream.Builder streamBuilder() {
        return GenesysEventStream.builder().apiBase(sim.baseUri()).tokens(tokens)
                .backoff(Duration.ofMillis(50), Duration.ofMillis(500)).tick(Duration.ofMillis(20))
                .listener(new StreamListener() {
                    @Override
                    public void gap(StreamGap gap) {
                        gaps.add(gap);
                    }

                    @Override
                    public void rotated(int slot, String fromChannel, String toChannel, String why) {
                        rotations.add(why);
                    }

                    @Override
                    public void failed(Throwable cause) {
                        failures.add(cause);
                    }

                    @Override
                    public void reconnecting(int slot, int attempt, Duration delay, Throwable cause) {
                        reconnecting.add(new Reconnecting(slot, attempt, delay, cause));
                        CountDownLatch hold = holdReconnects;
                        if (hold != null) {
                            try {
                                hold.await(30, TimeUnit.SECONDS);
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                        }
                    }
                });
    }

    GenesysEventStream start(GenesysEventStream.Builder b) {
        stream = b.build();
        stream.start(pipeline);
        return stream;
    }

    /** The state a correct client reconstructs from exactly these events: the reconstructor's fold. */
    static ConversationState expectedState(Timeline truth) {
        ConversationReconstructor r = ConversationReconstructor.builder().build();
        for (TimelineEvent e : truth.events()) {
            r.accept(e, 0);
        }
        return r.state(truth.conversationId());
    }

    /** Waits until the store holds exactly the truth for every conversation, then asserts it. */
    void assertStoreEventuallyEquals(Map<String, Timeline> truth, Duration within) throws InterruptedException {
        waitFor(within, () -> truth.entrySet().stream()
                .allMatch(e -> store.timeline(e.getKey()).equals(e.getValue())));
        List<String> wrong = new ArrayList<>();
        for (Map.Entry<String, Timeline> e : truth.entrySet()) {
            Timeline got = store.timeline(e.getKey());
            if (!got.equals(e.getValue())) {
                List<TimelineEvent> missing = new ArrayList<>(e.getValue().events());
                missing.removeAll(got.events());
                List<TimelineEvent> extra = new ArrayList<>(got.events());
                extra.removeAll(e.getValue().events());
                wrong.add(e.getKey() + ": expected " + e.getValue().size() + " events, stored " + got.size()
                        + "; missing " + missing.subList(0, Math.min(3, missing.size()))
                        + "; extra " + extra.subList(0, Math.min(3, extra.size())));
            }
        }
        assertEquals(List.of(), wrong, "conversations whose stored timeline differs from the truth");
    }

    /**
     * Waits until the stream's open channels have subscribed the topic of every queue in
     * {@code queueIds}. A socket opens before its subscription call, so a test that publishes as
     * soon as a socket is open races that call: on a slow machine a conversation whose queue
     * snapshots all come first is never seen (CI saw 29 of 30 conversations).
     */
    void awaitQueuesSubscribed(String... queueIds) {
        Set<String> wanted = new TreeSet<>();
        for (String q : queueIds) {
            wanted.add("v2.routing.queues." + q + ".conversations");
        }
        await(Duration.ofSeconds(30), () -> subscribedTopics().containsAll(wanted),
                () -> "the queue topics " + wanted + " subscribed on an open socket; subscribed: " + subscribedTopics());
    }

    private Set<String> subscribedTopics() {
        Set<String> topics = new TreeSet<>();
        for (String id : sim.channelIds()) {
            if (sim.isConnected(id)) {
                topics.addAll(sim.subscriptions(id));
            }
        }
        return topics;
    }

    /** Waits until {@code condition} holds, failing with what was expected and seen after {@code within}. */
    static void await(Duration within, BooleanSupplier condition, Supplier<String> expectedAndSeen) {
        long deadline = System.nanoTime() + within.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out after " + within + " waiting for " + expectedAndSeen.get());
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
    }

    /** Waits up to {@code within} for {@code condition}, for conditions that may rightly never hold; asserts nothing. */
    static void waitFor(Duration within, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
    }

    @Override
    public void close() {
        if (stream != null) {
            stream.close();
        }
        pipeline.close();
        store.close();
    }
}
