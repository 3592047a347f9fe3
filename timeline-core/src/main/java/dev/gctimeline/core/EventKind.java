package dev.gctimeline.core;

/**
 * What a {@link TimelineEvent} means for a conversation's timeline.
 *
 * <p>The kind is the normalised meaning; {@link TimelineEvent#sourceType()} keeps the raw source
 * type (topic suffix, shape-A type, shape-B type) so nothing the source said is lost. The table that
 * maps every accepted topic and type onto a kind is {@code docs/event-mapping.md}.
 *
 * <p>The declaration order is part of the canonical order: at equal event time, a kind declared
 * earlier sorts first (a participant joins before its session starts before its state changes).
 */
public enum EventKind {
    /** The conversation began (first fact known about it). */
    CONVERSATION_STARTED,
    /** A status change of the whole conversation ({@code state} holds the new status). */
    CONVERSATION_STATUS,
    /** A participant joined ({@code participantId}, {@code purpose}, {@code userId}, {@code queueId}). */
    PARTICIPANT_JOINED,
    /** The whole participant list was replaced; attributes map participantId to purpose. */
    PARTICIPANTS_REPLACED,
    /** A media session (channel) of a participant started ({@code sessionId}, {@code mediaType}). */
    SESSION_STARTED,
    /** A media session changed state ({@code state}: alerting, connected, held, ...). */
    SESSION_STATE,
    /** A final transcript utterance ({@code attributes}: text, utteranceId, channel, confidence). */
    TRANSCRIPT,
    /** Conversation or participant attributes were set (merged key by key). */
    ATTRIBUTES,
    /** An IVR flow outcome or other flow fact. */
    FLOW,
    /** A media session ended ({@code attributes} may hold disconnectType and more). */
    SESSION_ENDED,
    /** A participant left. */
    PARTICIPANT_LEFT,
    /** After-call work / wrap-up ({@code attributes}: wrapupCode, wrapupNotes, wrapupDurationMs). */
    WRAPUP,
    /** The conversation ended (terminal). */
    CONVERSATION_ENDED,
    /** A recognised source fact with no timeline meaning of its own; kept, never dropped. */
    OTHER
}
