package dev.gctimeline.stream.internal;

import dev.gctimeline.core.EventIds;
import dev.gctimeline.core.EventKind;
import dev.gctimeline.core.TimelineEvent;
import dev.gctimeline.stream.ControlListener;
import dev.gctimeline.core.RejectReason;
import dev.gctimeline.stream.RejectSink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Interprets one captured document per docs/event-mapping.md: detects its shape, emits its events
 * into the {@link Outbox}, reports rejections, and passes channel and system messages to the
 * {@link ControlListener}.
 *
 * <p>Detection, in this order: a {@code topicName} is a Genesys envelope; a {@code detail-type} or
 * {@code detail} is an EventBridge record (its {@code detail} decoded as the same envelope); an
 * {@code events} array is a seed shape B batch; {@code conversationId} and {@code type} make a seed
 * shape A document. Anything else is {@code UNKNOWN_SHAPE} (or {@code MISSING_FIELD} when it has
 * some but not all of shape A's fields).
 *
 * <p>A document is all or nothing: if it is rejected after emitting some events, they are rolled
 * back. Batch elements (shape B events, transcripts) are rejected one by one instead, so one bad
 * element never takes its good neighbours with it.
 */
final class NotificationInterpreter {
    private static final Logger LOG = LoggerFactory.getLogger(NotificationInterpreter.class);

    static final String DETAIL_PREFIX = "v2.detail.events.conversation.";
    static final String TRANSCRIPTION_PREFIX = "v2.conversations.";
    static final String TRANSCRIPTION_SUFFIX = ".transcription";
    static final String QUEUE_PREFIX = "v2.routing.queues.";
    static final String USER_PREFIX = "v2.users.";
    static final String SYSTEM_PREFIX = "v2.system.";
    static final String NO_LONGER_SUBSCRIBED = "v2.system.no_longer_subscribed.";
    static final String TOKEN_REVOKED = "v2.system.token_revoked.";

    private static final String[] STARTED_ATTRIBUTES = {"ani", "dnis", "provider", "addressFrom", "addressTo",
        "divisionId", "flowId", "flowType"};
    private static final String[] ENDED_ATTRIBUTES = {"disconnectType", "interactingDurationMs", "acdOutcome",
        "answeredUserId", "exitReason", "transferType"};
    private static final String[] WRAPUP_ATTRIBUTES = {"wrapupCode", "wrapupNotes", "wrapupDurationMs"};
    private static final String[] FLOW_ATTRIBUTES = {"flowId", "flowType", "flowOutcome", "flowOutcomeId",
        "flowOutcomeValue"};
    private static final String[] NONE = {};
    private static final String[] ENVELOPE_FIELDS = {"version"};
    private static final String[] EVENTBRIDGE_FIELDS = {"version", "id", "source", "account", "time", "region"};

    private final Outbox out;
    private final RejectSink rejects;
    private final ControlListener control;
    private final Counters counters;
    private final SnapshotTracker snapshots;

    NotificationInterpreter(Outbox out, RejectSink rejects, ControlListener control, Counters counters,
                            SnapshotTracker snapshots) {
        this.out = out;
        this.rejects = rejects;
        this.control = control;
        this.counters = counters;
        this.snapshots = snapshots;
    }

    void interpret(EnvelopeCapture c) {
        int mark = out.mark();
        try {
            dispatch(c);
        } catch (DecodeRejection r) {
            out.rollback(mark);
            rejects.reject(r.reason, r.getMessage());
        }
        counters.add(Counters.EVENTS_DECODED, out.size() - mark);
    }

    private void dispatch(EnvelopeCapture c) {
        if (c.rootKind != EnvelopeCapture.ROOT_OBJECT) {
            throw new DecodeRejection(RejectReason.UNKNOWN_SHAPE, "document is a JSON "
                    + (c.rootKind == EnvelopeCapture.ROOT_ARRAY ? "array" : "scalar") + ", not an object");
        }
        FieldBag root = c.root;
        String topic = root.text("topicName");
        if (topic != null) {
            touch(root, ENVELOPE_FIELDS);
            if (envelope(topic, c)) {
                countUnknown(c, root);
            }
            return;
        }
        if (c.hasDetail || root.index("detail-type") >= 0) {
            touch(root, EVENTBRIDGE_FIELDS);
            String detailTopic = c.detail.text("topicName");
            if (detailTopic == null) {
                throw DecodeRejection.missing("EventBridge record without detail.topicName");
            }
            touch(c.detail, ENVELOPE_FIELDS);
            c.detail.index("timestamp");
            if (envelope(detailTopic, c)) {
                countUnknown(c, root);
                counters.add(Counters.UNKNOWN_FIELDS, c.detail.unused());
            }
            return;
        }
        if (c.hasEvents) {
            shapeB(c);
            countUnknown(c, root);
            return;
        }
        boolean hasConversation = root.has("conversationId");
        boolean hasType = root.has("type");
        if (hasConversation && hasType) {
            shapeA(c);
            countUnknown(c, root);
            return;
        }
        if (hasConversation || hasType || c.dataKind != EnvelopeCapture.DATA_NONE) {
            throw DecodeRejection.missing("seed shape A document without "
                    + (hasConversation ? "type" : "conversationId"));
        }
        throw new DecodeRejection(RejectReason.UNKNOWN_SHAPE,
                "object with none of topicName, detail, events, conversationId+type");
    }

    private void countUnknown(EnvelopeCapture c, FieldBag root) {
        counters.add(Counters.UNKNOWN_FIELDS, c.skippedUnknown + root.unused());
    }

    private static void touch(FieldBag bag, String[] known) {
        for (String name : known) {
            bag.index(name);
        }
    }

    // ---------------------------------------------------------------- Genesys envelopes

    /**
     * Decodes one Genesys envelope by its topic.
     *
     * @return true if it was a timeline topic (its unused fields are then counted as unknown);
     *         false for channel and system messages and unknown topics
     */
    private boolean envelope(String topic, EnvelopeCapture c) {
        if (topic.equals("channel.metadata")) {
            if (c.body.textEquals("message", "pong")) {
                counters.increment(Counters.PONGS);
                control.pong();
            } else {
                counters.increment(Counters.HEARTBEATS);
                control.heartbeat();
            }
            return false;
        }
        if (topic.startsWith(SYSTEM_PREFIX)) {
            system(topic);
            return false;
        }
        if (topic.startsWith(DETAIL_PREFIX)) {
            int idEnd = topic.indexOf('.', DETAIL_PREFIX.length());
            if (idEnd > DETAIL_PREFIX.length() && idEnd < topic.length() - 1) {
                detail(topic.substring(DETAIL_PREFIX.length(), idEnd), topic.substring(idEnd + 1), c);
                return true;
            }
        } else if (topic.startsWith(TRANSCRIPTION_PREFIX) && topic.endsWith(TRANSCRIPTION_SUFFIX)) {
            int from = TRANSCRIPTION_PREFIX.length();
            int to = topic.length() - TRANSCRIPTION_SUFFIX.length();
            if (to > from && topic.indexOf('.', from) == to) {
                transcription(topic.substring(from, to), c);
                return true;
            }
        } else if (isSnapshotTopic(topic)) {
            snapshots.apply(c, out, rejects, control, counters);
            countBodyUnknown(c);
            return true;
        }
        counters.increment(Counters.UNKNOWN_TOPICS);
        if (LOG.isDebugEnabled()) {
            LOG.debug("skipped a message on an unknown topic {}", topic);
        }
        return false;
    }

    /** {@code v2.routing.queues.{id}.conversations[.media]} or {@code v2.users.{id}.conversations[.media]}. */
    static boolean isSnapshotTopic(String topic) {
        int from;
        if (topic.startsWith(QUEUE_PREFIX)) {
            from = QUEUE_PREFIX.length();
        } else if (topic.startsWith(USER_PREFIX)) {
            from = USER_PREFIX.length();
        } else {
            return false;
        }
        int idEnd = topic.indexOf('.', from);
        if (idEnd <= from || !topic.startsWith("conversations", idEnd + 1)) {
            return false;
        }
        int rest = idEnd + 1 + "conversations".length();
        if (rest == topic.length()) {
            return true;
        }
        return topic.charAt(rest) == '.' && rest + 1 < topic.length() && topic.indexOf('.', rest + 1) < 0;
    }

    private void system(String topic) {
        counters.increment(Counters.SYSTEM_MESSAGES);
        if (topic.equals("v2.system.socket_closing")) {
            control.socketClosing();
        } else if (topic.startsWith(NO_LONGER_SUBSCRIBED)) {
            control.noLongerSubscribed(topic.substring(NO_LONGER_SUBSCRIBED.length()));
        } else if (topic.startsWith(TOKEN_REVOKED)) {
            control.tokenRevoked(topic.substring(TOKEN_REVOKED.length()));
        } else {
            // Never log the topic itself: system topics carry the channel id, which is a secret.
            counters.increment(Counters.UNKNOWN_TOPICS);
            LOG.debug("skipped an unknown v2.system message");
        }
    }

    private void countBodyUnknown(EnvelopeCapture c) {
        int n = c.body.unused();
        for (int i = 0; i < c.participants.size(); i++) {
            EnvelopeCapture.Participant p = c.participants.get(i);
            n += p.fields.unused() + p.wrapup.unused();
            for (int j = 0; j < p.media.size(); j++) {
                n += p.media.get(j).fields.unused();
            }
        }
        for (int i = 0; i < c.transcripts.size(); i++) {
            EnvelopeCapture.Transcript t = c.transcripts.get(i);
            n += t.fields.unused() + t.alternative.unused();
        }
        counters.add(Counters.UNKNOWN_FIELDS, n);
    }

    // ---------------------------------------------------------------- detail events

    private void detail(String topicConversationId, String suffix, EnvelopeCapture c) {
        FieldBag b = c.body;
        long eventTime = b.epochMillis("eventTime");
        if (eventTime == IsoTimes.ABSENT) {
            throw DecodeRejection.missing("detail event " + suffix + " without eventTime");
        }
        String conversationId = b.text("conversationId");
        if (conversationId == null || conversationId.isEmpty()) {
            conversationId = topicConversationId;
        }
        String participantId = b.text("participantId");
        String sessionId = b.text("sessionId");
        EventKind kind = detailKind(suffix);
        TimelineEvent.Builder e = TimelineEvent.builder(conversationId, kind, eventTime)
                .eventId(EventIds.of("detail", suffix, conversationId, participantId, sessionId,
                        Long.toString(eventTime)))
                .sourceType(suffix)
                .participantId(participantId)
                .sessionId(sessionId)
                .mediaType(b.upper("mediaType"))
                .direction(b.upper("direction"))
                .userId(b.text("userId"))
                .queueId(b.text("queueId"))
                .purpose(detailPurpose(suffix));
        for (String key : detailAttributes(kind)) {
            String value = b.text(key);
            if (value != null) { // a null would make the builder remove the key: skip the work
                e.attribute(key, value);
            }
        }
        int unknown = 0;
        if (kind == EventKind.ATTRIBUTES) {
            FieldBag attributes = c.bodyAttributes;
            for (int i = 0; i < attributes.size(); i++) {
                String value = attributes.text(i);
                if (value != null) {
                    e.attribute(attributes.name(i), value);
                }
            }
            b.index("attributes");
        } else if (c.hasBodyAttributes) {
            unknown++; // an attributes map on a kind that does not carry one
        }
        out.emit(e.build());
        counters.add(Counters.UNKNOWN_FIELDS, unknown);
        countBodyUnknown(c);
    }

    static EventKind detailKind(String suffix) {
        switch (suffix) {
            case "customer.start":
            case "user.start":
            case "acd.start":
            case "flow.start":
            case "voicemail.start":
                return EventKind.SESSION_STARTED;
            case "customer.end":
            case "user.end":
            case "acd.end":
            case "flow.end":
            case "voicemail.end":
                return EventKind.SESSION_ENDED;
            case "acw":
            case "wrapup":
                return EventKind.WRAPUP;
            case "attributes":
                return EventKind.ATTRIBUTES;
            case "flow.outcome":
                return EventKind.FLOW;
            default:
                return EventKind.OTHER;
        }
    }

    /** From the suffix's first segment: customer, user -> agent, acd, flow -> ivr, voicemail. */
    static String detailPurpose(String suffix) {
        int dot = suffix.indexOf('.');
        String first = dot < 0 ? suffix : suffix.substring(0, dot);
        switch (first) {
            case "customer":
                return "customer";
            case "user":
                return "agent";
            case "acd":
                return "acd";
            case "flow":
                return "ivr";
            case "voicemail":
                return "voicemail";
            default:
                return null;
        }
    }

    private static String[] detailAttributes(EventKind kind) {
        switch (kind) {
            case SESSION_STARTED:
                return STARTED_ATTRIBUTES;
            case SESSION_ENDED:
                return ENDED_ATTRIBUTES;
            case WRAPUP:
                return WRAPUP_ATTRIBUTES;
            case FLOW:
                return FLOW_ATTRIBUTES;
            default:
                return NONE;
        }
    }

    // ---------------------------------------------------------------- transcription

    private void transcription(String topicConversationId, EnvelopeCapture c) {
        FieldBag b = c.body;
        String conversationId = b.text("conversationId");
        if (conversationId == null || conversationId.isEmpty()) {
            conversationId = topicConversationId;
        }
        String communicationId = b.text("communicationId");
        long transcriptionStart = b.longValue("transcriptionStartTimeMs");
        long sessionStart = b.longValue("sessionStartTimeMs");
        long bodyTime = b.epochMillis("eventTime");
        b.index("transcripts");
        for (int i = 0; i < c.transcripts.size(); i++) {
            EnvelopeCapture.Transcript t = c.transcripts.get(i);
            if (!t.fields.isTrue("isFinal")) {
                counters.increment(Counters.INTERIM_SKIPPED);
                continue;
            }
            try {
                String utteranceId = t.fields.text("utteranceId");
                if (utteranceId == null || utteranceId.isEmpty()) {
                    throw DecodeRejection.missing("final transcript without utteranceId in conversation "
                            + conversationId);
                }
                long offset = t.alternative.longValue("offsetMs");
                long eventTime;
                if (offset != IsoTimes.ABSENT && transcriptionStart != IsoTimes.ABSENT) {
                    eventTime = transcriptionStart + offset;
                } else if (offset != IsoTimes.ABSENT && sessionStart != IsoTimes.ABSENT) {
                    eventTime = sessionStart + offset;
                } else if (bodyTime != IsoTimes.ABSENT) {
                    eventTime = bodyTime;
                } else {
                    throw DecodeRejection.missing("final transcript without a time in conversation " + conversationId);
                }
                out.emit(TimelineEvent.builder(conversationId, EventKind.TRANSCRIPT, eventTime)
                        .eventId(EventIds.of("transcript", conversationId, communicationId, utteranceId))
                        .sourceType("transcription")
                        .sessionId(communicationId)
                        .attribute("utteranceId", utteranceId)
                        .attribute("channel", t.fields.text("channel"))
                        .attribute("text", t.alternative.text("transcript"))
                        .attribute("confidence", t.alternative.text("confidence"))
                        .build());
            } catch (DecodeRejection r) {
                rejects.reject(r.reason, r.getMessage());
            }
        }
        countBodyUnknown(c);
    }

    // ---------------------------------------------------------------- seed shapes

    private void shapeA(EnvelopeCapture c) {
        FieldBag root = c.root;
        String conversationId = root.text("conversationId");
        String type = root.text("type");
        if (conversationId.isEmpty() || type.isEmpty()) {
            throw DecodeRejection.missing("seed shape A document with an empty conversationId or type");
        }
        long eventTime = root.epochMillis("timestamp");
        if (eventTime == IsoTimes.ABSENT) {
            throw DecodeRejection.missing("seed shape A " + type + " without timestamp");
        }
        FieldBag data = c.data;
        boolean dataIsObject = c.dataKind == EnvelopeCapture.DATA_IS_OBJECT;
        TimelineEvent.Builder e;
        switch (type) {
            case "statusChange": {
                String status = dataIsObject ? data.lower("status") : null;
                if (status == null) {
                    throw DecodeRejection.missing("seed shape A statusChange without data.status");
                }
                EventKind kind = status.equals("completed") || status.equals("ended")
                        ? EventKind.CONVERSATION_ENDED : EventKind.CONVERSATION_STATUS;
                e = TimelineEvent.builder(conversationId, kind, eventTime).state(status);
                break;
            }
            case "participants": {
                e = TimelineEvent.builder(conversationId, EventKind.PARTICIPANTS_REPLACED, eventTime);
                for (int i = 0; i < c.dataItems.size(); i++) {
                    FieldBag item = c.dataItems.get(i);
                    String id = item.text("id");
                    if (id != null) {
                        String purpose = item.lower("purpose");
                        e.attribute(id, purpose == null ? "" : purpose);
                    }
                }
                break;
            }
            case "transcript":
                e = TimelineEvent.builder(conversationId, EventKind.TRANSCRIPT, eventTime);
                if (dataIsObject) {
                    e.participantId(data.text("participantId")).attribute("text", data.text("text"));
                }
                break;
            case "metadata":
                e = TimelineEvent.builder(conversationId, EventKind.ATTRIBUTES, eventTime);
                for (int i = 0; i < data.size(); i++) {
                    String value = data.text(i);
                    if (value != null) {
                        e.attribute(data.name(i), value);
                    }
                }
                break;
            default:
                e = TimelineEvent.builder(conversationId, EventKind.OTHER, eventTime);
                break;
        }
        out.emit(e.sourceType(type).build());
    }

    private void shapeB(EnvelopeCapture c) {
        int unknown = 0;
        for (int i = 0; i < c.events.size(); i++) {
            EnvelopeCapture.BatchEvent be = c.events.get(i);
            FieldBag f = be.fields;
            FieldBag data = be.data;
            try {
                String id = f.text("id");
                if (id == null || id.isEmpty()) {
                    throw DecodeRejection.missing("seed shape B event without id");
                }
                String type = f.text("type");
                if (type == null || type.isEmpty()) {
                    throw DecodeRejection.missing("seed shape B event " + id + " without type");
                }
                String conversationId = data.text("interactionId");
                if (conversationId == null || conversationId.isEmpty()) {
                    throw DecodeRejection.missing("seed shape B event " + id + " without data.interactionId");
                }
                long eventTime = f.epochMillis("timestamp");
                if (eventTime == IsoTimes.ABSENT) {
                    throw DecodeRejection.missing("seed shape B event " + id + " without timestamp");
                }
                long sequence = f.longValue("sequence");
                TimelineEvent.Builder e = TimelineEvent.builder(conversationId, shapeBKind(type), eventTime)
                        .eventId(EventIds.ofSourceId(id))
                        .sourceType(type)
                        .sequence(sequence == IsoTimes.ABSENT ? -1 : sequence)
                        .participantId(data.text("participantId"))
                        .sessionId(data.text("channelId"));
                for (int k = 0; k < data.size(); k++) {
                    String name = data.name(k);
                    String value = data.text(k);
                    if (value != null && !name.equals("interactionId") && !name.equals("participantId")
                            && !name.equals("channelId")) {
                        e.attribute(name, value);
                    }
                }
                out.emit(e.build());
            } catch (DecodeRejection r) {
                rejects.reject(r.reason, r.getMessage());
            }
            unknown += f.unused();
        }
        counters.add(Counters.UNKNOWN_FIELDS, unknown);
    }

    static EventKind shapeBKind(String type) {
        switch (type) {
            case "interaction-participant-joined":
                return EventKind.PARTICIPANT_JOINED;
            case "interaction-participant-left":
                return EventKind.PARTICIPANT_LEFT;
            case "interaction-media-channel-added":
                return EventKind.SESSION_STARTED;
            case "interaction-media-channel-removed":
                return EventKind.SESSION_ENDED;
            case "interaction-updated":
                return EventKind.ATTRIBUTES;
            default:
                return EventKind.OTHER;
        }
    }
}
