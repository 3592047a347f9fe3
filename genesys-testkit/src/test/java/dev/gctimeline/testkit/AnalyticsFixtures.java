package dev.gctimeline.testkit;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Analytics conversation-details objects in the shape of genesys-reference.md. */
final class AnalyticsFixtures {
    private static final Pattern START = Pattern.compile("\"conversationStart\":\"([^\"]+)\"");

    private AnalyticsFixtures() {
    }

    static String conversation(String id, Instant start) {
        return "{\"conversationId\":\"" + id + "\",\"conversationStart\":\"" + start + "\",\"conversationEnd\":\""
                + start.plusSeconds(300) + "\",\"originatingDirection\":\"inbound\",\"divisionIds\":[\"d-1\"],"
                + "\"participants\":[{\"participantId\":\"p-" + id + "\",\"purpose\":\"customer\",\"sessions\":[{"
                + "\"sessionId\":\"s-" + id + "\",\"mediaType\":\"voice\",\"direction\":\"inbound\",\"segments\":[{"
                + "\"segmentStart\":\"" + start + "\",\"segmentEnd\":\"" + start.plusSeconds(300)
                + "\",\"segmentType\":\"interact\"}]}]}]}";
    }

    /** {@code count} conversations one minute apart from {@code first}. */
    static Map<String, String> conversations(int count, Instant first) {
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            String id = String.format("conv-%04d", i);
            out.put(id, conversation(id, first.plusSeconds(60L * i)));
        }
        return out;
    }

    static long startOf(String json) {
        Matcher m = START.matcher(json);
        if (!m.find()) {
            throw new IllegalArgumentException("no conversationStart");
        }
        return Instant.parse(m.group(1)).toEpochMilli();
    }
}
