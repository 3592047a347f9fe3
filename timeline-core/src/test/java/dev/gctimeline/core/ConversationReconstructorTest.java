package dev.gctimeline.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ConversationReconstructorTest {
    private static final long T0 = 1_732_240_000_000L;

    /** Records what the reconstructor reports. */
    static final class Recorder implements ConversationListener {
        final List<ConversationState> completed = new ArrayList<>();
        final List<Timeline> completedTimelines = new ArrayList<>();
        final List<EvictionReason> evictions = new ArrayList<>();
        final List<ConversationState> evicted = new ArrayList<>();

        @Override
        public void completed(ConversationState state, Timeline timeline) {
            completed.add(state);
            completedTimelines.add(timeline);
        }

        @Override
        public void evicted(ConversationState state, Timeline timeline, EvictionReason reason) {
            evicted.add(state);
            evictions.add(reason);
        }
    }

    private static ConversationReconstructor newReconstructor(ConversationListener l) {
        return ConversationReconstructor.builder().gracePeriod(Duration.ofSeconds(10))
                .idleTimeout(Duration.ofHours(1)).listener(l).build();
    }

    @Test
    void anyArrivalOrderWithDuplicatesGivesTheInOrderStateAndTimeline() {
        SplittableRandom rnd = new SplittableRandom(20261123L);
        Random shuffler = new Random(7);
        int permutations = 0;
        for (int conv = 0; conv < 50; conv++) {
            String id = "c-" + conv;
            List<TimelineEvent> inOrder = RandomConversations.conversation(id, rnd, T0 + conv * 1000L);
            ConversationReconstructor reference = newReconstructor(new Recorder());
            for (TimelineEvent e : inOrder) {
                reference.accept(e, 0);
            }
            ConversationState expectedState = reference.state(id);
            Timeline expectedTimeline = reference.timeline(id);
            assertEquals(Timeline.of(id, inOrder), expectedTimeline);
            for (int p = 0; p < 25; p++, permutations++) {
                List<TimelineEvent> arrival = new ArrayList<>(inOrder);
                int dups = shuffler.nextInt(inOrder.size() + 1);
                for (int d = 0; d < dups; d++) {
                    TimelineEvent dup = inOrder.get(shuffler.nextInt(inOrder.size()));
                    arrival.add(dup.withLamport(1000 + d)); // a repeat observed later, with another stamp
                }
                Collections.shuffle(arrival, shuffler);
                ConversationReconstructor r = newReconstructor(new Recorder());
                long lamport = 0;
                for (TimelineEvent e : arrival) {
                    assertEquals(ConversationReconstructor.Outcome.APPLIED, r.accept(e.withLamport(++lamport), 0));
                }
                assertEquals(expectedState, r.state(id), "state differs for permutation " + p + " of " + id);
                assertEquals(expectedTimeline, r.timeline(id), "timeline differs for permutation " + p + " of " + id);
            }
        }
        assertTrue(permutations >= 1000, "ran " + permutations + " permutations");
    }

    @Test
    void foldsParticipantsSessionsTranscriptsAttributesAndWrapups() {
        Recorder rec = new Recorder();
        ConversationReconstructor r = newReconstructor(rec);
        String c = "c-1";
        List<TimelineEvent> events = List.of(
                TimelineEvent.builder(c, EventKind.SESSION_STARTED, T0).participantId("cust").sessionId("s1")
                        .purpose("customer").mediaType("VOICE").direction("INBOUND").build(),
                TimelineEvent.builder(c, EventKind.SESSION_STATE, T0 + 5).participantId("cust").sessionId("s1")
                        .state("connected").build(),
                TimelineEvent.builder(c, EventKind.PARTICIPANT_JOINED, T0 + 10).participantId("agent").purpose("agent")
                        .userId("u-1").queueId("q-1").attribute("name", "Zoë").build(),
                TimelineEvent.builder(c, EventKind.SESSION_STARTED, T0 + 10).participantId("agent").sessionId("s2")
                        .mediaType("VOICE").build(),
                TimelineEvent.builder(c, EventKind.SESSION_STATE, T0 + 20).participantId("agent").sessionId("s2")
                        .state("connected").build(),
                TimelineEvent.builder(c, EventKind.SESSION_STATE, T0 + 25).participantId("agent").sessionId("s2")
                        .state("connected").build(),
                TimelineEvent.builder(c, EventKind.SESSION_STATE, T0 + 30).participantId("agent").sessionId("s2")
                        .state("held").build(),
                TimelineEvent.builder(c, EventKind.TRANSCRIPT, T0 + 31).sessionId("s1")
                        .attribute("utteranceId", "u1").attribute("channel", "EXTERNAL").attribute("text", "Grüß Gott 👋")
                        .attribute("confidence", "0.93").build(),
                TimelineEvent.builder(c, EventKind.ATTRIBUTES, T0 + 32).attribute("account", "42").build(),
                TimelineEvent.builder(c, EventKind.ATTRIBUTES, T0 + 33).attribute("account", "43").attribute("tier", "gold")
                        .build(),
                TimelineEvent.builder(c, EventKind.SESSION_ENDED, T0 + 40).participantId("cust").sessionId("s1")
                        .attribute("disconnectType", "client").build(),
                TimelineEvent.builder(c, EventKind.SESSION_ENDED, T0 + 41).participantId("agent").sessionId("s2")
                        .attribute("disconnectType", "peer").build(),
                TimelineEvent.builder(c, EventKind.WRAPUP, T0 + 50).participantId("agent").userId("u-1")
                        .attribute("wrapupCode", "sale").build(),
                TimelineEvent.builder(c, EventKind.WRAPUP, T0 + 60).participantId("agent")
                        .attribute("wrapupNotes", "upsold").attribute("wrapupDurationMs", "9000").build());
        for (TimelineEvent e : events) {
            r.accept(e, 1000);
        }
        ConversationState s = r.state(c);
        assertEquals("ended", s.status());
        assertEquals(T0, s.startTime());
        assertEquals(T0 + 41, s.endTime());
        assertEquals(List.of(
                new ConversationState.Participant("cust", "customer", null, null, null, T0, T0 + 40),
                new ConversationState.Participant("agent", "agent", "u-1", "q-1", "Zoë", T0 + 10, T0 + 41)),
                s.participants());
        ConversationState.MediaSession agentSession = s.session("s2");
        assertEquals(List.of(new ConversationState.StateChange(T0 + 20, "connected"),
                new ConversationState.StateChange(T0 + 30, "held")), agentSession.states());
        assertEquals("peer", agentSession.disconnectType());
        assertEquals("INBOUND", s.session("s1").direction());
        assertEquals(List.of(new ConversationState.Transcript(T0 + 31, null, "s1", "u1", "EXTERNAL", "Grüß Gott 👋",
                "0.93")), s.transcripts());
        assertEquals(java.util.Map.of("account", "43", "tier", "gold"), s.attributes());
        assertEquals(List.of(new ConversationState.Wrapup(T0 + 50, "agent", "u-1", "sale", "upsold", 9000)),
                s.wrapups());
        assertEquals(events.size(), s.eventCount());

        r.advance(1000 + 9_999);
        assertTrue(rec.completed.isEmpty(), "completed before the grace period passed");
        r.advance(1000 + 10_000);
        assertEquals(List.of(s), rec.completed);
        assertEquals(Timeline.of(c, events), rec.completedTimelines.get(0));
        assertNull(r.state(c));
        assertEquals(0, r.liveCount());

        // A straggler after completion is late: not folded, not reported again.
        TimelineEvent straggler = TimelineEvent.builder(c, EventKind.TRANSCRIPT, T0 + 70).attribute("text", "x").build();
        assertEquals(ConversationReconstructor.Outcome.LATE, r.accept(straggler, 20_000));
        assertEquals(1, r.lateCount());
        assertEquals(0, r.liveCount());
    }

    @Test
    void eventsDuringGraceRestartItAndAReopenCancelsCompletion() {
        Recorder rec = new Recorder();
        ConversationReconstructor r = newReconstructor(rec);
        String c = "c-2";
        r.accept(TimelineEvent.builder(c, EventKind.SESSION_STARTED, T0).participantId("p").sessionId("s").build(), 0);
        r.accept(TimelineEvent.builder(c, EventKind.SESSION_ENDED, T0 + 1).participantId("p").sessionId("s").build(), 0);
        assertTrue(r.state(c).ended());
        // A participant who joined earlier in event time arrives late: the conversation is open again.
        r.accept(TimelineEvent.builder(c, EventKind.SESSION_STARTED, T0).participantId("q").sessionId("s2").build(), 5_000);
        assertTrue(!r.state(c).ended());
        r.advance(20_000);
        assertTrue(rec.completed.isEmpty());
        r.accept(TimelineEvent.builder(c, EventKind.SESSION_ENDED, T0 + 2).participantId("q").sessionId("s2").build(),
                21_000);
        r.advance(30_999);
        assertTrue(rec.completed.isEmpty());
        r.advance(31_000);
        assertEquals(1, rec.completed.size());
        assertEquals(T0 + 2, rec.completed.get(0).endTime());
    }

    @Test
    void idleConversationsAreEvictedWithTheirReason() {
        Recorder rec = new Recorder();
        ConversationReconstructor r = ConversationReconstructor.builder().idleTimeout(Duration.ofSeconds(5))
                .listener(rec).build();
        r.accept(TimelineEvent.builder("a", EventKind.PARTICIPANT_JOINED, T0).participantId("p").build(), 0);
        r.accept(TimelineEvent.builder("b", EventKind.PARTICIPANT_JOINED, T0).participantId("p").build(), 3_000);
        r.advance(4_999);
        assertEquals(2, r.liveCount());
        r.advance(5_000);
        assertEquals(1, r.liveCount());
        assertNotNull(r.state("b"));
        assertEquals(List.of(EvictionReason.IDLE), rec.evictions);
        assertEquals("a", rec.evicted.get(0).conversationId());
        r.closeAll(6_000);
        assertEquals(List.of(EvictionReason.IDLE, EvictionReason.SHUTDOWN), rec.evictions);
        assertEquals(0, r.liveCount());
    }

    @Test
    void aMillionConversationsNeverGrowTheLiveMapBeyondItsMaximum() {
        long[] evictedCount = new long[1];
        ConversationListener counting = new ConversationListener() {
            @Override
            public void evicted(ConversationState state, Timeline timeline, EvictionReason reason) {
                assertEquals(EvictionReason.CAPACITY, reason);
                evictedCount[0]++;
            }
        };
        int max = 10_000;
        ConversationReconstructor r = ConversationReconstructor.builder().maxLiveConversations(max)
                .gracePeriod(Duration.ofHours(1)).idleTimeout(Duration.ofHours(10)).recentlyCompletedCapacity(1000)
                .listener(counting).build();
        int maxSeen = 0;
        for (int i = 0; i < 1_000_000; i++) {
            String id = "conv-" + i;
            r.accept(TimelineEvent.builder(id, EventKind.SESSION_STARTED, T0 + i).participantId("p").sessionId("s")
                    .eventId(i).build(), i);
            if ((i & 1) == 0) {
                // half of them end: they wait out their grace period while newer ones push them out
                r.accept(TimelineEvent.builder(id, EventKind.SESSION_ENDED, T0 + i + 1).participantId("p")
                        .sessionId("s").eventId(-i - 1L).build(), i);
            }
            maxSeen = Math.max(maxSeen, r.liveCount());
            if ((i & 1023) == 0) {
                r.advance(i);
            }
        }
        assertEquals(max, maxSeen);
        assertEquals(max, r.liveCount());
        assertEquals(1_000_000 - max, r.evictedForCapacity());
        assertEquals(1_000_000 - max, evictedCount[0]);
    }
}
