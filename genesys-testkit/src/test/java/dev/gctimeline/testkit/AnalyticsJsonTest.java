package dev.gctimeline.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gctimeline.core.EventKind;
import dev.gctimeline.core.TimelineEvent;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The analytics conversation-details JSON tells the same story as the ground truth. */
class AnalyticsJsonTest {
    private static final ContactCenterScenario SCENARIO = ContactCenterScenario.builder().seed(21).conversations(200)
            .arrivalRatePerSecond(2).build();

    private static long iso(Object v) {
        return Instant.parse((String) v).toEpochMilli();
    }

    /** Analytics camelCase ({@code transferConsult}) to detail-event upper case ({@code TRANSFER_CONSULT}). */
    private static String detailCase(String camel) {
        return camel.replaceAll("([a-z])([A-Z])", "$1_$2").toUpperCase(Locale.ROOT);
    }

    private static TimelineEvent find(List<TimelineEvent> events, String sourceType, String sessionId) {
        for (TimelineEvent e : events) {
            if (sourceType.equals(e.sourceType()) && sessionId.equals(e.sessionId())) {
                return e;
            }
        }
        return null;
    }

    @Test
    @SuppressWarnings("unchecked")
    void analyticsAgreesWithTruth() {
        Set<String> segmentTypes = new HashSet<>();
        for (ScenarioConversation c : SCENARIO.conversations()) {
            Map<String, Object> a = JsonTree.object(SCENARIO.analyticsConversationJson(c.conversationId()));
            List<TimelineEvent> truth = SCENARIO.truth(c.conversationId()).events();
            assertEquals(c.conversationId(), a.get("conversationId"));
            assertEquals(truth.get(0).eventTime(), iso(a.get("conversationStart")));
            long lastEnd = truth.stream().filter(e -> e.kind() == EventKind.SESSION_ENDED && !"snapshot".equals(e.sourceType()))
                    .mapToLong(TimelineEvent::eventTime).max().orElseThrow();
            assertEquals(lastEnd, iso(a.get("conversationEnd")));
            assertEquals(c.mediaType().equals("CALLBACK") ? "outbound" : "inbound", a.get("originatingDirection"));
            assertEquals(1, ((List<?>) a.get("divisionIds")).size());
            for (Object po : (List<Object>) a.get("participants")) {
                Map<String, Object> p = (Map<String, Object>) po;
                for (Object so : (List<Object>) p.get("sessions")) {
                    Map<String, Object> s = (Map<String, Object>) so;
                    String sid = (String) s.get("sessionId");
                    TimelineEvent start = truth.stream().filter(e -> e.kind() == EventKind.SESSION_STARTED
                            && sid.equals(e.sessionId()) && !"snapshot".equals(e.sourceType())).findFirst().orElseThrow();
                    TimelineEvent end = truth.stream().filter(e -> e.kind() == EventKind.SESSION_ENDED
                            && sid.equals(e.sessionId()) && !"snapshot".equals(e.sourceType())).findFirst().orElseThrow();
                    assertEquals(start.participantId(), p.get("participantId"));
                    assertEquals(start.purpose(), p.get("purpose"));
                    assertEquals(start.userId(), p.get("userId"));
                    assertEquals(start.mediaType().toLowerCase(Locale.ROOT), s.get("mediaType"));
                    assertEquals(start.direction().toLowerCase(Locale.ROOT), s.get("direction"));
                    List<Map<String, Object>> segments = (List<Map<String, Object>>) s.get("segments");
                    assertEquals(start.eventTime(), iso(segments.get(0).get("segmentStart")), "first segment starts the session");
                    long previousEnd = start.eventTime();
                    Map<String, Object> lastTalk = null;
                    for (Map<String, Object> seg : segments) {
                        String type = (String) seg.get("segmentType");
                        segmentTypes.add(type);
                        long segStart = iso(seg.get("segmentStart"));
                        long segEnd = iso(seg.get("segmentEnd"));
                        assertTrue(segStart <= segEnd);
                        assertEquals(previousEnd, segStart, "segments are contiguous");
                        previousEnd = segEnd;
                        if (type.equals("wrapup")) {
                            TimelineEvent acw = find(truth, "acw", sid);
                            assertNotNull(acw, "a wrapup segment has an acw event");
                            assertEquals(acw.eventTime(), segEnd);
                            assertEquals(acw.attribute("wrapupCode"), seg.get("wrapUpCode"));
                            assertEquals(acw.attribute("wrapupNotes"), seg.get("wrapUpNote"));
                            assertEquals(Long.parseLong(acw.attribute("wrapupDurationMs")), segEnd - segStart);
                            assertEquals(end.eventTime(), segStart, "after-call work starts when the session ends");
                        } else {
                            lastTalk = seg;
                        }
                        if (type.equals("hold")) {
                            assertTrue(truth.stream().anyMatch(e -> e.kind() == EventKind.SESSION_STATE
                                    && "held".equals(e.state()) && sid.equals(e.sessionId()) && e.eventTime() == segStart),
                                    "a hold segment starts where the snapshots say held");
                        }
                        if (seg.get("queueId") != null) {
                            assertEquals(c.queueId(), seg.get("queueId"));
                        }
                    }
                    assertNotNull(lastTalk);
                    assertEquals(end.eventTime(), iso(lastTalk.get("segmentEnd")), "last segment ends the session");
                    assertEquals(end.attribute("disconnectType"), detailCase((String) lastTalk.get("disconnectType")));
                    if (find(truth, "acw", sid) == null) {
                        assertTrue(segments.stream().noneMatch(seg -> "wrapup".equals(seg.get("segmentType"))));
                    }
                }
            }
        }
        assertEquals(Set.of("alert", "interact", "hold", "wrapup", "ivr"), segmentTypes);
    }

    @Test
    @SuppressWarnings("unchecked")
    void analyticsAsOfAMomentShowsOnlyWhatHadHappened() {
        int live = 0;
        for (ScenarioConversation c : SCENARIO.conversations().subList(0, 60)) {
            String id = c.conversationId();
            assertNull(SCENARIO.analyticsConversationJson(id, c.startMillis() - 1));
            assertEquals(SCENARIO.analyticsConversationJson(id), SCENARIO.analyticsConversationJson(id, c.lastEventMillis()));
            long mid = (c.startMillis() + c.endMillis()) / 2;
            Map<String, Object> a = JsonTree.object(SCENARIO.analyticsConversationJson(id, mid));
            assertNull(a.get("conversationEnd"), "no end while live");
            int open = 0;
            for (Object po : (List<Object>) a.get("participants")) {
                for (Object so : (List<Object>) ((Map<String, Object>) po).get("sessions")) {
                    for (Object go : (List<Object>) ((Map<String, Object>) so).get("segments")) {
                        Map<String, Object> g = (Map<String, Object>) go;
                        assertTrue(iso(g.get("segmentStart")) <= mid);
                        if (g.get("segmentEnd") == null) {
                            open++;
                            assertNull(g.get("disconnectType"));
                        } else {
                            assertTrue(iso(g.get("segmentEnd")) <= mid);
                        }
                        assertTrue(!"wrapup".equals(g.get("segmentType")) || iso(g.get("segmentEnd")) <= mid);
                    }
                }
            }
            assertTrue(open >= 1, "the customer's segment is still running");
            live++;
            // When the call ends it has ended, but the last agent's wrap-up is still to come (an
            // agent transferred away earlier may be done already).
            String atEnd = SCENARIO.analyticsConversationJson(id, c.endMillis());
            assertTrue(atEnd.contains("\"conversationEnd\""));
            int finalWrapups = count(SCENARIO.analyticsConversationJson(id), "\"segmentType\":\"wrapup\"");
            if (finalWrapups > 0) {
                assertTrue(count(atEnd, "\"segmentType\":\"wrapup\"") < finalWrapups,
                        "wrap-up segments appear only after after-call work");
            }
        }
        assertEquals(60, live);
        assertNull(SCENARIO.analyticsConversationJson("no-such-conversation", Long.MAX_VALUE));
    }

    private static int count(String haystack, String needle) {
        int n = 0;
        for (int i = haystack.indexOf(needle); i >= 0; i = haystack.indexOf(needle, i + 1)) {
            n++;
        }
        return n;
    }

    @Test
    void unknownConversationHasNoAnalyticsAndAnEmptyTruth() {
        assertNull(SCENARIO.analyticsConversationJson("no-such-conversation"));
        assertTrue(SCENARIO.truth("no-such-conversation").isEmpty());
        assertNull(SCENARIO.conversation("no-such-conversation"));
    }
}
