package dev.gctimeline.core;

import java.util.List;
import java.util.Map;

/**
 * Everything reconstructed about one conversation: immutable, and equal for equal event sets
 * whatever their arrival order. Produced by {@link ConversationReconstructor}.
 *
 * <p>Times are epoch milliseconds; {@code -1} means "not (yet) known". Lists are in canonical order
 * (by time, then id), maps in the order their keys were first set on the timeline.
 *
 * @param conversationId the conversation
 * @param status         the latest status: {@code active}, {@code ended}, or a source's own status word
 * @param startTime      time of the earliest event
 * @param endTime        time the conversation ended, or -1 while it has not
 * @param participants   everyone who took part, in join order
 * @param sessions       every media session, in start order
 * @param transcripts    final transcript utterances, in time order
 * @param attributes     conversation attributes (merged key by key in event-time order)
 * @param wrapups        wrap-ups, in time order
 * @param eventCount     distinct events folded in
 * @param lastEventTime  time of the latest event
 */
public record ConversationState(
        String conversationId,
        String status,
        long startTime,
        long endTime,
        List<Participant> participants,
        List<MediaSession> sessions,
        List<Transcript> transcripts,
        Map<String, String> attributes,
        List<Wrapup> wrapups,
        long eventCount,
        long lastEventTime) {

    public ConversationState {
        participants = List.copyOf(participants);
        sessions = List.copyOf(sessions);
        transcripts = List.copyOf(transcripts);
        attributes = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(attributes));
        wrapups = List.copyOf(wrapups);
    }

    /** True once the conversation has ended (its end time is known). */
    public boolean ended() {
        return endTime >= 0;
    }

    /** The participant with this id, or null. */
    public Participant participant(String participantId) {
        for (Participant p : participants) {
            if (p.participantId().equals(participantId)) {
                return p;
            }
        }
        return null;
    }

    /** The media session with this id, or null. */
    public MediaSession session(String sessionId) {
        for (MediaSession s : sessions) {
            if (s.sessionId().equals(sessionId)) {
                return s;
            }
        }
        return null;
    }

    /**
     * A participant of the conversation.
     *
     * @param participantId the participant id
     * @param purpose       customer, agent, acd, ivr, external, ... (null if never said)
     * @param userId        the agent's user id, or null
     * @param queueId       the queue, or null
     * @param name          a display name, or null
     * @param joinTime      when it joined, -1 if unknown
     * @param leaveTime     when it left, -1 while present
     */
    public record Participant(String participantId, String purpose, String userId, String queueId, String name,
                              long joinTime, long leaveTime) {
    }

    /**
     * A media session (channel) of one participant.
     *
     * @param sessionId      the session id
     * @param participantId  whose session it is, or null if the source did not say
     * @param mediaType      VOICE, CHAT, EMAIL, MESSAGE, CALLBACK, ... or null
     * @param direction      INBOUND, OUTBOUND, ... or null
     * @param startTime      when it started, -1 if unknown
     * @param endTime        when it ended, -1 while open
     * @param states         every state it was in, in time order
     * @param disconnectType how it ended (client, endpoint, transfer, ...), or null
     */
    public record MediaSession(String sessionId, String participantId, String mediaType, String direction,
                               long startTime, long endTime, List<StateChange> states, String disconnectType) {
        public MediaSession {
            states = List.copyOf(states);
        }
    }

    /**
     * One state of a media session.
     *
     * @param time  when the session entered the state
     * @param state the state (alerting, connected, held, disconnected, ...)
     */
    public record StateChange(long time, String state) {
    }

    /**
     * One final transcript utterance.
     *
     * @param time          when it was spoken (epoch ms)
     * @param participantId who spoke, or null
     * @param sessionId     the session (communication), or null
     * @param utteranceId   the source's utterance id, or null
     * @param channel       INTERNAL / EXTERNAL or null
     * @param text          the text
     * @param confidence    the recogniser's confidence as the source wrote it, or null
     */
    public record Transcript(long time, String participantId, String sessionId, String utteranceId, String channel,
                             String text, String confidence) {
    }

    /**
     * A wrap-up (after-call work) of a participant.
     *
     * @param time          when it was recorded
     * @param participantId the participant, or null
     * @param userId        the agent, or null
     * @param code          the wrap-up code, or null
     * @param notes         the notes, or null
     * @param durationMs    how long after-call work took, -1 if unknown
     */
    public record Wrapup(long time, String participantId, String userId, String code, String notes, long durationMs) {
    }
}
