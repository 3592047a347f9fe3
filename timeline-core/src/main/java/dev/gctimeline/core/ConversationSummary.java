package dev.gctimeline.core;

/**
 * One line of a store's conversation listing ({@link TimelineStore#conversations}).
 *
 * @param conversationId the conversation
 * @param firstEventTime epoch ms of its earliest stored event
 * @param lastEventTime  epoch ms of its latest stored event
 * @param eventCount     how many events the store holds for it
 */
public record ConversationSummary(String conversationId, long firstEventTime, long lastEventTime, long eventCount) {
}
