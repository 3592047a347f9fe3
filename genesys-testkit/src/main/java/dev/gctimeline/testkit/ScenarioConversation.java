package dev.gctimeline.testkit;

import java.util.List;

/**
 * What the scenario tells about one conversation it played, beyond its events: when it ran, where it
 * was routed and on which topics it was published.
 *
 * <pre>{@code for (ScenarioConversation c : scenario.conversations()) subscribe(c.topics());}</pre>
 *
 * @param conversationId the conversation
 * @param mediaType      VOICE, CALLBACK, CHAT or MESSAGE
 * @param queueId        the queue it was routed to
 * @param userIds        the agents it alerted, in the order they joined (missed alerts included)
 * @param startMillis    when the customer arrived (analytics {@code conversationStart})
 * @param endMillis      when its last media session ended (analytics {@code conversationEnd})
 * @param lastEventMillis when its last fact happened (after-call work included): {@code >= endMillis}
 * @param topics         every WebSocket topic it was published on, in first-use order
 */
public record ScenarioConversation(String conversationId, String mediaType, String queueId, List<String> userIds,
                                   long startMillis, long endMillis, long lastEventMillis, List<String> topics) {
    public ScenarioConversation {
        userIds = List.copyOf(userIds);
        topics = List.copyOf(topics);
    }
}
