package dev.gctimeline.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gctimeline.core.EventKind;
import dev.gctimeline.core.TimelineEvent;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Options: validation, switches that really switch, custom ids that really appear. */
class ScenarioBuilderTest {

    @Test
    void rejectsBadOptions() {
        assertThrows(IllegalArgumentException.class, () -> ContactCenterScenario.builder().conversations(-1));
        assertThrows(IllegalArgumentException.class, () -> ContactCenterScenario.builder().arrivalRatePerSecond(0));
        assertThrows(IllegalArgumentException.class, () -> ContactCenterScenario.builder().arrivalRatePerSecond(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> ContactCenterScenario.builder().queueIds(List.of()));
        assertThrows(IllegalArgumentException.class, () -> ContactCenterScenario.builder().queueIds(List.of("a.b")));
        assertThrows(IllegalArgumentException.class, () -> ContactCenterScenario.builder().agentUserIds(List.of("x", "x")));
        assertThrows(IllegalArgumentException.class, () -> ContactCenterScenario.builder().snapshotRepeatRate(2));
        assertThrows(IllegalArgumentException.class, () -> new MediaMix(0, 0, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new MediaMix(-1, 1, 1, 1));
        assertThrows(IllegalStateException.class, () -> ContactCenterScenario.builder().mediaMix(new MediaMix(0, 1, 1, 1))
                .callbacks(false).chats(false).messages(false).build());
    }

    @Test
    void emptyScenario() {
        ContactCenterScenario s = ContactCenterScenario.builder().conversations(0).build();
        assertTrue(s.notifications().isEmpty() && s.conversationIds().isEmpty() && s.eventBridgeRecords().isEmpty()
                && s.shapeADocuments().isEmpty() && s.shapeBMessages().isEmpty());
    }

    @Test
    void switchedOffFeaturesAreAbsent() {
        ContactCenterScenario s = ContactCenterScenario.builder().seed(8).conversations(150).transcripts(false)
                .attributes(false).consultTransfers(false).blindTransfers(false).callbacks(false).chats(false)
                .messages(false).build();
        for (ScenarioConversation c : s.conversations()) {
            assertEquals("VOICE", c.mediaType());
            for (TimelineEvent e : s.truth(c.conversationId()).events()) {
                assertFalse(e.kind() == EventKind.TRANSCRIPT || e.kind() == EventKind.ATTRIBUTES, e.toString());
                String d = e.attribute("disconnectType");
                assertFalse(d != null && d.toUpperCase(java.util.Locale.ROOT).startsWith("TRANSFER")
                        && "agent".equals(e.purpose()), e.toString());
            }
            assertFalse(c.topics().stream().anyMatch(t -> t.endsWith(".transcription")));
        }
    }

    @Test
    void mediaMixAndCustomIdsAppear() {
        ContactCenterScenario s = ContactCenterScenario.builder().seed(9).conversations(200)
                .mediaMix(new MediaMix(1, 1, 1, 1)).queueIds(List.of("q-one", "q-two"))
                .agentUserIds(List.of("u-1", "u-2", "u-3", "u-4")).startMillis(1_000_000_000_000L).build();
        Set<String> media = new java.util.HashSet<>();
        for (ScenarioConversation c : s.conversations()) {
            media.add(c.mediaType());
            assertTrue(Set.of("q-one", "q-two").contains(c.queueId()));
            assertTrue(Set.of("u-1", "u-2", "u-3", "u-4").containsAll(c.userIds()));
            assertEquals(c.userIds().size(), Set.copyOf(c.userIds()).size(), "an agent joins a conversation once");
        }
        assertEquals(Set.of("VOICE", "CALLBACK", "CHAT", "MESSAGE"), media);
        assertEquals(1_000_000_000_000L, s.conversations().get(0).startMillis());
        assertTrue(s.notifications().stream().filter(n -> n.topicName().endsWith(".conversations")).findFirst()
                .orElseThrow().json().contains("\"connectedTime\":\"2001-09-09T"));
    }

    @Test
    void aSingleAgentStillPlays() {
        ContactCenterScenario s = ContactCenterScenario.builder().seed(10).conversations(50)
                .agentUserIds(List.of("only-agent")).build();
        for (ScenarioConversation c : s.conversations()) {
            assertTrue(c.userIds().size() <= 1);
        }
    }
}
