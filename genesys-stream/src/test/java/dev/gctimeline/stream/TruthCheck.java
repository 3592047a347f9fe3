package dev.gctimeline.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gctimeline.core.PipelineMetrics;
import dev.gctimeline.core.RejectReason;
import dev.gctimeline.core.Timeline;
import dev.gctimeline.core.TimelineStore;
import dev.gctimeline.stream.internal.Channel;
import dev.gctimeline.testkit.Delivery;
import dev.gctimeline.testkit.GenesysCloudSimulator;
import dev.gctimeline.testkit.SimulatorStats;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The store against the truth, allowing exactly one thing the client cannot help: the JDK WebSocket
 * client drops a message that arrives together with the end of an abruptly closed connection. Its
 * receive state machine takes a message off the wire, hands it to the listener's thread, and reads
 * on; if that read finds the end of the connection, the close replaces the message before the
 * listener sees it (measured: of three messages written right before a TCP close, the last was lost
 * in 7 of 150 tries). It reads the next message only once the listener asked for it, so at most the
 * one message in hand is lost. The simulator logs it DELIVERED: it was written. So a conversation
 * may instead equal the truth without the last message an abruptly closed socket was sent (within
 * its last second), provided that message was published inside a gap the stream reported for its
 * channel (where a backfill recovers it). Everything else must be exact.
 */
final class TruthCheck {
    /** How far before an abrupt close a written message may still be unread: generous, the client keeps up. */
    static final long TAIL_MILLIS = 1_000;

    /**
     * @param expected per conversation, the timeline the store holds: the truth, or the truth without
     *                 the lost tail
     * @param tailLost conversations that lost part of an abruptly closed socket's tail
     */
    record Result(Map<String, Timeline> expected, List<String> tailLost) {
    }

    private TruthCheck() {
    }

    /**
     * Whether the store already holds what {@link #assertStoreMatches} accepts (without its gap check):
     * every conversation the truth, or the truth without lost tails. For waiting until a run has been
     * read to its end: unlike "the store equals the truth", it also comes true when a tail was lost.
     * Cheap while conversations without a lost-tail candidate still differ.
     */
    static boolean settled(GenesysCloudSimulator sim, TimelineStore store, Map<String, Timeline> truth) {
        Map<String, List<Delivery>> tails = null;
        for (Map.Entry<String, Timeline> e : truth.entrySet()) {
            String id = e.getKey();
            Timeline got = store.timeline(id);
            if (got.equals(e.getValue())) {
                continue;
            }
            if (tails == null) {
                tails = tails(sim);
            }
            boolean matched = false;
            for (Set<Long> excluded : suffixChoices(tails.getOrDefault(id, List.of()))) {
                if (!excluded.isEmpty() && got.equals(sim.truthSeenThroughSubscriptions(d -> id.equals(
                        sim.notification(d).conversationId()) && !excluded.contains(d.sequence())).getOrDefault(id,
                        Timeline.empty(id)))) {
                    matched = true;
                    break;
                }
            }
            if (!matched) {
                return false;
            }
        }
        return true;
    }

    /** Per conversation, the last messages of abruptly closed sockets sent within TAIL_MILLIS of the close. */
    private static Map<String, List<Delivery>> tails(GenesysCloudSimulator sim) {
        Map<Long, Long> abrupt = sim.abruptCloses();
        Map<Long, Delivery> lastOnConnection = new LinkedHashMap<>();
        for (Delivery d : sim.deliveries()) {
            if (d.outcome() == Delivery.Outcome.DELIVERED) {
                lastOnConnection.put(d.connectionId(), d);
            }
        }
        Map<String, List<Delivery>> tails = new LinkedHashMap<>();
        for (Map.Entry<Long, Delivery> e : lastOnConnection.entrySet()) {
            Long closedAt = abrupt.get(e.getKey());
            Delivery d = e.getValue();
            String c = sim.notification(d).conversationId();
            if (closedAt != null && c != null && d.atMillis() >= closedAt - TAIL_MILLIS) {
                tails.computeIfAbsent(c, k -> new ArrayList<>()).add(d);
            }
        }
        return tails;
    }

    static Result assertStoreMatches(GenesysCloudSimulator sim, TimelineStore store, Map<String, Timeline> truth,
                                     List<StreamGap> gaps) {
        Map<Long, Long> abrupt = sim.abruptCloses();
        List<Delivery> log = sim.deliveries();
        Map<Long, Delivery> lastOnConnection = new LinkedHashMap<>();
        Map<String, Integer> deliveredCopies = new LinkedHashMap<>();
        for (Delivery d : log) {
            if (d.outcome() == Delivery.Outcome.DELIVERED) {
                deliveredCopies.merge(key(d), 1, Integer::sum);
                lastOnConnection.put(d.connectionId(), d);
            }
        }
        Map<String, List<Delivery>> tails = new LinkedHashMap<>();
        for (Map.Entry<Long, Delivery> e : lastOnConnection.entrySet()) {
            Long closedAt = abrupt.get(e.getKey());
            Delivery d = e.getValue();
            String c = sim.notification(d).conversationId();
            if (closedAt != null && c != null && d.atMillis() >= closedAt - TAIL_MILLIS) {
                tails.computeIfAbsent(c, k -> new ArrayList<>()).add(d);
            }
        }
        Map<String, Timeline> expected = new LinkedHashMap<>(truth);
        List<String> tailLost = new ArrayList<>();
        List<String> wrong = new ArrayList<>();
        for (Map.Entry<String, Timeline> e : truth.entrySet()) {
            String id = e.getKey();
            Timeline got = store.timeline(id);
            if (got.equals(e.getValue())) {
                continue;
            }
            Timeline matched = null;
            Set<Long> dropped = null;
            for (Set<Long> excluded : suffixChoices(tails.getOrDefault(id, List.of()))) {
                Timeline t = sim.truthSeenThroughSubscriptions(d -> id.equals(sim.notification(d).conversationId())
                        && !excluded.contains(d.sequence())).getOrDefault(id, Timeline.empty(id));
                if (got.equals(t)) {
                    matched = t;
                    dropped = excluded;
                    break;
                }
            }
            if (matched == null) {
                wrong.add(id + ": expected " + e.getValue().size() + " events, stored " + got.size() + " ("
                        + tails.getOrDefault(id, List.of()).size() + " last messages of abruptly closed sockets)");
                continue;
            }
            for (Delivery d : log) {
                if (dropped.contains(d.sequence()) && deliveredCopies.get(key(d)) == 1 && !inGap(d, gaps)) {
                    wrong.add(id + ": lost " + d + " outside every reported gap");
                }
            }
            expected.put(id, matched);
            tailLost.add(id);
        }
        assertEquals(List.of(), wrong, "conversations whose stored timeline is not the truth");
        return new Result(expected, tailLost);
    }

    /**
     * Every corrupted document that reached a socket is one rejection of its reason: malformed
     * messages and documents cut off by a dropped socket are MALFORMED_JSON, oversize ones OVERSIZE,
     * nothing else is rejected. The one allowance is the JDK client's again: at most one message is in
     * flight when it loses an abrupt close's tail, and only a close right after a corrupt or split
     * document can move a count (the simulator counts those closes); usually there is none.
     */
    static void assertRejectionsAccountFor(SimulatorStats st, PipelineMetrics pm) {
        long slack = st.abruptClosesAfterSplitOrCorruptWrite();
        long malformed = pm.rejected(RejectReason.MALFORMED_JSON);
        long oversize = pm.rejected(RejectReason.OVERSIZE);
        String counts = "MALFORMED_JSON " + malformed + " for " + st.malformedSent() + " malformed sent + "
                + st.documentsTruncated() + " documents cut off; OVERSIZE " + oversize + " for " + st.oversizeSent()
                + " sent; " + slack + " abrupt closes right after a corrupt or split document";
        assertTrue(Math.abs(malformed - st.malformedSent() - st.documentsTruncated()) + Math.abs(oversize
                - st.oversizeSent()) <= slack, counts);
        assertEquals(malformed + oversize, pm.rejected(), "no other rejection: " + pm.rejectedByReason());
    }

    /** Every subset of the candidate last messages lost (each socket loses its last one or not), none first. */
    private static List<Set<Long>> suffixChoices(List<Delivery> lastMessages) {
        if (lastMessages.size() > 9) {
            throw new AssertionError("too many lost-tail alternatives to try: " + lastMessages);
        }
        List<Set<Long>> choices = new ArrayList<>();
        for (int mask = 0; mask < 1 << lastMessages.size(); mask++) {
            Set<Long> lost = new HashSet<>();
            for (int i = 0; i < lastMessages.size(); i++) {
                if ((mask & 1 << i) != 0) {
                    lost.add(lastMessages.get(i).sequence());
                }
            }
            choices.add(lost);
        }
        return choices;
    }

    private static boolean inGap(Delivery d, List<StreamGap> gaps) {
        String channel = Channel.redact(d.channelId());
        return gaps.stream().anyMatch(g -> g.channel().equals(channel)
                && d.atMillis() >= g.from().toEpochMilli() && d.atMillis() <= g.to().toEpochMilli());
    }

    private static String key(Delivery d) {
        return d.route() + ":" + d.index();
    }
}
