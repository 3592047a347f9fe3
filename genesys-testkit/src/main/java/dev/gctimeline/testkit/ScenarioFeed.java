package dev.gctimeline.testkit;

import dev.gctimeline.core.Timeline;
import java.util.List;
import java.util.Set;

/**
 * What a played contact-centre scenario offers the simulator's server side: the messages to publish,
 * in send order, and the ground truth to answer analytics queries from.
 * {@link ContactCenterScenario} is the implementation; tests may script their own.
 */
public interface ScenarioFeed {

    /** Every notification envelope the scenario publishes, in send order (all topics). */
    List<Notification> notifications();

    /** The conversation ids played, in start order. */
    List<String> conversationIds();

    /** The whole ground-truth timeline of a conversation (every fact, whatever was subscribed). */
    Timeline truth(String conversationId);

    /** Conversation ids whose conversation overlaps [fromMillis, toMillis). */
    Set<String> conversationsIn(long fromMillis, long toMillis);

    /**
     * The analytics conversation-details JSON object of one conversation (one element of the
     * {@code conversations} array of {@code POST /api/v2/analytics/conversations/details/query}, and
     * the whole body of {@code GET /api/v2/analytics/conversations/{id}/details}), or null if unknown.
     */
    String analyticsConversationJson(String conversationId);
}
