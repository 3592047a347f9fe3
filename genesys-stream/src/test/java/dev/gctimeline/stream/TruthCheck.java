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
 * The store against the truth, allowing exactly one loss the client cannot help, and only where the
 * stream said it happened.
 *
 * <p>The JDK WebSocket client (JDK 17.0.15; the OpenJDK mainline source has the same code) drops
 * the message part it received last when the end of the connection is right behind it. Proven with
 * its stack trace and source: the listener asks for one more message ({@code WebSocketImpl.ReceiveTask}
 * in state IDLE calls {@code TransportImpl.request(1)}); {@code TransportImpl.ReceiveTask.run}
 * decodes the part already buffered ({@code acknowledgeReception}: demand 1 to 0, state TEXT), then,
 * with no bytes left, reads the channel without checking demand, finds end-of-stream and calls
 * {@code WebSocketImpl.SignallingMessageConsumer.onComplete}, whose {@code acknowledgeReception}
 * throws {@code InternalError} (no demand left); {@code WebSocketImpl.ReceiveTask.run} catches it and
 * {@code signalError} sets state ERROR over the pending TEXT, so the listener gets onError, never the
 * part. It happens when that part and the end arrived while the listener was busy with the part
 * before (measured against a bare JDK client, 3 messages then FIN: 61 of 300 last messages lost,
 * every one with onError(InternalError), never an earlier one; a larger request(n) window does not
 * help, since WebSocketImpl asks the transport for one frame at a time). When the end is found on the
 * HttpClient's reading thread instead, the same InternalError lands in SocketTube's read loop and
 * the close is never reported (the stream's pong timeout ends the socket), but nothing is lost.
 *
 * <p>The stream reports each such end as a gap whose cause is {@link GenesysEventStream#LOST_AT_END}
 * (and counts it in {@link StreamMetrics#lostAtEnd()}); the part was written after the last answered
 * ping, so it lies in that gap. The simulator logs it DELIVERED: every byte reached the client. So a
 * conversation may equal the truth without the last notification an abruptly closed socket was sent,
 * provided it lies in a LOST_AT_END gap of its channel, and each such gap explains one lost
 * notification at most. Everything else must be exact. (The simulator's lingering close keeps resets
 * out: a reset would make the JDK client drop all it had not read, not just the last part.)
 */
final class TruthCheck {

    /**
     * @param expected per conversation, the timeline the store holds: the truth, or the truth without
     *                 the lost last message
     * @param tailLost conversations that lost the last message of an abruptly closed socket
     */
    record Result(Map<String, Timeline> expected, List<String> tailLost) {
    }

    private TruthCheck() {
    }

    /**
     * Whether the store already holds what {@link #assertStoreMatches} accepts (without its
     * per-channel count): every conversation the truth, or the truth without lost tails the stream
     * reported. For waiting until a run has been read to its end: unlike "the store equals the
     * truth", it also comes true when a tail was lost. Cheap while conversations without a
     * lost-tail candidate still differ.
     */
    static boolean settled(GenesysCloudSimulator sim, TimelineStore store, Map<String, Timeline> truth,
                           List<StreamGap> gaps) {
        Map<String, List<Delivery>> tails = null;
        for (Map.Entry<String, Timeline> e : truth.entrySet()) {
            String id = e.getKey();
            Timeline got = store.timeline(id);
            if (got.equals(e.getValue())) {
                continue;
            }
            if (tails == null) {
                tails = tails(sim, List.copyOf(gaps));
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

    /**
     * The candidates: per conversation, the last notification of each abruptly closed socket, where
     * the stream reported the JDK's loss at the end of that channel's socket.
     */
    private static Map<String, List<Delivery>> tails(GenesysCloudSimulator sim, List<StreamGap> gaps) {
        Map<Long, Long> abrupt = sim.abruptCloses();
        Map<Long, Delivery> lastOnConnection = new LinkedHashMap<>();
        for (Delivery d : sim.deliveries()) {
            if (d.outcome() == Delivery.Outcome.DELIVERED) {
                lastOnConnection.put(d.connectionId(), d);
            }
        }
        Map<String, List<Delivery>> tails = new LinkedHashMap<>();
        for (Map.Entry<Long, Delivery> e : lastOnConnection.entrySet()) {
            Delivery d = e.getValue();
            String c = sim.notification(d).conversationId();
            if (abrupt.containsKey(e.getKey()) && c != null && inLostAtEndGap(d, gaps)) {
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
        for (Delivery d : log) {
            if (d.outcome() == Delivery.Outcome.DELIVERED) {
                lastOnConnection.put(d.connectionId(), d);
            }
        }
        Map<String, List<Delivery>> tails = tails(sim, gaps);
        Map<String, Timeline> expected = new LinkedHashMap<>(truth);
        List<String> tailLost = new ArrayList<>();
        List<String> wrong = new ArrayList<>();
        Map<String, Integer> lostPerChannel = new LinkedHashMap<>();
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
                        + tails.getOrDefault(id, List.of()).size() + " last messages of abruptly closed sockets where "
                        + "the stream reported the JDK's loss)" + explain(sim, id, got, log, abrupt, lastOnConnection, gaps));
                continue;
            }
            for (Delivery d : log) {
                if (dropped.contains(d.sequence())) {
                    lostPerChannel.merge(Channel.redact(d.channelId()), 1, Integer::sum);
                }
            }
            expected.put(id, matched);
            tailLost.add(id);
        }
        for (Map.Entry<String, Integer> e : lostPerChannel.entrySet()) {
            long reported = gaps.stream().filter(g -> g.channel().equals(e.getKey()) && lostAtEnd(g)).count();
            if (e.getValue() > reported) {
                wrong.add(e.getKey() + ": " + e.getValue() + " last messages lost, " + reported + " losses reported");
            }
        }
        assertEquals(List.of(), wrong, "conversations whose stored timeline is not the truth");
        return new Result(expected, tailLost);
    }

    /**
     * Every corrupted document that reached a socket is one rejection of its reason: malformed
     * messages and documents cut off by a dropped socket are MALFORMED_JSON, oversize ones OVERSIZE,
     * nothing else is rejected. The one allowance is the JDK client's again: it loses at most the last
     * message part before an abrupt end, and only an end right after a corrupt or split document can
     * move a count that way (the simulator counts those ends); usually there is none.
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

    /** For a failure message: the one delivery whose loss would explain what is stored, and its context. */
    private static String explain(GenesysCloudSimulator sim, String id, Timeline got, List<Delivery> log,
                                  Map<Long, Long> abrupt, Map<Long, Delivery> lastOnConnection, List<StreamGap> gaps) {
        for (Delivery d : log) {
            if (d.outcome() != Delivery.Outcome.DELIVERED || !id.equals(sim.notification(d).conversationId())) {
                continue;
            }
            Timeline t = sim.truthSeenThroughSubscriptions(x -> id.equals(sim.notification(x).conversationId())
                    && x.sequence() != d.sequence()).getOrDefault(id, Timeline.empty(id));
            if (got.equals(t)) {
                String channel = Channel.redact(d.channelId());
                return "; explained by losing " + d + " (last on its connection: "
                        + (lastOnConnection.get(d.connectionId()) == d) + ", connection closed abruptly at "
                        + abrupt.get(d.connectionId()) + "; gaps of its channel: "
                        + gaps.stream().filter(g -> g.channel().equals(channel)).toList() + ")";
            }
        }
        return "; no single lost delivery explains it";
    }

    /** Inside a gap the stream reported for {@code d}'s channel as the JDK's loss of the last part. */
    private static boolean inLostAtEndGap(Delivery d, List<StreamGap> gaps) {
        String channel = Channel.redact(d.channelId());
        return gaps.stream().anyMatch(g -> g.channel().equals(channel) && lostAtEnd(g)
                && d.atMillis() >= g.from().toEpochMilli() && d.atMillis() <= g.to().toEpochMilli());
    }

    private static boolean lostAtEnd(StreamGap g) {
        return g.cause().contains(GenesysEventStream.LOST_AT_END);
    }
}
