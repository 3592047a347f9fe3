package dev.gctimeline.testkit;

import dev.gctimeline.core.TimelineEvent;
import java.util.List;

/**
 * One message the simulated Genesys Cloud publishes, with the ground truth it carries.
 *
 * <p>{@code json} is the complete wire document (a notification envelope, an EventBridge record, a
 * shape-A document or a shape-B batch). {@code carries} is exactly what a correct decoder must make
 * of it per docs/event-mapping.md: the timeline events this message adds. For a snapshot that is the
 * transitions new since the previous <em>distinct</em> snapshot state of the same conversation, and
 * every copy (the queue topic's and the user topic's) and every unchanged repeat carries them again,
 * so a client subscribed to only one of the topics still gets the exact truth (dedup collapses the
 * copies). Heartbeats carry nothing. Feeding every delivered message's {@code carries} through
 * {@code Timeline.of} is the ground truth "as seen through the subscriptions".
 *
 * @param sendAtMillis   scenario time (epoch ms) at which the message is published
 * @param topicName      the topic it is published on ({@code null} for seed shapes and EventBridge)
 * @param conversationId the conversation it concerns, or null for channel/system messages
 * @param json           the wire document, UTF-8 text
 * @param carries        ground-truth events this message carries, unmodifiable
 */
public record Notification(long sendAtMillis, String topicName, String conversationId, String json,
                           List<TimelineEvent> carries) {
    public Notification {
        carries = List.copyOf(carries);
    }
}
