package dev.gctimeline.testkit.scenario.internal;

import dev.gctimeline.testkit.scenario.internal.ConvModel.Part;
import dev.gctimeline.testkit.scenario.internal.ConvModel.Session;
import dev.gctimeline.testkit.scenario.internal.ConvModel.Utterance;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Turns one {@link ConvModel} into wire objects in Genesys's shapes (genesys-reference.md): detail
 * event bodies (upper-case enums, epoch-ms eventTime), conversation snapshots (lower-case enums,
 * ISO times), transcription bodies (ISO eventTime, ms offsets), analytics conversation details
 * (camelCase enums, ISO times) and the two seed shapes (seed-formats.md). Pure functions of the model.
 */
public final class ConversationRenderer {
    private ConversationRenderer() {
    }

    /** One detail event: its topic suffix and body. */
    public record Detail(String suffix, long time, WireObject body) {
    }

    /** One timed wire object (a snapshot state, a transcription body, a seed-shape document or event). */
    public record Timed(long time, WireObject body) {
    }

    // ---------------------------------------------------------------- detail events

    public static List<Detail> detailEvents(ConvModel c) {
        List<Detail> out = new ArrayList<>(24);
        Part cu = c.customer;
        out.add(new Detail("customer.start", cu.session.connected,
                common(c, cu, cu.session.connected).put("divisionId", c.divisionId)));
        if (c.contactTime >= 0) {
            out.add(new Detail("contact", c.contactTime, new WireObject().put("eventTime", c.contactTime)
                    .put("conversationId", c.id).put("participantId", cu.id).put("sessionId", cu.session.id)
                    .put("mediaType", c.media.detail).put("externalContactId", c.externalContactId)));
        }
        if (c.ivr != null) {
            Part ivr = c.ivr;
            out.add(new Detail("flow.start", ivr.session.connected, common(c, ivr, ivr.session.connected)
                    .put("divisionId", c.divisionId).put("flowId", c.flowId).put("flowType", c.media.flowType)
                    .put("flowVersion", "4.0")));
            for (ConvModel.FlowOutcome o : c.outcomes) {
                out.add(new Detail("flow.outcome", o.time(), common(c, ivr, o.time())
                        .put("divisionId", c.divisionId).put("flowId", c.flowId).put("flowType", c.media.flowType)
                        .put("flowOutcome", o.name()).put("flowOutcomeId", o.id()).put("flowOutcomeValue", o.value())
                        .putIso("flowOutcomeStartTimestamp", o.time() - 1_000).putIso("flowOutcomeEndTimestamp", o.time())));
            }
            out.add(new Detail("flow.end", ivr.session.disconnected, common(c, ivr, ivr.session.disconnected)
                    .put("divisionId", c.divisionId).put("flowId", c.flowId).put("flowType", c.media.flowType)
                    .put("disconnectType", ivr.session.disconnect.detail).put("exitReason", "TRANSFER")
                    .put("transferType", "ACD").put("transferTargetAddress", c.queueId)));
        }
        if (c.attributesTime >= 0) {
            WireObject attrs = new WireObject();
            for (Map.Entry<String, String> e : c.attributes.entrySet()) {
                attrs.put(e.getKey(), e.getValue());
            }
            out.add(new Detail("attributes", c.attributesTime, new WireObject().put("eventTime", c.attributesTime)
                    .put("conversationId", c.id).put("participantId", cu.id).put("attributes", attrs)));
        }
        Part acd = c.acd;
        out.add(new Detail("acd.start", acd.session.connected, common(c, acd, acd.session.connected)
                .put("divisionId", c.divisionId).put("queueId", c.queueId)));
        WireObject acdEnd = common(c, acd, acd.session.disconnected).put("divisionId", c.divisionId)
                .put("queueId", c.queueId).put("disconnectType", acd.session.disconnect.detail)
                .put("acdOutcome", c.abandoned ? "ABANDON" : "ANSWERED")
                .put("answeredUserId", c.answeredBy == null ? null : c.answeredBy.userId);
        out.add(new Detail("acd.end", acd.session.disconnected, acdEnd));
        for (Part p : c.parts) {
            if (!p.isAgent()) {
                continue;
            }
            Session s = p.session;
            out.add(new Detail("user.start", s.alert, common(c, p, s.alert).put("userId", p.userId)
                    .put("divisionId", c.divisionId).put("queueId", p.queueId)));
            out.add(new Detail("user.end", s.disconnected, common(c, p, s.disconnected).put("userId", p.userId)
                    .put("divisionId", c.divisionId).put("queueId", p.queueId)
                    .put("disconnectType", s.disconnect.detail)));
            if (p.acwEnd >= 0) {
                out.add(new Detail("acw", p.acwEnd, wrapupBody(c, p, p.acwEnd)));
                out.add(new Detail("wrapup", p.wrapupEventTime, wrapupBody(c, p, p.wrapupEventTime)));
            }
        }
        WireObject end = common(c, cu, cu.session.disconnected).put("divisionId", c.divisionId)
                .put("disconnectType", cu.session.disconnect.detail);
        if (c.answeredBy != null) {
            end.put("interactingDurationMs", cu.session.disconnected - c.answeredBy.session.connected);
        }
        out.add(new Detail("customer.end", cu.session.disconnected, end));
        return out;
    }

    private static WireObject wrapupBody(ConvModel c, Part p, long t) {
        return common(c, p, t).put("userId", p.userId).put("divisionId", c.divisionId).put("queueId", p.queueId)
                .put("wrapupCode", p.wrapupCode).put("wrapupNotes", p.wrapupNotes)
                .put("wrapupDurationMs", p.wrapupSeconds * 1000L);
    }

    private static WireObject common(ConvModel c, Part p, long t) {
        WireObject o = new WireObject().put("eventTime", t).put("conversationId", c.id).put("participantId", p.id)
                .put("sessionId", p.session.id).put("mediaType", c.media.detail).put("provider", c.media.provider)
                .put("direction", c.direction).put("ani", c.ani).put("dnis", c.dnis)
                .put("addressTo", c.addressTo).put("addressFrom", c.addressFrom);
        if (c.media == Media.CALLBACK) {
            o.put("callbackUserName", c.customer.name).put("callbackNumbers", List.of(c.ani));
        } else if (c.media == Media.MESSAGE) {
            o.put("messageType", "SMS");
        }
        return o;
    }

    // ---------------------------------------------------------------- snapshots

    /**
     * The instants at which the conversation's snapshot changes, from the moment it reaches the
     * queue (before that no queue or user topic would carry it), sorted, distinct.
     */
    public static long[] snapshotInstants(ConvModel c) {
        long from = c.acd.session.connected;
        long[] all = new long[c.parts.size() * 7 + 1];
        int n = 0;
        for (Part p : c.parts) {
            Session s = p.session;
            for (long t : new long[] {s.alert, s.connected, s.holdStart, s.holdEnd, s.disconnected, p.acwEnd}) {
                if (t >= from) {
                    all[n++] = t;
                }
            }
        }
        if (c.attributesTime >= from) {
            all[n++] = c.attributesTime;
        }
        long[] sorted = Arrays.copyOf(all, n);
        Arrays.sort(sorted);
        int m = 0;
        for (int i = 0; i < sorted.length; i++) {
            if (m == 0 || sorted[m - 1] != sorted[i]) {
                sorted[m++] = sorted[i];
            }
        }
        return Arrays.copyOf(sorted, m);
    }

    /** The conversation snapshot as it stands at {@code t} (every change at {@code t} included). */
    public static WireObject snapshot(ConvModel c, long t) {
        List<Object> participants = new ArrayList<>(c.parts.size());
        for (Part p : c.parts) {
            if (p.joinTime() > t) {
                continue;
            }
            Session s = p.session;
            WireObject po = new WireObject().put("id", p.id)
                    .putIso("connectedTime", at(s.connected, t))
                    .putIso("endTime", at(s.disconnected, t))
                    .put("userId", p.userId)
                    .put("queueId", p.queueId)
                    .put("name", p.name)
                    .put("purpose", p.purpose);
            if (p.isAgent()) {
                po.put("wrapupRequired", s.connected >= 0)
                        .putIso("startAcwTime", at(p.acwStart, t))
                        .putIso("endAcwTime", at(p.acwEnd, t));
                if (p.acwEnd >= 0 && p.acwEnd <= t) {
                    po.put("wrapup", new WireObject().put("code", p.wrapupCode).put("notes", p.wrapupNotes)
                            .put("tags", List.of()).put("durationSeconds", (long) p.wrapupSeconds));
                }
            }
            WireObject attributes = new WireObject();
            if (p == c.customer && c.attributesTime >= 0 && c.attributesTime <= t) {
                for (Map.Entry<String, String> e : c.attributes.entrySet()) {
                    attributes.put(e.getKey(), e.getValue());
                }
            }
            po.put("attributes", attributes);
            for (Media m : Media.values()) {
                po.put(m.snapshotList, s.media == m ? List.of(mediaItem(c, p, t)) : List.of());
            }
            participants.add(po);
        }
        return new WireObject().put("id", c.id).put("maxParticipants", participants.size())
                .put("participants", participants).put("recordingState", "none");
    }

    private static WireObject mediaItem(ConvModel c, Part p, long t) {
        Session s = p.session;
        WireObject m = new WireObject().put("id", s.id).put("state", s.state(t));
        if (s.media == Media.VOICE) {
            m.put("recording", false).put("muted", false);
        }
        m.put("held", s.held(t));
        if (s.disconnected >= 0 && s.disconnected <= t) {
            m.put("disconnectType", s.disconnect.snapshot);
        }
        m.putIso("startAlertingTime", at(s.alert, t))
                .putIso("connectedTime", at(s.connected, t))
                .putIso("disconnectedTime", at(s.disconnected, t))
                .putIso("startHoldTime", s.held(t) ? s.holdStart : -1)
                .put("direction", TruthEvents.lower(s.direction))
                .put("provider", c.media.provider);
        if (p == c.customer && c.ani != null) {
            m.put("self", new WireObject().put("nameRaw", p.name).put("addressNormalized", c.ani));
        }
        return m;
    }

    private static long at(long value, long t) {
        return value >= 0 && value <= t ? value : -1;
    }

    // ---------------------------------------------------------------- transcription

    /** One transcript element (interim or final) of an utterance. */
    public static WireObject transcript(ConvModel c, Utterance u, int interim) {
        boolean fin = interim == u.interims();
        String text = fin ? u.text() : prefix(u.text(), interim + 1, u.interims() + 1);
        long offset = u.start() - u.on().session.transcriptionStart;
        long duration = fin ? u.durationMs() : u.durationMs() * (interim + 1) / (u.interims() + 1);
        WireObject.RawNumber confidence = new WireObject.RawNumber(u.confidence());
        WireObject alt = new WireObject().put("confidence", confidence).put("offsetMs", offset)
                .put("durationMs", duration).put("transcript", text);
        if (fin) {
            String[] words = text.split(" ");
            List<Object> ws = new ArrayList<>(words.length);
            for (int i = 0; i < words.length; i++) {
                ws.add(new WireObject().put("confidence", confidence)
                        .put("offsetMs", offset + duration * i / words.length)
                        .put("durationMs", duration / words.length).put("word", words[i]));
            }
            alt.put("words", ws);
        }
        return new WireObject().put("utteranceId", u.utteranceId()).put("isFinal", fin)
                .put("channel", u.external() ? "EXTERNAL" : "INTERNAL")
                .put("alternatives", List.of(alt))
                .put("engineProvider", "GENESYS").put("engineId", "r2d2")
                .put("dialect", Texts.LANGUAGES.get(c.language))
                .put("agentAssistEnabled", false).put("voiceTranscriptionEnabled", true);
    }

    /** A transcription message body. */
    public static WireObject transcription(ConvModel c, Session s, long sendAt, String organizationId,
                                           List<Object> transcripts) {
        return new WireObject().put("eventTime", new WireObject.Iso(sendAt)).put("organizationId", organizationId)
                .put("conversationId", c.id).put("communicationId", s.id)
                .put("sessionStartTimeMs", s.connected).put("transcriptionStartTimeMs", s.transcriptionStart)
                .put("transcripts", transcripts);
    }

    /** The first {@code num/den} of {@code text}, cut between code points (never inside a surrogate pair). */
    static String prefix(String text, int num, int den) {
        int cps = text.codePointCount(0, text.length());
        int keep = Math.max(1, cps * num / den);
        return text.substring(0, text.offsetByCodePoints(0, keep));
    }

    // ---------------------------------------------------------------- analytics

    /** The analytics conversation-details object (AnalyticsConversationWithoutAttributes), final view. */
    public static WireObject analytics(ConvModel c) {
        return analytics(c, Long.MAX_VALUE);
    }

    /**
     * The analytics object as it stood at {@code asOf}, or null before the conversation started:
     * participants not yet joined and segments not yet begun are absent, a segment still running has
     * no {@code segmentEnd} (nor {@code disconnectType}), {@code conversationEnd} appears when the last
     * media session has ended, and a {@code wrapup} segment only once after-call work is done.
     */
    public static WireObject analytics(ConvModel c, long asOf) {
        if (asOf < c.start) {
            return null;
        }
        List<Object> participants = new ArrayList<>(c.parts.size());
        for (Part p : c.parts) {
            Session s = p.session;
            if (p.joinTime() > asOf) {
                continue;
            }
            List<Object> segments = new ArrayList<>(6);
            String queueId = p.queueId;
            switch (p.purpose) {
                case "ivr" -> add(segments, asOf, s.connected, s.disconnected, "ivr", null, s.disconnect);
                case "agent" -> {
                    if (s.connected < 0) {
                        add(segments, asOf, s.alert, s.disconnected, "alert", queueId, s.disconnect);
                    } else {
                        add(segments, asOf, s.alert, s.connected, "alert", queueId, null);
                        if (s.holdStart < 0) {
                            add(segments, asOf, s.connected, s.disconnected, "interact", queueId, s.disconnect);
                        } else {
                            add(segments, asOf, s.connected, s.holdStart, "interact", queueId, null);
                            if (s.holdEnd < 0) {
                                add(segments, asOf, s.holdStart, s.disconnected, "hold", queueId, s.disconnect);
                            } else {
                                add(segments, asOf, s.holdStart, s.holdEnd, "hold", queueId, null);
                                add(segments, asOf, s.holdEnd, s.disconnected, "interact", queueId, s.disconnect);
                            }
                        }
                        if (p.acwEnd <= asOf) {
                            segments.add(segment(p.acwStart, p.acwEnd, "wrapup", queueId, null)
                                    .put("wrapUpCode", p.wrapupCode).put("wrapUpNote", p.wrapupNotes));
                        }
                    }
                }
                default -> add(segments, asOf, s.connected, s.disconnected, "interact", queueId, s.disconnect);
            }
            WireObject session = new WireObject().put("sessionId", s.id).put("mediaType", s.media.analytics)
                    .put("direction", TruthEvents.lower(s.direction)).put("ani", c.ani).put("dnis", c.dnis)
                    .put("provider", c.media.provider).put("segments", segments);
            participants.add(new WireObject().put("participantId", p.id).put("participantName", p.name)
                    .put("purpose", p.purpose).put("userId", p.userId).put("sessions", List.of(session)));
        }
        return new WireObject().put("conversationId", c.id).putIso("conversationStart", c.start)
                .putIso("conversationEnd", c.callEnd <= asOf ? c.callEnd : -1)
                .put("originatingDirection", TruthEvents.lower(c.direction))
                .put("divisionIds", List.of(c.divisionId)).put("participants", participants);
    }

    private static void add(List<Object> segments, long asOf, long start, long end, String type, String queueId,
                            Disconnect d) {
        if (start > asOf) {
            return;
        }
        boolean ended = end <= asOf;
        segments.add(segment(start, ended ? end : -1, type, queueId, ended ? d : null));
    }

    private static WireObject segment(long start, long end, String type, String queueId, Disconnect d) {
        return new WireObject().putIso("segmentStart", start).putIso("segmentEnd", end).put("segmentType", type)
                .put("queueId", queueId).put("disconnectType", d == null ? null : d.analytics);
    }

    // ---------------------------------------------------------------- seed shapes

    /** Shape-A documents of the conversation, in time order. */
    public static List<Timed> shapeA(ConvModel c) {
        List<Timed> out = new ArrayList<>(24);
        out.add(docA(c, c.start, "statusChange", new WireObject().put("status", "active")));
        List<Object> present = new ArrayList<>();
        for (Part p : c.parts) {
            present.add(new WireObject().put("id", p.id).put("purpose", p.purpose));
            out.add(docA(c, p.joinTime(), "participants", List.copyOf(present)));
        }
        long acdStart = c.acd.session.connected;
        out.add(docA(c, acdStart, "statusChange", new WireObject().put("status", "queued")));
        out.add(docA(c, acdStart, "metadata", new WireObject().put("queue", c.queueName).put("queueId", c.queueId)));
        if (c.attributesTime >= 0) {
            WireObject data = new WireObject();
            for (Map.Entry<String, String> e : c.attributes.entrySet()) {
                data.put(e.getKey(), e.getValue());
            }
            out.add(docA(c, c.attributesTime, "metadata", data));
        }
        if (c.answeredBy != null) {
            out.add(docA(c, c.answeredBy.session.connected, "statusChange",
                    new WireObject().put("status", "connected")));
        }
        for (Utterance u : c.utterances) {
            out.add(docA(c, u.start(), "transcript", new WireObject()
                    .put("participantId", u.external() ? c.customer.id : u.on().id).put("text", u.text())));
        }
        for (Part p : c.parts) {
            if (p.acwEnd >= 0) {
                out.add(docA(c, p.acwEnd, "wrapup", new WireObject().put("participantId", p.id)
                        .put("code", p.wrapupCode).put("notes", p.wrapupNotes)));
            }
        }
        out.add(docA(c, c.callEnd, "statusChange", new WireObject().put("status", c.finalStatus)));
        out.sort((a, b) -> Long.compare(a.time(), b.time()));
        return out;
    }

    private static Timed docA(ConvModel c, long t, String type, Object data) {
        return new Timed(t, new WireObject().put("conversationId", c.id).put("type", type).put("data", data)
                .putIso("timestamp", t));
    }

    /**
     * Shape-B events of the conversation, in time order, without {@code sequence} (the engine numbers
     * them in global send order). {@code ids} supplies each event's unique id.
     */
    public static List<Timed> shapeB(ConvModel c, java.util.function.Supplier<String> ids) {
        List<Timed> out = new ArrayList<>(24);
        for (Part p : c.parts) {
            Session s = p.session;
            long join = p.joinTime();
            out.add(eventB(ids, join, "interaction-participant-joined", new WireObject().put("interactionId", c.id)
                    .put("participantId", p.id).put("purpose", p.purpose).put("userId", p.userId)
                    .put("queueId", p.queueId)));
            out.add(eventB(ids, join, "interaction-media-channel-added", new WireObject().put("interactionId", c.id)
                    .put("participantId", p.id).put("channelId", s.id).put("mediaType", s.media.analytics)
                    .put("direction", TruthEvents.lower(s.direction))));
            out.add(eventB(ids, s.disconnected, "interaction-media-channel-removed", new WireObject()
                    .put("interactionId", c.id).put("participantId", p.id).put("channelId", s.id)
                    .put("disconnectType", s.disconnect.snapshot)));
            out.add(eventB(ids, s.disconnected, "interaction-participant-left", new WireObject()
                    .put("interactionId", c.id).put("participantId", p.id)));
            if (p.acwEnd >= 0) {
                out.add(eventB(ids, p.acwEnd, "interaction-wrapup", new WireObject().put("interactionId", c.id)
                        .put("participantId", p.id).put("wrapupCode", p.wrapupCode)
                        .put("durationMs", p.wrapupSeconds * 1000L)));
            }
        }
        if (c.attributesTime >= 0) {
            WireObject data = new WireObject().put("interactionId", c.id).put("participantId", c.customer.id);
            for (Map.Entry<String, String> e : c.attributes.entrySet()) {
                data.put(e.getKey(), e.getValue());
            }
            out.add(eventB(ids, c.attributesTime, "interaction-updated", data));
        }
        out.sort((a, b) -> Long.compare(a.time(), b.time()));
        return out;
    }

    private static Timed eventB(java.util.function.Supplier<String> ids, long t, String type, WireObject data) {
        return new Timed(t, new WireObject().put("id", ids.get()).putIso("timestamp", t).put("type", type)
                .put("data", data));
    }
}
