package dev.gctimeline.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A seed gives byte-for-byte the same traffic, whatever order the renderings are asked for in. */
class DeterminismTest {

    private static String hash(ContactCenterScenario s, boolean lazyFirst) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        List<List<Notification>> all = lazyFirst
                ? List.of(s.shapeBMessages(), s.shapeADocuments(), s.eventBridgeRecords(), s.notifications())
                : List.of(s.notifications(), s.eventBridgeRecords(), s.shapeADocuments(), s.shapeBMessages());
        String[] names = lazyFirst ? new String[] {"B", "A", "EB", "WS"} : new String[] {"WS", "EB", "A", "B"};
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < all.size(); i++) {
            MessageDigest part = MessageDigest.getInstance("SHA-256");
            for (Notification n : all.get(i)) {
                part.update(Long.toString(n.sendAtMillis()).getBytes(StandardCharsets.UTF_8));
                part.update(String.valueOf(n.topicName()).getBytes(StandardCharsets.UTF_8));
                part.update(n.json().getBytes(StandardCharsets.UTF_8));
                part.update(n.carries().toString().getBytes(StandardCharsets.UTF_8));
            }
            sb.append(names[i]).append('=').append(HexFormat.of().formatHex(part.digest())).append(' ');
        }
        for (String id : s.conversationIds()) {
            md.update(s.analyticsConversationJson(id).getBytes(StandardCharsets.UTF_8));
            md.update(s.truth(id).toString().getBytes(StandardCharsets.UTF_8));
        }
        // Canonical part order for the comparison, whatever order they were computed in.
        String[] parts = sb.toString().trim().split(" ");
        java.util.Arrays.sort(parts);
        return String.join(" ", parts) + " rest=" + HexFormat.of().formatHex(md.digest());
    }

    private static ContactCenterScenario scenario(long seed) {
        return ContactCenterScenario.builder().seed(seed).conversations(150).arrivalRatePerSecond(2).build();
    }

    @Test
    void sameSeedSameBytesDifferentSeedDifferentBytes() throws Exception {
        String a = hash(scenario(11), false);
        String b = hash(scenario(11), true);
        assertEquals(a, b);
        String c = hash(scenario(12), false);
        for (String part : List.of("A=", "B=", "EB=", "WS=", "rest=")) {
            assertNotEquals(section(a, part), section(c, part), part);
        }
    }

    private static String section(String h, String name) {
        for (String p : h.split(" ")) {
            if (p.startsWith(name)) {
                return p;
            }
        }
        throw new AssertionError(name);
    }

    @Test
    void twoThousandConversationsBuild() {
        long t0 = System.nanoTime();
        ContactCenterScenario s = ContactCenterScenario.builder().seed(5).conversations(2_000).arrivalRatePerSecond(2)
                .build();
        long ms = (System.nanoTime() - t0) / 1_000_000;
        long chars = 0;
        for (Notification n : s.notifications()) {
            chars += n.json().length();
        }
        // Reported, not asserted (the machine is shared); see the module README for measurements.
        System.out.println("2000 conversations: " + ms + " ms, " + s.notifications().size() + " notifications, "
                + chars + " chars");
        assertEquals(2_000, s.conversationIds().size());
        assertTrue(s.notifications().size() > 2_000 * 20);
    }
}
