package dev.gctimeline.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Analytics conversation details answered from the feed: paging, totalHits, validation. */
class AnalyticsTest {
    private static final Instant FIRST = Instant.parse("2026-11-22T00:00:00Z");
    private static final Map<String, String> CONVERSATIONS = AnalyticsFixtures.conversations(450, FIRST);
    private static final String QUERY = "/api/v2/analytics/conversations/details/query";
    private static final Pattern CONVERSATION_ID = Pattern.compile("\"conversationId\":\"([^\"]+)\"");
    private static final Pattern TOTAL = Pattern.compile("\"totalHits\":(\\d+)");

    private static String body(String interval, int pageSize, int pageNumber, String order) {
        return "{\"interval\":\"" + interval + "\",\"order\":\"" + order + "\",\"orderBy\":\"conversationStart\","
                + "\"segmentFilters\":[{\"type\":\"or\",\"predicates\":[{\"type\":\"dimension\",\"dimension\":\"mediaType\","
                + "\"operator\":\"matches\",\"value\":\"voice\"}]}],"
                + "\"paging\":{\"pageSize\":" + pageSize + ",\"pageNumber\":" + pageNumber + "}}";
    }

    private static List<String> ids(String json) {
        Matcher m = CONVERSATION_ID.matcher(json);
        List<String> out = new ArrayList<>();
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    private static int total(String json) {
        Matcher m = TOTAL.matcher(json);
        assertTrue(m.find(), json);
        return Integer.parseInt(m.group(1));
    }

    @Test
    void pagesThroughEveryConversationOfTheInterval() {
        try (GenesysCloudSimulator sim = GenesysCloudSimulator.builder()
                .feed(new ListFeed(List.of(), CONVERSATIONS)).build()) {
            Rest rest = new Rest(sim);
            String token = rest.login();
            String all = FIRST + "/" + FIRST.plusSeconds(60L * 450);
            List<String> seen = new ArrayList<>();
            for (int page = 1; page <= 3; page++) {
                HttpResponse<String> r = rest.call("POST", QUERY, token, body(all, 200, page, "asc"));
                assertEquals(200, r.statusCode(), r.body());
                assertEquals(450, total(r.body()));
                seen.addAll(ids(r.body()));
            }
            assertEquals(new ArrayList<>(CONVERSATIONS.keySet()), seen, "every conversation once, start order");
            HttpResponse<String> past = rest.call("POST", QUERY, token, body(all, 200, 4, "asc"));
            assertEquals(450, total(past.body()));
            assertFalse(past.body().contains("\"conversations\""), "an empty page has no conversations field");

            HttpResponse<String> desc = rest.call("POST", QUERY, token, body(all, 5, 1, "desc"));
            List<String> last5 = new ArrayList<>(CONVERSATIONS.keySet()).subList(445, 450);
            List<String> reversed = new ArrayList<>(last5);
            Collections.reverse(reversed);
            assertEquals(reversed, ids(desc.body()));
        }
    }

    @Test
    void theIntervalSelectsConversationsAndIsRequired() {
        try (GenesysCloudSimulator sim = GenesysCloudSimulator.builder()
                .feed(new ListFeed(List.of(), CONVERSATIONS)).build()) {
            Rest rest = new Rest(sim);
            String token = rest.login();
            // conversations 10..19 start inside [10 min, 20 min)
            String tenMinutes = FIRST.plusSeconds(600) + "/" + FIRST.plusSeconds(1200);
            HttpResponse<String> r = rest.call("POST", QUERY, token, body(tenMinutes, 100, 1, "asc"));
            assertEquals(10, total(r.body()));
            assertEquals(new ArrayList<>(CONVERSATIONS.keySet()).subList(10, 20), ids(r.body()));

            assertEquals(400, rest.call("POST", QUERY, token, "{\"paging\":{\"pageSize\":10}}").statusCode());
            assertEquals(400, rest.call("POST", QUERY, token, body(tenMinutes, 201, 1, "asc")).statusCode());
            assertEquals(400, rest.call("POST", QUERY, token, body(tenMinutes, 10, 0, "asc")).statusCode());
            assertEquals(400, rest.call("POST", QUERY, token, body("yesterday/today", 10, 1, "asc")).statusCode());
            String backwards = FIRST.plusSeconds(1200) + "/" + FIRST.plusSeconds(600);
            assertEquals(400, rest.call("POST", QUERY, token, body(backwards, 10, 1, "asc")).statusCode());
            assertEquals(400, rest.call("POST", QUERY, token, "not json").statusCode());
            assertEquals(200, rest.call("POST", QUERY, token,
                    "{\"interval\":\"2026-11-22T01:00:00+01:00/2026-11-22T02:00:00+01:00\"}").statusCode(),
                    "offsets accepted");
            assertEquals(401, rest.call("POST", QUERY, null, body(tenMinutes, 10, 1, "asc")).statusCode());
        }
    }

    @Test
    void singleConversationDetails() {
        try (GenesysCloudSimulator sim = GenesysCloudSimulator.builder()
                .feed(new ListFeed(List.of(), CONVERSATIONS)).build()) {
            Rest rest = new Rest(sim);
            String token = rest.login();
            HttpResponse<String> r = rest.call("GET", "/api/v2/analytics/conversations/conv-0007/details", token, null);
            assertEquals(200, r.statusCode());
            assertEquals(CONVERSATIONS.get("conv-0007"), r.body());
            assertEquals(404, rest.call("GET", "/api/v2/analytics/conversations/nope/details", token, null).statusCode());
        }
    }
}
