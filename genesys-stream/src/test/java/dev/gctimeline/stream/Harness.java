package dev.gctimeline.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.gctimeline.auth.ClientCredentialsTokenProvider;
import dev.gctimeline.auth.GenesysEndpoints;
import dev.gctimeline.core.ConversationListener;
import dev.gctimeline.core.ConversationReconstructor;
import dev.gctimeline.core.ConversationState;
import dev.gctimeline.core.ConversationSummary;
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
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * A real pipeline into a real memory store for the end-to-end tests, and the expectations they
 * compare with. The pipeline's processing clock stands still, so no conversation completes or idles
 * out while a test runs: every conversation's final state arrives at {@link #closePipeline()}
 * (evicted for shutdown) and reflects every event it received.
 */
final class Harness implements AutoCloseable {
    static final String CLIENT_ID = "stream-client";
    static final String CLIENT_SECRET = "stream-secret-do-not-log";

    final TimelineStore store;
    final TimelinePipeline pipeline;
    /** The last state the pipeline reported per conversation (completed or evicted). */
    final Map<String, ConversationState> finalStates = new ConcurrentHashMap<>();

    Harness(UnaryOperator<TimelinePipeline.Builder> options) {
        this(TimelineStores.open("memory", Map.of()), options);
    }

    Harness(TimelineStore store, UnaryOperator<TimelinePipeline.Builder> options) {
        this.store = store;
        ConversationListener listener = new ConversationListener() {
            @Override
            public void completed(ConversationState state, Timeline timeline) {
                finalStates.put(state.conversationId(), state);
            }

            @Override
            public void evicted(ConversationState state, Timeline timeline, EvictionReason reason) {
                finalStates.put(state.conversationId(), state);
            }
        };
        this.pipeline = options.apply(TimelinePipeline.builder().store(store).listener(listener).clock(() -> 0L)
                .daemonThreads(true)).build();
        pipeline.start();
    }

    /** Drains and flushes everything accepted; final states are in {@link #finalStates} afterwards. */
    void closePipeline() {
        pipeline.close();
    }

    @Override
    public void close() {
        pipeline.close();
        store.close();
    }

    // ----- expectations -----

    /** Per conversation, the timeline of {@code events} (any order, duplicates collapse). */
    static Map<String, Timeline> timelines(Collection<TimelineEvent> events) {
        Map<String, List<TimelineEvent>> by = new LinkedHashMap<>();
        for (TimelineEvent e : events) {
            by.computeIfAbsent(e.conversationId(), k -> new ArrayList<>()).add(e);
        }
        Map<String, Timeline> out = new LinkedHashMap<>();
        by.forEach((id, list) -> out.put(id, Timeline.of(id, list)));
        return out;
    }

    /** The definition of a conversation's state: its events folded by a fresh reconstructor. */
    static ConversationState fold(Timeline truth) {
        ConversationReconstructor r = ConversationReconstructor.builder().build();
        for (TimelineEvent e : truth.events()) {
            r.accept(e, 0);
        }
        return r.state(truth.conversationId());
    }

    /**
     * Every conversation of {@code truth}: the stored timeline equals it and the reconstructed
     * state equals its fold; and the store holds no conversation beyond them.
     */
    void assertMatches(Map<String, Timeline> truth) {
        long events = 0;
        for (Map.Entry<String, Timeline> t : truth.entrySet()) {
            String id = t.getKey();
            assertEquals(t.getValue(), store.timeline(id), "stored timeline of " + id);
            ConversationState state = finalStates.get(id);
            assertNotNull(state, "no final state for " + id);
            assertEquals(fold(t.getValue()), state, "reconstructed state of " + id);
            events += t.getValue().size();
        }
        List<ConversationSummary> all = store.conversations(Long.MIN_VALUE, Long.MAX_VALUE, Integer.MAX_VALUE);
        assertEquals(truth.size(), all.size(), "conversations in the store");
        assertEquals(events, pipeline.metrics().stored(), "events stored: none lost, none twice");
    }

    // ----- simulator plumbing -----

    static GenesysCloudSimulator.Builder simulator() {
        return GenesysCloudSimulator.builder().client(CLIENT_ID, CLIENT_SECRET).heartbeatInterval(Duration.ZERO);
    }

    static ClientCredentialsTokenProvider tokens(GenesysCloudSimulator sim) {
        GenesysEndpoints endpoints = GenesysEndpoints.builder().api(sim.baseUri()).login(sim.baseUri())
                .streaming(sim.webSocketUri()).build();
        return ClientCredentialsTokenProvider.builder().clientId(CLIENT_ID).clientSecret(CLIENT_SECRET)
                .endpoints(endpoints).maxRetries(2).retryBackoff(Duration.ofMillis(10)).build();
    }

    static URI seedUri(GenesysCloudSimulator sim, SeedShapeStream.Shape shape) {
        return URI.create(sim.webSocketUri() + shape.path());
    }

    static void await(BooleanSupplier condition, Duration timeout, Supplier<String> what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what.get());
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
    }

    /**
     * A real store that can be stalled: {@link #stall()} makes every append wait until
     * {@link #release()}; {@code delayMillis} slows every append.
     */
    static final class GatedStore implements TimelineStore {
        final TimelineStore memory = TimelineStores.open("memory", Map.of());
        volatile CountDownLatch gate = new CountDownLatch(0);
        volatile long delayMillis;
        /** Appends currently waiting at the gate. */
        final java.util.concurrent.atomic.AtomicInteger waiting = new java.util.concurrent.atomic.AtomicInteger();

        void stall() {
            gate = new CountDownLatch(1);
        }

        void release() {
            gate.countDown();
        }

        @Override
        public void append(List<TimelineEvent> events) {
            waiting.incrementAndGet();
            try {
                while (!gate.await(10, TimeUnit.MILLISECONDS)) {
                    // re-read the field: a test may stall and release repeatedly
                }
                if (delayMillis > 0) {
                    Thread.sleep(delayMillis);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            } finally {
                waiting.decrementAndGet();
            }
            memory.append(events);
        }

        @Override
        public void completed(ConversationState state) {
            memory.completed(state);
        }

        @Override
        public Timeline timeline(String conversationId) {
            return memory.timeline(conversationId);
        }

        @Override
        public List<ConversationSummary> conversations(long fromMillis, long toMillis, int limit) {
            return memory.conversations(fromMillis, toMillis, limit);
        }

        @Override
        public void close() {
            memory.close();
        }
    }
}
