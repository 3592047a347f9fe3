package dev.gctimeline.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gctimeline.core.EventKind;
import dev.gctimeline.core.Timeline;
import dev.gctimeline.core.TimelineEvent;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The ground truth describes a possible contact centre: sessions, participants, transcripts and wrap-ups fit together. */
class GroundTruthConsistencyTest {

    private static boolean detail(TimelineEvent e) {
        return !"snapshot".equals(e.sourceType()) && !"transcription".equals(e.sourceType());
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 99, -5})
    void truthIsInternallyConsistent(long seed) {
        ContactCenterScenario s = ContactCenterScenario.builder().seed(seed).conversations(150).arrivalRatePerSecond(2)
                .build();
        int missed = 0;
        int consults = 0;
        int blinds = 0;
        int holds = 0;
        int transcripts = 0;
        for (ScenarioConversation c : s.conversations()) {
            Timeline t = s.truth(c.conversationId());
            assertTrue(t.size() > 5, c.conversationId());
            Map<String, Long> sessionStart = new HashMap<>();
            Map<String, Long> sessionEnd = new HashMap<>();
            Map<String, String> sessionOf = new HashMap<>();
            Set<String> participants = new HashSet<>();
            Set<String> connected = new HashSet<>();
            long first = Long.MAX_VALUE;
            for (TimelineEvent e : t.events()) {
                assertTrue(e.eventTime() >= c.startMillis() && e.eventTime() <= c.lastEventMillis(), e.toString());
                first = Math.min(first, e.eventTime());
                if (e.participantId() != null) {
                    participants.add(e.participantId());
                }
                if (e.kind() == EventKind.SESSION_STARTED && detail(e)) {
                    assertNull(sessionStart.put(e.sessionId(), e.eventTime()), "one start per session");
                    sessionOf.put(e.participantId(), e.sessionId());
                }
                if (e.kind() == EventKind.SESSION_ENDED && detail(e)) {
                    sessionEnd.put(e.sessionId(), e.eventTime());
                    if ("TRANSFER_CONSULT".equals(e.attribute("disconnectType"))) {
                        consults++;
                    }
                    if ("agent".equals(e.purpose()) && "TRANSFER".equals(e.attribute("disconnectType"))) {
                        blinds++;
                    }
                }
                if (e.kind() == EventKind.SESSION_STATE && "connected".equals(e.state())) {
                    connected.add(e.sessionId());
                }
                if (e.kind() == EventKind.SESSION_STATE && "held".equals(e.state())) {
                    holds++;
                }
            }
            assertEquals(c.startMillis(), first, "the conversation starts with its first fact");
            // Every session starts and ends inside the conversation, in that order.
            assertEquals(sessionStart.keySet(), sessionEnd.keySet());
            long lastEnd = Long.MIN_VALUE;
            for (Map.Entry<String, Long> e : sessionStart.entrySet()) {
                long end = sessionEnd.get(e.getKey());
                assertTrue(e.getValue() <= end, "session start <= end");
                assertTrue(end <= c.endMillis(), "session ends inside the conversation");
                lastEnd = Math.max(lastEnd, end);
            }
            assertEquals(c.endMillis(), lastEnd, "the conversation ends with its last session");
            // No participant without a session.
            for (String p : participants) {
                assertTrue(sessionOf.containsKey(p), "participant " + p + " has a session");
            }
            for (TimelineEvent e : t.events()) {
                if (e.kind() == EventKind.TRANSCRIPT) {
                    transcripts++;
                    Long start = sessionStart.get(e.sessionId());
                    assertNotNull(start, "transcript on a known session");
                    assertTrue(e.eventTime() >= start && e.eventTime() <= sessionEnd.get(e.sessionId()), e.toString());
                }
                if (e.kind() == EventKind.WRAPUP) {
                    String session = e.sessionId() != null ? e.sessionId() : sessionOf.get(e.participantId());
                    assertTrue(e.eventTime() > sessionEnd.get(session), "wrap-up after the agent's session ended: " + e);
                    assertTrue(connected.contains(session), "only agents who talked wrap up");
                }
                if (e.kind() == EventKind.SESSION_ENDED && detail(e) && "agent".equals(e.purpose())
                        && !connected.contains(e.sessionId())) {
                    missed++;
                    assertTrue(List.of("CLIENT", "SYSTEM").contains(e.attribute("disconnectType")), e.toString());
                }
            }
        }
        assertTrue(missed > 0 && consults > 0 && blinds > 0 && holds > 0 && transcripts > 0,
                "the scenario plays every feature: missed " + missed + " consult " + consults + " blind " + blinds
                        + " hold " + holds + " transcripts " + transcripts);
    }

    @ParameterizedTest
    @ValueSource(longs = {3, 4})
    void conversationsOverlapAndQueriesByIntervalMatchTheirSpans(long seed) {
        ContactCenterScenario s = ContactCenterScenario.builder().seed(seed).conversations(120).arrivalRatePerSecond(1)
                .build();
        List<ScenarioConversation> cs = s.conversations();
        int overlapping = 0;
        for (int i = 1; i < cs.size(); i++) {
            assertTrue(cs.get(i).startMillis() >= cs.get(i - 1).startMillis(), "start order");
            if (cs.get(i).startMillis() < cs.get(i - 1).lastEventMillis()) {
                overlapping++;
            }
        }
        assertTrue(overlapping > cs.size() / 2, "conversations overlap in time");
        long origin = ContactCenterScenario.DEFAULT_START_MILLIS;
        for (long from = origin - 60_000; from < origin + 200_000; from += 17_000) {
            long to = from + 25_000;
            Set<String> expected = new java.util.LinkedHashSet<>();
            for (ScenarioConversation c : cs) {
                if (c.startMillis() < to && c.lastEventMillis() >= from) {
                    expected.add(c.conversationId());
                }
            }
            assertEquals(expected, s.conversationsIn(from, to));
        }
        assertTrue(s.conversationsIn(origin - 10_000, origin).isEmpty());
    }
}
