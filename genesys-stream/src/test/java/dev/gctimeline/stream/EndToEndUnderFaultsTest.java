package dev.gctimeline.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gctimeline.core.ConversationState;
import dev.gctimeline.core.PipelineMetrics;
import dev.gctimeline.core.RejectReason;
import dev.gctimeline.core.Timeline;
import dev.gctimeline.core.TimelineStores;
import dev.gctimeline.stream.internal.Channel;
import dev.gctimeline.testkit.ContactCenterScenario;
import dev.gctimeline.testkit.Delivery;
import dev.gctimeline.testkit.Faults;
import dev.gctimeline.testkit.GenesysCloudSimulator;
import dev.gctimeline.testkit.Notification;
import dev.gctimeline.testkit.ScenarioConversation;
import dev.gctimeline.testkit.SimulatorStats;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The acceptance test of the WebSocket path: 2,000 overlapping conversations, every fault of the
 * simulator switched on, a {@link GenesysEventStream} following the scenario's queues with
 * auto-follow into a pipeline with the memory store. What must come out is exactly what a correct
 * client makes of what was delivered ({@code truthSeenThroughSubscriptions()}), every corrupted
 * document accounted for, and every lost notification inside a reported gap.
 *
 * <p>Fault rates are per message per socket (about 70,000 notifications, 2,500 a second at 60x):
 * a few hundred split frames a second, tens of drops, socket_closing notices and token expiries over
 * the run. Heartbeats are missed often, but never long enough to time a healthy socket out: a
 * socket the client gives up while data is in flight would lose data the simulator logs as
 * delivered, and the truth could not know.
 */
class EndToEndUnderFaultsTest {
    private static final int MAX_DOCUMENT_BYTES = 64 * 1024;
    private static final double SPEED = 60;

    @Test
    void twoThousandConversationsUnderEveryFaultAreStoredExactlyAsDelivered() throws Exception {
        ContactCenterScenario s = ContactCenterScenario.builder().seed(2026).conversations(2_000)
                .arrivalRatePerSecond(1.5).build();
        String[] queues = s.conversations().stream().map(ScenarioConversation::queueId).distinct().toArray(String[]::new);
        Faults faults = Faults.builder().seed(77)
                .frameSplit(0.25).maxFramesPerMessage(6)
                .envelopeSplit(0.02)
                .duplicate(0.03)
                .reorder(0.03, 4)
                .dropSocket(0.0003)
                .dropSocketMidFrame(0.0003)
                .socketClosing(0.0003)
                .missedHeartbeat(0.3)
                .tokenExpiry(0.0003)
                .rateLimit(0.03)
                .malformed(0.003)
                .oversize(0.001, MAX_DOCUMENT_BYTES)
                .build();
        try (GenesysCloudSimulator sim = GenesysCloudSimulator.builder()
                .client(StreamHarness.CLIENT, StreamHarness.SECRET).feed(s).faults(faults)
                .heartbeatInterval(Duration.ofMillis(100)).socketClosingDelay(Duration.ofMillis(300))
                .retryAfter(Duration.ZERO).build();
             // Grace 5 s real = 300 s scenario: longer than any after-call work, so a conversation
             // completes with its wrap-up (nothing arrives late) and its state can be compared.
             StreamHarness h = new StreamHarness(sim, TimelineStores.open("memory", Map.of()),
                     b -> b.gracePeriod(Duration.ofSeconds(5)))) {
            GenesysEventStream stream = h.start(h.streamBuilder().queues(queues)
                    .unfollowGrace(Duration.ofSeconds(2)) // after-call work ends within 1.5 s real
                    .maxDocumentBytes(MAX_DOCUMENT_BYTES)
                    .heartbeatTimeout(Duration.ofSeconds(5))
                    .pingAfter(Duration.ofMillis(200)).pongTimeout(Duration.ofSeconds(2))
                    .backoff(Duration.ofMillis(20), Duration.ofMillis(200))
                    .rotationOverlap(Duration.ofMillis(100)));
            h.awaitQueuesSubscribed(queues);

            sim.playAt(SPEED);

            Map<String, Timeline> truth = sim.truthSeenThroughSubscriptions();
            // Until the store holds what the check accepts (exactly the truth, or without lost tails).
            StreamHarness.waitFor(Duration.ofSeconds(30), () -> TruthCheck.settled(sim, h.store, truth, h.gaps));
            quiescent(h);
            // Exactly the truth, per conversation, but for the last message part the JDK client drops
            // at an abrupt end, where the stream reported it did (TruthCheck has the mechanism).
            TruthCheck.Result checked = TruthCheck.assertStoreMatches(sim, h.store, truth, h.gaps);
            SimulatorStats st = sim.stats();
            StreamMetrics sm = stream.metrics();
            assertEquals(sm.lostAtEnd(), h.gaps.stream().filter(g -> g.cause().contains(GenesysEventStream.LOST_AT_END))
                    .count(), "every loss the JDK caused at an abrupt end is counted and reported as a gap");
            assertTrue(checked.tailLost().size() <= sm.lostAtEnd(), checked.tailLost() + " lost with " + sm);

            // Every fault switch actually fired, and the stream went through every kind of recovery.
            Map<String, Long> fired = new LinkedHashMap<>();
            fired.put("messagesFragmented", st.messagesFragmented());
            fired.put("documentsSplit", st.documentsSplit());
            fired.put("duplicatesScheduled", st.duplicatesScheduled());
            fired.put("reorderedScheduled", st.reorderedScheduled());
            fired.put("socketsDropped", st.socketsDropped());
            fired.put("socketsDroppedMidFrame", st.socketsDroppedMidFrame());
            fired.put("documentsTruncated", st.documentsTruncated());
            fired.put("socketClosingNotices", st.socketClosingNotices());
            fired.put("heartbeatsMissed", st.heartbeatsMissed());
            fired.put("tokenExpiriesInjected", st.tokenExpiriesInjected());
            fired.put("apiUnauthorized", st.apiUnauthorized());
            fired.put("rateLimited", st.rateLimited());
            fired.put("malformedSent", st.malformedSent());
            fired.put("oversizeSent", st.oversizeSent());
            fired.put("rotations", sm.rotations());
            fired.put("reconnects", sm.reconnects());
            fired.put("gaps", sm.gaps());
            fired.values().forEach(v -> assertTrue(v > 0, "a fault or recovery that never happened: " + fired));
            assertEquals(List.of(), h.failures);

            // Most of the scenario got through: the faults cost windows, not the run.
            assertTrue(truth.size() > s.conversationIds().size() * 9 / 10, truth.size() + " conversations seen");

            // The truth replays delivered snapshots (a snapshot's events are the difference to the one
            // seen before it). Where no snapshot of a conversation was lost, that must be exactly what
            // its delivered messages carry: the reordering here (3%, within 4 places, among
            // interleaved conversations) never lets one state of a conversation overtake the previous
            // one, so the stale rule costs nothing. (It would at much larger windows: an agent's
            // alerting state overtaken by connected is dropped as stale, and the agent's JOINED then
            // takes connectedTime instead of startAlertingTime; see the module README.)
            assertEquals(List.of(), replayDiffersWithNothingLost(sim, truth));

            // Nothing for conversations never seen.
            for (String id : s.conversationIds()) {
                if (!truth.containsKey(id)) {
                    assertEquals(0, h.store.timeline(id).size(), id + " was never delivered, yet stored");
                }
            }

            // Zero lost, zero duplicated: the store holds each event once and the dedup let no repeat
            // through to the writer; and it saw at least every repeat the simulator delivered.
            long truthEvents = checked.expected().values().stream().mapToLong(Timeline::size).sum();
            // The writer may still be flushing on a slow machine (a lasting difference fails below).
            StreamHarness.waitFor(Duration.ofSeconds(30), () -> h.pipeline.metrics().stored() >= truthEvents);
            PipelineMetrics pm = quiescent(h);
            assertEquals(truthEvents, pm.stored(), "events written: " + pm);
            assertEquals(pm.received() - pm.duplicates(), pm.stored(), "every non-duplicate stored once: " + pm);
            long repeatsDelivered = repeatsOfEventsDelivered(sim);
            assertTrue(repeatsDelivered > 0);
            assertTrue(pm.duplicates() >= repeatsDelivered, pm.duplicates() + " duplicates counted, "
                    + repeatsDelivered + " repeated events delivered");

            // Every corrupted document that reached a socket is one counted rejection of its reason.
            // (A socket dropped at the very end may be given up only at its pong timeout.)
            StreamHarness.waitFor(Duration.ofSeconds(10), () -> h.pipeline.metrics().rejected(RejectReason.MALFORMED_JSON)
                    >= st.malformedSent() + st.documentsTruncated());
            pm = quiescent(h);
            TruthCheck.assertRejectionsAccountFor(st, pm);

            // Every notification that reached no socket lies in a gap reported for its channel. (A gap
            // is reported once the next socket is up, or, for a rotation's old socket that may have
            // died before the takeover, a pong timeout after it.)
            StreamHarness.waitFor(Duration.ofSeconds(10), () -> lostOutsideGaps(sim, h.gaps).isEmpty());
            int lost = assertLostOnlyInsideGaps(sim, h.gaps);
            System.out.printf("end to end: %d of %d conversations seen, %d events, %d duplicates, %d rejected %s, "
                    + "%d notifications lost in %d gaps, %d conversations lost the last message of a socket "
                    + "(%d such losses reported), "
                    + "%d rotations, %d reconnects, %d pauses; %s%n",
                    truth.size(), s.conversationIds().size(), truthEvents, pm.duplicates(), pm.rejected(),
                    pm.rejectedByReason(), lost, sm.gaps(), checked.tailLost().size(), sm.lostAtEnd(), sm.rotations(), sm.reconnects(),
                    sm.pauses(), st);

            // The state each conversation completed with is the fold of exactly its truth.
            stream.close();
            h.pipeline.close();
            assertEquals(0, h.pipeline.metrics().late(), "nothing arrived after its conversation completed");
            assertEquals(List.of(), h.evictions);
            List<String> wrongStates = new ArrayList<>();
            for (Map.Entry<String, Timeline> e : checked.expected().entrySet()) {
                ConversationState expected = StreamHarness.expectedState(e.getValue());
                if (!expected.equals(h.completed.get(e.getKey()))) {
                    wrongStates.add(e.getKey());
                }
            }
            assertEquals(List.of(), wrongStates, "conversations whose final state differs from the fold of the truth");
            assertEquals(truth.size(), h.completed.size());
        }
    }

    /** The pipeline's counters once they stopped moving (they are read one by one, not atomically). */
    static PipelineMetrics quiescent(StreamHarness h) throws InterruptedException {
        PipelineMetrics last = h.pipeline.metrics();
        int stable = 0;
        for (int i = 0; i < 75 && stable < 3; i++) {
            Thread.sleep(200);
            PipelineMetrics now = h.pipeline.metrics();
            boolean same = now.received() == last.received() && now.duplicates() == last.duplicates()
                    && now.stored() == last.stored() && now.rejected() == last.rejected() && now.queued() == 0;
            stable = same ? stable + 1 : 0;
            last = now;
        }
        return last;
    }

    /** Conversations none of whose snapshots was lost, yet whose truth is not the union of what was delivered. */
    static List<String> replayDiffersWithNothingLost(GenesysCloudSimulator sim, Map<String, Timeline> truth) {
        Map<String, List<dev.gctimeline.core.TimelineEvent>> carried = new HashMap<>();
        Map<String, Boolean> snapshotDelivered = new HashMap<>();
        for (Delivery d : sim.deliveries()) {
            Notification n = sim.notification(d);
            boolean ok = d.outcome() == Delivery.Outcome.DELIVERED;
            if (n.topicName().startsWith("v2.routing.queues.")) {
                snapshotDelivered.merge(d.route() + ":" + d.index(), ok, Boolean::logicalOr);
            }
            if (ok) {
                carried.computeIfAbsent(n.conversationId(), k -> new ArrayList<>()).addAll(n.carries());
            }
        }
        java.util.Set<String> lostSnapshot = new java.util.HashSet<>();
        for (Delivery d : sim.deliveries()) {
            if (!snapshotDelivered.getOrDefault(d.route() + ":" + d.index(), true)) {
                lostSnapshot.add(sim.notification(d).conversationId());
            }
        }
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, Timeline> e : truth.entrySet()) {
            if (!lostSnapshot.contains(e.getKey())
                    && !e.getValue().equals(Timeline.of(e.getKey(), carried.get(e.getKey())))) {
                out.add(e.getKey());
            }
        }
        return out;
    }

    /**
     * Events delivered more than once beyond their first copy: duplicates, rotation overlaps.
     * Snapshot repeats are not counted: the snapshot memory turns a repeated state into no event.
     */
    static long repeatsOfEventsDelivered(GenesysCloudSimulator sim) {
        Map<String, Integer> copies = new HashMap<>();
        Map<String, Notification> byKey = new HashMap<>();
        for (Delivery d : sim.deliveries()) {
            if (d.outcome() == Delivery.Outcome.DELIVERED) {
                Notification n = sim.notification(d);
                if (n.topicName().startsWith("v2.detail.") || n.topicName().endsWith(".transcription")) {
                    String key = d.route() + ":" + d.index();
                    copies.merge(key, 1, Integer::sum);
                    byKey.put(key, n);
                }
            }
        }
        long repeats = 0;
        for (Map.Entry<String, Integer> e : copies.entrySet()) {
            repeats += (long) (e.getValue() - 1) * byKey.get(e.getKey()).carries().size();
        }
        return repeats;
    }

    /**
     * A notification no socket received (logged NO_SOCKET or LOST only) must have been published
     * inside a gap the stream reported for that channel: the window a backfill has to cover.
     */
    static int assertLostOnlyInsideGaps(GenesysCloudSimulator sim, List<StreamGap> gaps) {
        int lost = lost(sim).size();
        assertTrue(lost > 0, "the faults lost something");
        List<String> outside = lostOutsideGaps(sim, gaps);
        assertEquals(List.of(), outside.subList(0, Math.min(outside.size(), 10)),
                outside.size() + " of " + lost + " lost notifications outside every reported gap " + gaps);
        return lost;
    }

    /** Entries of notifications no socket received (logged NO_SOCKET or LOST only). */
    static List<Delivery> lost(GenesysCloudSimulator sim) {
        Map<String, Boolean> delivered = new HashMap<>();
        for (Delivery d : sim.deliveries()) {
            delivered.merge(d.route() + ":" + d.index(), d.outcome() == Delivery.Outcome.DELIVERED, Boolean::logicalOr);
        }
        List<Delivery> lost = new ArrayList<>();
        for (Delivery d : sim.deliveries()) {
            if (!delivered.get(d.route() + ":" + d.index())) {
                lost.add(d);
            }
        }
        return lost;
    }

    /** Of those, the ones published outside every gap reported for their channel. */
    static List<String> lostOutsideGaps(GenesysCloudSimulator sim, List<StreamGap> gaps) {
        List<String> outside = new ArrayList<>();
        for (Delivery d : lost(sim)) {
            String channel = Channel.redact(d.channelId());
            boolean covered = gaps.stream().anyMatch(g -> g.channel().equals(channel)
                    && d.atMillis() >= g.from().toEpochMilli() && d.atMillis() <= g.to().toEpochMilli());
            if (!covered) {
                outside.add(d.toString());
            }
        }
        return outside;
    }
}
