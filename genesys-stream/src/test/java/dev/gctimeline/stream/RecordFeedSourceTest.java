package dev.gctimeline.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gctimeline.core.PipelineMetrics;
import dev.gctimeline.core.RejectReason;
import dev.gctimeline.core.Timeline;
import dev.gctimeline.core.TimelineEvent;
import dev.gctimeline.testkit.ContactCenterScenario;
import dev.gctimeline.testkit.EventBridgeFeed;
import dev.gctimeline.testkit.Notification;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The bulk path: Genesys EventBridge records, delivered at least once and unordered, through a
 * partitioned record log and a {@link RecordFeedSource} into a real pipeline and memory store.
 */
class RecordFeedSourceTest {
    private static final Duration WAIT = Duration.ofSeconds(60);

    /** What EventBridge carries of a conversation: its detail events (no snapshots, no transcription). */
    private static Map<String, Timeline> eventBridgeTruth(ContactCenterScenario scenario) {
        List<TimelineEvent> carried = new ArrayList<>();
        scenario.eventBridgeRecords().forEach(n -> carried.addAll(n.carries()));
        Map<String, Timeline> truth = Harness.timelines(carried);
        for (String id : scenario.conversationIds()) {
            List<TimelineEvent> details = scenario.truth(id).events().stream()
                    .filter(e -> !e.sourceType().equals("snapshot") && !e.sourceType().equals("transcription")).toList();
            assertEquals(Timeline.of(id, details), truth.get(id), "EventBridge carries the detail events of " + id);
        }
        return truth;
    }

    private static RecordFeedSource.Builder source(RecordFeed feed) {
        return RecordFeedSource.builder(feed).pollTimeout(Duration.ofMillis(20)).commitInterval(Duration.ZERO);
    }

    private static void awaitCommitted(MemoryRecordLog log, RecordFeedSource source) {
        Harness.await(log::fullyCommitted, WAIT, () -> source.metrics().toString());
    }

    @Test
    void eventBridgeRecordsArriveExactlyOnceInTheStoreWhateverTheRedeliveryAndOrder() {
        ContactCenterScenario scenario = ContactCenterScenario.builder().seed(8).conversations(2000)
                .arrivalRatePerSecond(5).build();
        Map<String, Timeline> truth = eventBridgeTruth(scenario);
        EventBridgeFeed deliveries = scenario.eventBridgeFeed(0.05, 20);
        MemoryRecordLog log = new MemoryRecordLog(4).append(deliveries.deliveries(), true);
        // Poison among the good records: each is rejected on its own, counted, and committed past.
        Map<RejectReason, Integer> poison = new LinkedHashMap<>();
        appendPoison(log, "{\"detail-type\":\"v2.detail.events.conversation.x.customer.start\",\"detail\":{",
                RejectReason.MALFORMED_JSON, poison); // truncated: must not swallow the next record
        appendPoison(log, "{\"version\" \"0\"}", RejectReason.MALFORMED_JSON, poison);
        appendPoison(log, "[1,2,3]", RejectReason.UNKNOWN_SHAPE, poison);
        appendPoison(log, "{\"detail\":{\"topicName\":\"v2.detail.events.conversation.c-x.customer.start\","
                + "\"eventBody\":{\"conversationId\":\"c-x\"}}}", RejectReason.MISSING_FIELD, poison);
        appendPoison(log, "{\"detail\":{\"topicName\":\"v2.detail.events.conversation.c-x.acw\",\"eventBody\":{\"p\":\""
                + "y".repeat(70_000) + "\"}}}", RejectReason.OVERSIZE, poison);
        long events = 0;
        for (Notification n : deliveries.deliveries()) {
            events += n.carries().size();
        }
        try (Harness h = new Harness(b -> b.shards(2).ringCapacity(4096))) {
            RecordFeedSource source = source(log.consumer(64)).maxDocumentBytes(64 * 1024).build();
            try {
                source.start(h.pipeline);
                awaitCommitted(log, source);
            } finally {
                source.close();
            }
            h.closePipeline();
            assertEquals(List.of(), log.violations);
            h.assertMatches(truth);

            RecordFeedSource.Metrics m = source.metrics();
            PipelineMetrics p = h.pipeline.metrics();
            assertEquals(log.size(), m.recordsPolled());
            assertEquals(log.size(), m.recordsDone());
            assertEquals(events, m.eventsOffered(), "every event of every delivery, duplicates included");
            assertEquals(events, p.received());
            assertTrue(deliveries.duplicates() > 0 && p.duplicates() >= deliveries.duplicates(), p.toString());
            for (RejectReason r : RejectReason.values()) {
                assertEquals(poison.getOrDefault(r, 0).longValue(), m.rejected(r), r + " " + m);
                assertEquals(poison.getOrDefault(r, 0).longValue(), p.rejected(r), r + " " + p);
            }
            assertEquals(0, m.recordsSkipped() + m.eventsSkipped() + m.pollFailures() + m.commitFailures());
            assertFalse(m.running());
        }
    }

    private static void appendPoison(MemoryRecordLog log, String json, RejectReason reason, Map<RejectReason, Integer> tally) {
        log.append("poison-" + tally.size(), null, json.getBytes(StandardCharsets.UTF_8));
        tally.merge(reason, 1, Integer::sum);
    }

    @Test
    void commitsNeverRunAheadOfAcceptanceThroughRepeatedCrashes() {
        ContactCenterScenario scenario = ContactCenterScenario.builder().seed(9).conversations(300)
                .arrivalRatePerSecond(5).build();
        Map<String, Timeline> truth = eventBridgeTruth(scenario);
        MemoryRecordLog log = new MemoryRecordLog(3).append(scenario.eventBridgeFeed(0.05, 20).deliveries(), true);
        Harness.GatedStore slow = new Harness.GatedStore();
        slow.delayMillis = 2;
        // A tiny ring and a store slower than the feed: the source is waiting for room most of the time.
        try (Harness h = new Harness(slow, b -> b.ringCapacity(16).batchSize(8).maxPendingBatches(1)
                .linger(Duration.ofMillis(1)))) {
            int crashesWhileWaiting = 0;
            int crashes = 0;
            while (!log.fullyCommitted() && crashes < 200) {
                // The first three crashes come while the store is stalled and the source waits for room
                // with events in hand: certain, where a store merely slower than the source is not on a
                // slow machine (the source may never outrun it).
                boolean stalled = crashes < 3;
                if (stalled) {
                    slow.stall();
                }
                RecordFeedSource source = source(log.consumer(16)).build();
                source.start(h.pipeline);
                int commitsBefore = log.commits.size();
                if (stalled) {
                    Harness.await(() -> source.metrics().waits() > 0, WAIT, () -> source.metrics().toString());
                } else {
                    Harness.await(() -> log.commits.size() >= commitsBefore + 3 || log.fullyCommitted(), WAIT,
                            () -> source.metrics().toString());
                }
                // A crash: the source stops mid-record, its held events never reach the pipeline, and the
                // next consumer starts from the committed positions.
                if (source.metrics().waits() > 0) {
                    crashesWhileWaiting++;
                }
                source.close();
                if (stalled) {
                    slow.release();
                }
                crashes++;
            }
            assertTrue(log.fullyCommitted(), "never got through the log in " + crashes + " restarts");
            assertTrue(crashes >= 5 && crashesWhileWaiting >= 3, crashes + " crashes, " + crashesWhileWaiting
                    + " while waiting for room");
            h.closePipeline();
            assertEquals(List.of(), log.violations);
            // Everything committed had been accepted: the pipeline stored all of it, and the records
            // redelivered after each crash collapsed in dedup and the idempotent store.
            h.assertMatches(truth);
        }
    }

    @ParameterizedTest(name = "keyed records: {0}")
    @ValueSource(booleans = {true, false})
    void twoInstancesSplitTheConversationsWithNoOverlapAndNoGap(boolean keyed) {
        ContactCenterScenario scenario = ContactCenterScenario.builder().seed(10).conversations(300)
                .arrivalRatePerSecond(5).build();
        Map<String, Timeline> truth = eventBridgeTruth(scenario);
        List<Notification> deliveries = scenario.eventBridgeFeed(0.05, 20).deliveries();
        long events = deliveries.stream().mapToLong(n -> n.carries().size()).sum();
        // Fan-out: every instance reads the whole feed and keeps its own conversations.
        MemoryRecordLog log0 = new MemoryRecordLog(2).append(deliveries, keyed);
        MemoryRecordLog log1 = new MemoryRecordLog(2).append(deliveries, keyed);
        try (Harness h0 = new Harness(b -> b); Harness h1 = new Harness(b -> b)) {
            RecordFeedSource s0 = source(log0.consumer(50)).ownership(ConversationOwnership.hashed(0, 2)).build();
            RecordFeedSource s1 = source(log1.consumer(50)).ownership(ConversationOwnership.hashed(1, 2)).build();
            try {
                s0.start(h0.pipeline);
                s1.start(h1.pipeline);
                awaitCommitted(log0, s0);
                awaitCommitted(log1, s1);
            } finally {
                s0.close();
                s1.close();
            }
            h0.closePipeline();
            h1.closePipeline();
            Map<String, Timeline> own0 = new LinkedHashMap<>();
            Map<String, Timeline> own1 = new LinkedHashMap<>();
            truth.forEach((id, t) -> (ConversationOwnership.hashed(0, 2).owns(id) ? own0 : own1).put(id, t));
            assertTrue(own0.size() > 100 && own1.size() > 100, own0.size() + " / " + own1.size());
            h0.assertMatches(own0); // also: the store holds no conversation beyond its own
            h1.assertMatches(own1);
            Set<String> both = new HashSet<>(own0.keySet());
            both.retainAll(own1.keySet());
            assertEquals(Set.of(), both);

            RecordFeedSource.Metrics m0 = s0.metrics();
            RecordFeedSource.Metrics m1 = s1.metrics();
            if (keyed) {
                assertEquals(deliveries.size(), m0.recordsSkipped() + m1.recordsSkipped(), "each record skipped once");
                assertEquals(0, m0.eventsSkipped() + m1.eventsSkipped());
            } else {
                assertEquals(0, m0.recordsSkipped() + m1.recordsSkipped());
                assertEquals(events, m0.eventsSkipped() + m1.eventsSkipped(), "each event skipped once");
            }
            assertEquals(events, m0.eventsOffered() + m1.eventsOffered(), "each event offered once");
            assertEquals(0, m0.rejected() + m1.rejected(), "skipped is not rejected");
        }
    }

    @Test
    void aFailingPollOrCommitIsRetriedAndNothingIsLost() {
        ContactCenterScenario scenario = ContactCenterScenario.builder().seed(12).conversations(40).build();
        Map<String, Timeline> truth = eventBridgeTruth(scenario);
        MemoryRecordLog log = new MemoryRecordLog(2).append(scenario.eventBridgeRecords(), true);
        MemoryRecordLog.Feed feed = log.consumer(10);
        feed.failNextPoll = new IllegalStateException("broker unreachable (test)");
        feed.failNextCommit = new IllegalStateException("commit refused (test)");
        try (Harness h = new Harness(b -> b)) {
            RecordFeedSource source = source(feed).pollRetryBackoff(Duration.ofMillis(1), Duration.ofMillis(5)).build();
            try {
                source.start(h.pipeline);
                awaitCommitted(log, source);
            } finally {
                source.close();
            }
            h.closePipeline();
            RecordFeedSource.Metrics m = source.metrics();
            assertEquals(1, m.pollFailures());
            assertEquals(1, m.commitFailures());
            assertEquals(List.of(), log.violations);
            h.assertMatches(truth);
        }
    }

    @Test
    void aClosedPipelineStopsTheSourceAndLeavesTheRestUncommitted() throws Exception {
        ContactCenterScenario scenario = ContactCenterScenario.builder().seed(13).conversations(100).build();
        MemoryRecordLog log = new MemoryRecordLog(1).append(scenario.eventBridgeRecords(), true);
        Harness.GatedStore stalled = new Harness.GatedStore();
        stalled.stall();
        try (Harness h = new Harness(stalled, b -> b.ringCapacity(16).batchSize(8).maxPendingBatches(1))) {
            RecordFeedSource source = source(log.consumer(10)).build();
            source.start(h.pipeline);
            Harness.await(() -> source.metrics().waits() > 0, WAIT, () -> source.metrics().toString());
            long committed = log.committed(0);
            // The pipeline closes (refusing every offer from then on) while the store is still stalled:
            // released first, the source could get the whole log accepted before close() began.
            CompletableFuture<Void> closing = CompletableFuture.runAsync(h::closePipeline); // stores what was accepted
            Harness.await(h.pipeline::isClosed, WAIT, () -> "the pipeline closing");
            stalled.release();
            closing.get(60, TimeUnit.SECONDS);
            Harness.await(() -> !source.metrics().running(), WAIT, () -> source.metrics().toString());
            source.close();
            assertFalse(log.fullyCommitted(), "what the closed pipeline never accepted stays uncommitted");
            assertTrue(log.committed(0) >= committed);
            assertTrue(source.failure().isEmpty());
            // Every committed record's events are in the store.
            Set<TimelineEvent> stored = new HashSet<>();
            for (String id : scenario.conversationIds()) {
                stored.addAll(h.store.timeline(id).events());
            }
            List<FeedRecord> part = log.partitions.get(0);
            List<Notification> records = scenario.eventBridgeRecords();
            for (int i = 0; i <= log.committed(0); i++) {
                assertTrue(stored.containsAll(records.get((int) part.get(i).offset()).carries()), "record " + i);
            }
        }
    }
}
