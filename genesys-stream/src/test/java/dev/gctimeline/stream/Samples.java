package dev.gctimeline.stream;

import dev.gctimeline.core.EventIds;
import dev.gctimeline.core.EventKind;
import dev.gctimeline.core.TimelineEvent;
import java.util.ArrayList;
import java.util.List;

/**
 * Realistic wire documents (shapes per /work/shared/genesys-reference.md and seed-formats.md) and,
 * for each, the events docs/event-mapping.md says it carries, written out by hand field by field.
 * A decoder that disagrees with the mapping document fails against these.
 */
final class Samples {
    static final String C = "0c5e2a71-3d4b-4f6a-9b8c-1d2e3f4a5b6c";
    static final String PC = "a3f1c2d4-5e6f-4a7b-8c9d-0e1f2a3b4c5d"; // customer
    static final String PI = "b4e2d3c5-6f7a-4b8c-9d0e-1f2a3b4c5d6e"; // ivr
    static final String PA = "c5f3e4d6-7a8b-4c9d-8e1f-2a3b4c5d6e7f"; // acd
    static final String PU = "d6a4f5e7-8b9c-4dae-9f2a-3b4c5d6e7f80"; // agent
    static final String SC = "e7b5a6f8-9cad-4ebf-8a3b-4c5d6e7f8091";
    static final String SI = "f8c6b7a9-adbe-4fc0-9b4c-5d6e7f809102";
    static final String SA = "09d7c8ba-becf-40d1-8c5d-6e7f80910213";
    static final String SU = "1ae8d9cb-cfd0-41e2-9d6e-7f8091021324";
    static final String Q = "2bf9eadc-d0e1-42f3-8e7f-809102132435";
    static final String U = "3c0afbed-e1f2-4304-9f80-910213243546";
    static final String DIV = "4d1b0cfe-f203-4415-8091-021324354657";
    static final String FLOW = "5e2c1d0f-0314-4526-9102-132435465768";
    static final String CHANNEL = "streaming-2b7c9d0e-secret-channel";
    /** 2026-11-22T10:00:00Z */
    static final long T0 = 1_795_341_600_000L;

    record Sample(String name, String json, List<TimelineEvent> expected) {
    }

    private Samples() {
    }

    static String detail(String suffix, String body) {
        return "{\"topicName\":\"v2.detail.events.conversation." + C + "." + suffix + "\",\"version\":\"2\","
                + "\"eventBody\":" + body + ",\"metadata\":{\"CorrelationId\":\"9a8b7c6d-1234-4e5f-8a9b-0c1d2e3f4a5b\"}}";
    }

    static TimelineEvent.Builder detailEvent(String suffix, EventKind kind, long t, String pid, String sid) {
        return TimelineEvent.builder(C, kind, t)
                .eventId(EventIds.of("detail", suffix, C, pid, sid, Long.toString(t)))
                .sourceType(suffix).participantId(pid).sessionId(sid);
    }

    static TimelineEvent.Builder snapshotEvent(EventKind kind, long t, String pid, String sid, String state) {
        return TimelineEvent.builder(C, kind, t)
                .eventId(EventIds.of("snapshot", kind.name(), C, pid, sid, state, Long.toString(t)))
                .sourceType("snapshot").participantId(pid).sessionId(sid).state(state);
    }

    /** One sample per detail-event suffix of genesys-reference.md. */
    static List<Sample> detailEvents() {
        List<Sample> s = new ArrayList<>();
        s.add(new Sample("customer.start", detail("customer.start", """
                {"eventTime":1795341600120,"conversationId":"%s","participantId":"%s","sessionId":"%s",\
                "mediaType":"VOICE","provider":"Edge","direction":"INBOUND","ani":"tel:+4930123456",\
                "dnis":"tel:+4989987654","addressFrom":"tel:+4930123456","addressTo":"tel:+4989987654",\
                "divisionId":"%s","externalOrganizationId":null,"conversationExternalContactIds":["ec-1"],\
                "callbackUserName":""}""".formatted(C, PC, SC, DIV)),
                List.of(detailEvent("customer.start", EventKind.SESSION_STARTED, T0 + 120, PC, SC)
                        .mediaType("VOICE").direction("INBOUND").purpose("customer")
                        .attribute("provider", "Edge").attribute("ani", "tel:+4930123456")
                        .attribute("dnis", "tel:+4989987654").attribute("addressFrom", "tel:+4930123456")
                        .attribute("addressTo", "tel:+4989987654").attribute("divisionId", DIV).build())));
        s.add(new Sample("flow.start", detail("flow.start", """
                {"eventTime":1795341600300,"conversationId":"%s","participantId":"%s","sessionId":"%s",\
                "mediaType":"VOICE","provider":"Edge","direction":"INBOUND","ani":"tel:+4930123456",\
                "dnis":"tel:+4989987654","flowId":"%s","flowType":"INBOUNDCALL","flowVersion":"12.0",\
                "divisionId":"%s"}""".formatted(C, PI, SI, FLOW, DIV)),
                List.of(detailEvent("flow.start", EventKind.SESSION_STARTED, T0 + 300, PI, SI)
                        .mediaType("VOICE").direction("INBOUND").purpose("ivr")
                        .attribute("provider", "Edge").attribute("ani", "tel:+4930123456")
                        .attribute("dnis", "tel:+4989987654").attribute("flowId", FLOW)
                        .attribute("flowType", "INBOUNDCALL").attribute("divisionId", DIV).build())));
        s.add(new Sample("flow.outcome", detail("flow.outcome", """
                {"eventTime":1795341630000,"conversationId":"%s","participantId":"%s","sessionId":"%s",\
                "mediaType":"VOICE","direction":"INBOUND","flowId":"%s","flowType":"INBOUNDCALL",\
                "flowOutcome":"Identified","flowOutcomeId":"8e9f0a1b-2c3d-4e5f-a6b7-c8d9e0f1a2b3",\
                "flowOutcomeValue":"SUCCESS","divisionId":"%s"}""".formatted(C, PI, SI, FLOW, DIV)),
                List.of(detailEvent("flow.outcome", EventKind.FLOW, T0 + 30_000, PI, SI)
                        .mediaType("VOICE").direction("INBOUND").purpose("ivr")
                        .attribute("flowId", FLOW).attribute("flowType", "INBOUNDCALL")
                        .attribute("flowOutcome", "Identified")
                        .attribute("flowOutcomeId", "8e9f0a1b-2c3d-4e5f-a6b7-c8d9e0f1a2b3")
                        .attribute("flowOutcomeValue", "SUCCESS").build())));
        s.add(new Sample("flow.end", detail("flow.end", """
                {"eventTime":1795341645000,"conversationId":"%s","participantId":"%s","sessionId":"%s",\
                "mediaType":"VOICE","direction":"INBOUND","flowId":"%s","flowType":"INBOUNDCALL",\
                "exitReason":"TRANSFER","transferType":"ACD","transferTargetAddress":"%s",\
                "disconnectType":"TRANSFER"}""".formatted(C, PI, SI, FLOW, Q)),
                List.of(detailEvent("flow.end", EventKind.SESSION_ENDED, T0 + 45_000, PI, SI)
                        .mediaType("VOICE").direction("INBOUND").purpose("ivr")
                        .attribute("disconnectType", "TRANSFER").attribute("exitReason", "TRANSFER")
                        .attribute("transferType", "ACD").build())));
        s.add(new Sample("acd.start", detail("acd.start", """
                {"eventTime":1795341645010,"conversationId":"%s","participantId":"%s","sessionId":"%s",\
                "mediaType":"VOICE","provider":"Edge","direction":"INBOUND","ani":"tel:+4930123456",\
                "dnis":"tel:+4989987654","queueId":"%s","divisionId":"%s","requestedRoutings":["Standard"],\
                "routingPriority":0}""".formatted(C, PA, SA, Q, DIV)),
                List.of(detailEvent("acd.start", EventKind.SESSION_STARTED, T0 + 45_010, PA, SA)
                        .mediaType("VOICE").direction("INBOUND").purpose("acd").queueId(Q)
                        .attribute("provider", "Edge").attribute("ani", "tel:+4930123456")
                        .attribute("dnis", "tel:+4989987654").attribute("divisionId", DIV).build())));
        s.add(new Sample("user.start", detail("user.start", """
                {"eventTime":1795341650000,"conversationId":"%s","participantId":"%s","sessionId":"%s",\
                "mediaType":"voice","provider":"Edge","direction":"inbound","ani":"tel:+4930123456",\
                "dnis":"tel:+4989987654","userId":"%s","queueId":"%s","divisionId":"%s"}"""
                .formatted(C, PU, SU, U, Q, DIV)),
                List.of(detailEvent("user.start", EventKind.SESSION_STARTED, T0 + 50_000, PU, SU)
                        .mediaType("VOICE").direction("INBOUND").purpose("agent").userId(U).queueId(Q)
                        .attribute("provider", "Edge").attribute("ani", "tel:+4930123456")
                        .attribute("dnis", "tel:+4989987654").attribute("divisionId", DIV).build())));
        s.add(new Sample("acd.end", detail("acd.end", """
                {"eventTime":1795341653000,"conversationId":"%s","participantId":"%s","sessionId":"%s",\
                "mediaType":"VOICE","direction":"INBOUND","queueId":"%s","disconnectType":"TRANSFER",\
                "acdOutcome":"ANSWERED","answeredUserId":"%s","requestedRoutingSkillIds":[],\
                "usedRouting":"Standard"}""".formatted(C, PA, SA, Q, U)),
                List.of(detailEvent("acd.end", EventKind.SESSION_ENDED, T0 + 53_000, PA, SA)
                        .mediaType("VOICE").direction("INBOUND").purpose("acd").queueId(Q)
                        .attribute("disconnectType", "TRANSFER").attribute("acdOutcome", "ANSWERED")
                        .attribute("answeredUserId", U).build())));
        s.add(new Sample("attributes", detail("attributes", """
                {"eventTime":1795341660000,"conversationId":"%s","participantId":"%s",\
                "attributes":{"crm.accountId":"AC-4711","ivr.language":"de-DE","retries":2,"vip":true,\
                "nested":{"ignored":"yes"},"empty":null}}""".formatted(C, PC)),
                List.of(detailEvent("attributes", EventKind.ATTRIBUTES, T0 + 60_000, PC, null)
                        .attribute("crm.accountId", "AC-4711").attribute("ivr.language", "de-DE")
                        .attribute("retries", "2").attribute("vip", "true").build())));
        s.add(new Sample("contact", detail("contact", """
                {"eventTime":1795341661000,"conversationId":"%s","participantId":"%s",\
                "externalContactId":"6f3d2c1b-0a9e-48d7-b6c5-a4f3e2d1c0b9","mediaType":"VOICE"}"""
                .formatted(C, PC)),
                List.of(detailEvent("contact", EventKind.OTHER, T0 + 61_000, PC, null).mediaType("VOICE").build())));
        s.add(new Sample("outbound", detail("outbound", """
                {"eventTime":1795341662000,"participantId":"%s","sessionId":"%s","mediaType":"VOICE",\
                "direction":"OUTBOUND","outboundCampaignId":"7a4e3d2c-1b0a-49e8-c7d6-b5a4f3e2d1c0"}"""
                .formatted(PU, SU)),
                // no conversationId in the body: the topic's id is used
                List.of(detailEvent("outbound", EventKind.OTHER, T0 + 62_000, PU, SU)
                        .mediaType("VOICE").direction("OUTBOUND").build())));
        s.add(new Sample("user.end", detail("user.end", """
                {"eventTime":1795341785000,"conversationId":"%s","participantId":"%s","sessionId":"%s",\
                "mediaType":"VOICE","direction":"INBOUND","userId":"%s","queueId":"%s",\
                "disconnectType":"CLIENT","interactingDurationMs":132000}""".formatted(C, PU, SU, U, Q)),
                List.of(detailEvent("user.end", EventKind.SESSION_ENDED, T0 + 185_000, PU, SU)
                        .mediaType("VOICE").direction("INBOUND").purpose("agent").userId(U).queueId(Q)
                        .attribute("disconnectType", "CLIENT").attribute("interactingDurationMs", "132000").build())));
        s.add(new Sample("customer.end", detail("customer.end", """
                {"eventTime":1795341785005,"conversationId":"%s","participantId":"%s","sessionId":"%s",\
                "mediaType":"VOICE","provider":"Edge","direction":"INBOUND","ani":"tel:+4930123456",\
                "disconnectType":"PEER","interactingDurationMs":185000}""".formatted(C, PC, SC)),
                List.of(detailEvent("customer.end", EventKind.SESSION_ENDED, T0 + 185_005, PC, SC)
                        .mediaType("VOICE").direction("INBOUND").purpose("customer")
                        .attribute("disconnectType", "PEER").attribute("interactingDurationMs", "185000").build())));
        s.add(new Sample("acw", detail("acw", """
                {"eventTime":1795341810000,"conversationId":"%s","participantId":"%s","sessionId":"%s",\
                "mediaType":"VOICE","direction":"INBOUND","userId":"%s","queueId":"%s",\
                "wrapupCode":"8f7e6d5c-4b3a-4291-8a7b-6c5d4e3f2a1b","wrapupNotes":"Rückruf vereinbart",\
                "wrapupDurationMs":25000}""".formatted(C, PU, SU, U, Q)),
                List.of(detailEvent("acw", EventKind.WRAPUP, T0 + 210_000, PU, SU)
                        .mediaType("VOICE").direction("INBOUND").userId(U).queueId(Q)
                        .attribute("wrapupCode", "8f7e6d5c-4b3a-4291-8a7b-6c5d4e3f2a1b")
                        .attribute("wrapupNotes", "Rückruf vereinbart").attribute("wrapupDurationMs", "25000").build())));
        s.add(new Sample("wrapup", detail("wrapup", """
                {"eventTime":1795341810500,"conversationId":"%s","participantId":"%s","sessionId":"%s",\
                "mediaType":"VOICE","userId":"%s","queueId":"%s",\
                "wrapupCode":"8f7e6d5c-4b3a-4291-8a7b-6c5d4e3f2a1b","wrapupNotes":"Rückruf vereinbart"}"""
                .formatted(C, PU, SU, U, Q)),
                List.of(detailEvent("wrapup", EventKind.WRAPUP, T0 + 210_500, PU, SU)
                        .mediaType("VOICE").userId(U).queueId(Q)
                        .attribute("wrapupCode", "8f7e6d5c-4b3a-4291-8a7b-6c5d4e3f2a1b")
                        .attribute("wrapupNotes", "Rückruf vereinbart").build())));
        s.add(new Sample("voicemail.start", detail("voicemail.start", """
                {"eventTime":1795341900000,"conversationId":"%s","participantId":"%s","sessionId":"%s",\
                "mediaType":"Voice","direction":"Inbound","provider":"Edge","userId":"%s"}"""
                .formatted(C, PU, SU, U)),
                List.of(detailEvent("voicemail.start", EventKind.SESSION_STARTED, T0 + 300_000, PU, SU)
                        .mediaType("VOICE").direction("INBOUND").purpose("voicemail").userId(U)
                        .attribute("provider", "Edge").build())));
        s.add(new Sample("voicemail.end", detail("voicemail.end", """
                {"eventTime":1795341930000,"conversationId":"%s","participantId":"%s","sessionId":"%s",\
                "mediaType":"VOICE","direction":"INBOUND","userId":"%s","disconnectType":"ENDPOINT"}"""
                .formatted(C, PU, SU, U)),
                List.of(detailEvent("voicemail.end", EventKind.SESSION_ENDED, T0 + 330_000, PU, SU)
                        .mediaType("VOICE").direction("INBOUND").purpose("voicemail").userId(U)
                        .attribute("disconnectType", "ENDPOINT").build())));
        return s;
    }

    static final String QUEUE_TOPIC = "v2.routing.queues." + Q + ".conversations";
    static final String USER_TOPIC = "v2.users." + U + ".conversations";

    static String envelope(String topic, String body) {
        return "{\"topicName\":\"" + topic + "\",\"version\":\"2\",\"eventBody\":" + body
                + ",\"metadata\":{\"CorrelationId\":\"1b2c3d4e-5f60-4718-9a0b-c1d2e3f4a5b6\"}}";
    }

    /** A four-participant snapshot: customer connected, IVR done, queue connected, agent alerting. */
    static String snapshotBody1() {
        return """
                {"id":"%s","maxParticipants":4,"recordingState":"none","address":"tel:+4989987654",\
                "participants":[\
                {"id":"%s","connectedTime":"2026-11-22T10:00:00.000Z","name":"Erika Müller","purpose":"customer",\
                "address":"tel:+4930123456","wrapupRequired":false,\
                "attributes":{"crm.accountId":"AC-4711","language":"de-DE"},\
                "calls":[{"id":"%s","state":"connected","recording":false,"recordingState":"none","muted":false,\
                "confined":false,"held":false,"securePause":false,"direction":"inbound",\
                "self":{"nameRaw":"","addressNormalized":"tel:+4930123456","addressRaw":"+4930123456"},\
                "other":{"nameRaw":"","addressNormalized":"tel:+4989987654"},"provider":"Edge",\
                "connectedTime":"2026-11-22T10:00:00.120Z","disconnectReasons":[],"afterCallWorkRequired":false}]},\
                {"id":"%s","connectedTime":"2026-11-22T10:00:00.300Z","endTime":"2026-11-22T10:00:45.000Z",\
                "name":"Main IVR","purpose":"ivr","wrapupRequired":false,\
                "calls":[{"id":"%s","state":"disconnected","direction":"inbound","held":false,\
                "connectedTime":"2026-11-22T10:00:00.300Z","disconnectedTime":"2026-11-22T10:00:45.000Z",\
                "disconnectType":"transfer","provider":"Edge"}]},\
                {"id":"%s","connectedTime":"2026-11-22T10:00:45.000Z","name":"Sales","purpose":"acd",\
                "queueId":"%s","wrapupRequired":false,\
                "calls":[{"id":"%s","state":"connected","direction":"inbound","held":false,\
                "connectedTime":"2026-11-22T10:00:45.010Z","provider":"Edge"}]},\
                {"id":"%s","name":"Max Agent","purpose":"agent","userId":"%s","queueId":"%s","wrapupRequired":true,\
                "calls":[{"id":"%s","state":"alerting","direction":"inbound","held":false,\
                "startAlertingTime":"2026-11-22T10:00:50.000Z","provider":"Edge"}]}]}"""
                .formatted(C, PC, SC, PI, SI, PA, Q, SA, PU, U, Q, SU);
    }

    static List<TimelineEvent> snapshot1Events() {
        return List.of(
                snapshotEvent(EventKind.PARTICIPANT_JOINED, T0, PC, null, null).purpose("customer")
                        .attribute("name", "Erika Müller").build(),
                snapshotEvent(EventKind.SESSION_STARTED, T0 + 120, PC, SC, null).mediaType("VOICE")
                        .direction("INBOUND").build(),
                snapshotEvent(EventKind.SESSION_STATE, T0 + 120, PC, SC, "connected").mediaType("VOICE").build(),
                snapshotEvent(EventKind.ATTRIBUTES, T0 + 120, PC, null, null).attribute("crm.accountId", "AC-4711")
                        .attribute("language", "de-DE").build(),
                snapshotEvent(EventKind.PARTICIPANT_JOINED, T0 + 300, PI, null, null).purpose("ivr")
                        .attribute("name", "Main IVR").build(),
                snapshotEvent(EventKind.SESSION_STARTED, T0 + 300, PI, SI, null).mediaType("VOICE")
                        .direction("INBOUND").build(),
                snapshotEvent(EventKind.SESSION_STATE, T0 + 45_000, PI, SI, "disconnected").mediaType("VOICE").build(),
                snapshotEvent(EventKind.SESSION_ENDED, T0 + 45_000, PI, SI, null).mediaType("VOICE")
                        .attribute("disconnectType", "transfer").build(),
                snapshotEvent(EventKind.PARTICIPANT_LEFT, T0 + 45_000, PI, null, null).build(),
                snapshotEvent(EventKind.PARTICIPANT_JOINED, T0 + 45_000, PA, null, null).purpose("acd").queueId(Q)
                        .attribute("name", "Sales").build(),
                snapshotEvent(EventKind.SESSION_STARTED, T0 + 45_010, PA, SA, null).mediaType("VOICE")
                        .direction("INBOUND").build(),
                snapshotEvent(EventKind.SESSION_STATE, T0 + 45_010, PA, SA, "connected").mediaType("VOICE").build(),
                snapshotEvent(EventKind.PARTICIPANT_JOINED, T0 + 50_000, PU, null, null).purpose("agent").userId(U)
                        .queueId(Q).attribute("name", "Max Agent").build(),
                snapshotEvent(EventKind.SESSION_STARTED, T0 + 50_000, PU, SU, null).mediaType("VOICE")
                        .direction("INBOUND").build(),
                snapshotEvent(EventKind.SESSION_STATE, T0 + 50_000, PU, SU, "alerting").mediaType("VOICE").build());
    }

    /**
     * The agent answered: the queue leg ends, the agent's call connects; the customer's language
     * attribute changed.
     */
    static String snapshotBody2() {
        return """
                {"id":"%s","maxParticipants":4,"recordingState":"none",\
                "participants":[\
                {"id":"%s","connectedTime":"2026-11-22T10:00:00.000Z","name":"Erika Müller","purpose":"customer",\
                "attributes":{"crm.accountId":"AC-4711","language":"en-US"},\
                "calls":[{"id":"%s","state":"connected","held":false,"direction":"inbound",\
                "connectedTime":"2026-11-22T10:00:00.120Z"}]},\
                {"id":"%s","connectedTime":"2026-11-22T10:00:00.300Z","endTime":"2026-11-22T10:00:45.000Z",\
                "name":"Main IVR","purpose":"ivr",\
                "calls":[{"id":"%s","state":"disconnected","direction":"inbound","held":false,\
                "connectedTime":"2026-11-22T10:00:00.300Z","disconnectedTime":"2026-11-22T10:00:45.000Z",\
                "disconnectType":"transfer"}]},\
                {"id":"%s","connectedTime":"2026-11-22T10:00:45.000Z","endTime":"2026-11-22T10:00:53.000Z",\
                "name":"Sales","purpose":"acd","queueId":"%s",\
                "calls":[{"id":"%s","state":"disconnected","direction":"inbound","held":false,\
                "connectedTime":"2026-11-22T10:00:45.010Z","disconnectedTime":"2026-11-22T10:00:53.000Z",\
                "disconnectType":"transfer"}]},\
                {"id":"%s","connectedTime":"2026-11-22T10:00:53.000Z","name":"Max Agent","purpose":"agent",\
                "userId":"%s","queueId":"%s","wrapupRequired":true,\
                "calls":[{"id":"%s","state":"connected","direction":"inbound","held":false,\
                "startAlertingTime":"2026-11-22T10:00:50.000Z","connectedTime":"2026-11-22T10:00:53.000Z"}]}]}"""
                .formatted(C, PC, SC, PI, SI, PA, Q, SA, PU, U, Q, SU);
    }

    static List<TimelineEvent> snapshot2Events() {
        return List.of(
                snapshotEvent(EventKind.ATTRIBUTES, T0 + 120, PC, null, null).attribute("language", "en-US").build(),
                snapshotEvent(EventKind.SESSION_STATE, T0 + 53_000, PA, SA, "disconnected").mediaType("VOICE").build(),
                snapshotEvent(EventKind.SESSION_ENDED, T0 + 53_000, PA, SA, null).mediaType("VOICE")
                        .attribute("disconnectType", "transfer").build(),
                snapshotEvent(EventKind.PARTICIPANT_LEFT, T0 + 53_000, PA, null, null).build(),
                snapshotEvent(EventKind.SESSION_STATE, T0 + 53_000, PU, SU, "connected").mediaType("VOICE").build());
    }

    /** Agent on hold (customer and agent only, as a user topic would show). */
    static String snapshotBody3() {
        return """
                {"id":"%s","participants":[\
                {"id":"%s","connectedTime":"2026-11-22T10:00:00.000Z","purpose":"customer",\
                "calls":[{"id":"%s","state":"connected","held":false,"direction":"inbound",\
                "connectedTime":"2026-11-22T10:00:00.120Z"}]},\
                {"id":"%s","connectedTime":"2026-11-22T10:00:53.000Z","purpose":"agent","userId":"%s",\
                "calls":[{"id":"%s","state":"connected","direction":"inbound","held":true,\
                "startAlertingTime":"2026-11-22T10:00:50.000Z","connectedTime":"2026-11-22T10:00:53.000Z",\
                "startHoldTime":"2026-11-22T10:02:00.000Z"}]}]}""".formatted(C, PC, SC, PU, U, SU);
    }

    static List<TimelineEvent> snapshot3Events() {
        return List.of(snapshotEvent(EventKind.SESSION_STATE, T0 + 120_000, PU, SU, "held").mediaType("VOICE").build());
    }

    /** Everyone hung up, the agent finished after-call work with a wrap-up. */
    static String snapshotBody4() {
        return """
                {"id":"%s","participants":[\
                {"id":"%s","connectedTime":"2026-11-22T10:00:00.000Z","endTime":"2026-11-22T10:03:05.005Z",\
                "purpose":"customer","calls":[{"id":"%s","state":"disconnected","held":false,"direction":"inbound",\
                "connectedTime":"2026-11-22T10:00:00.120Z","disconnectedTime":"2026-11-22T10:03:05.005Z",\
                "disconnectType":"peer"}]},\
                {"id":"%s","connectedTime":"2026-11-22T10:00:53.000Z","endTime":"2026-11-22T10:03:05.000Z",\
                "endAcwTime":"2026-11-22T10:03:30.000Z","purpose":"agent","userId":"%s",\
                "wrapup":{"code":"8f7e6d5c-4b3a-4291-8a7b-6c5d4e3f2a1b","notes":"Rückruf vereinbart",\
                "tags":[],"durationSeconds":25,"endTime":"2026-11-22T10:03:30.000Z"},\
                "calls":[{"id":"%s","state":"disconnected","direction":"inbound","held":false,\
                "startAlertingTime":"2026-11-22T10:00:50.000Z","connectedTime":"2026-11-22T10:00:53.000Z",\
                "disconnectedTime":"2026-11-22T10:03:05.000Z","disconnectType":"client"}]}]}"""
                .formatted(C, PC, SC, PU, U, SU);
    }

    static List<TimelineEvent> snapshot4Events() {
        return List.of(
                snapshotEvent(EventKind.SESSION_STATE, T0 + 185_005, PC, SC, "disconnected").mediaType("VOICE").build(),
                snapshotEvent(EventKind.SESSION_ENDED, T0 + 185_005, PC, SC, null).mediaType("VOICE")
                        .attribute("disconnectType", "peer").build(),
                snapshotEvent(EventKind.PARTICIPANT_LEFT, T0 + 185_005, PC, null, null).build(),
                snapshotEvent(EventKind.SESSION_STATE, T0 + 185_000, PU, SU, "disconnected").mediaType("VOICE").build(),
                snapshotEvent(EventKind.SESSION_ENDED, T0 + 185_000, PU, SU, null).mediaType("VOICE")
                        .attribute("disconnectType", "client").build(),
                snapshotEvent(EventKind.PARTICIPANT_LEFT, T0 + 185_000, PU, null, null).build(),
                snapshotEvent(EventKind.WRAPUP, T0 + 210_000, PU, null, null)
                        .attribute("wrapupCode", "8f7e6d5c-4b3a-4291-8a7b-6c5d4e3f2a1b")
                        .attribute("wrapupNotes", "Rückruf vereinbart").attribute("wrapupDurationMs", "25000").build());
    }

    static final String TRANSCRIPTION_TOPIC = "v2.conversations." + C + ".transcription";

    /** Finals and an interim, with umlauts, CJK and an emoji (a surrogate pair) in the text. */
    static String transcription() {
        return envelope(TRANSCRIPTION_TOPIC, """
                {"eventTime":"2026-11-22T10:01:10.500Z","organizationId":"6a5b4c3d-2e1f-4a0b-9c8d-7e6f5a4b3c2d",\
                "conversationId":"%s","communicationId":"%s","sessionStartTimeMs":1795341600120,\
                "transcriptionStartTimeMs":1795341601000,"transcripts":[\
                {"utteranceId":"u-1","isFinal":true,"channel":"EXTERNAL","alternatives":[{"confidence":0.91,\
                "offsetMs":1200,"durationMs":2300,"transcript":"Grüß Gott, ich möchte meine Bestellung ändern",\
                "words":[{"confidence":0.9,"offsetMs":1200,"durationMs":300,"word":"Grüß"}]}],\
                "engineProvider":"GENESYS","engineId":"en-1","dialect":"de-DE","agentAssistEnabled":false,\
                "voiceTranscriptionEnabled":true},\
                {"utteranceId":"u-2","isFinal":false,"channel":"INTERNAL","alternatives":[{"confidence":0.5,\
                "offsetMs":4000,"durationMs":800,"transcript":"我可以"}]},\
                {"utteranceId":"u-3","isFinal":true,"channel":"INTERNAL","alternatives":[{"confidence":0.87,\
                "offsetMs":4100,"durationMs":1900,"transcript":"我可以帮您 🙂 gerne! Ça va? Ωμέγα"},\
                {"confidence":0.2,"offsetMs":4100,"durationMs":1900,"transcript":"second best"}]}]}"""
                .formatted(C, SC));
    }

    static List<TimelineEvent> transcriptionEvents() {
        return List.of(
                TimelineEvent.builder(C, EventKind.TRANSCRIPT, 1_795_341_601_000L + 1200)
                        .eventId(EventIds.of("transcript", C, SC, "u-1")).sourceType("transcription").sessionId(SC)
                        .attribute("utteranceId", "u-1").attribute("channel", "EXTERNAL")
                        .attribute("text", "Grüß Gott, ich möchte meine Bestellung ändern")
                        .attribute("confidence", "0.91").build(),
                TimelineEvent.builder(C, EventKind.TRANSCRIPT, 1_795_341_601_000L + 4100)
                        .eventId(EventIds.of("transcript", C, SC, "u-3")).sourceType("transcription").sessionId(SC)
                        .attribute("utteranceId", "u-3").attribute("channel", "INTERNAL")
                        .attribute("text", "我可以帮您 🙂 gerne! Ça va? Ωμέγα").attribute("confidence", "0.87").build());
    }

    /** The customer.start detail event as AWS EventBridge delivers it (pretty-printed, as in a file). */
    static String eventBridge() {
        String inner = detailEvents().get(0).json();
        return """
                {
                  "version": "0",
                  "id": "6f1c2d3e-4a5b-6c7d-8e9f-0a1b2c3d4e5f",
                  "detail-type": "v2.detail.events.conversation.{id}.customer.start",
                  "source": "aws.partner/genesys.com/cloud/9a8b7c6d-5e4f-3a2b-1c0d-e9f8a7b6c5d4/prod-events",
                  "account": "123456789012",
                  "time": "2026-11-22T10:00:00Z",
                  "region": "eu-central-1",
                  "resources": [],
                  "detail": %s
                }""".formatted(inner.substring(0, inner.length() - 1) + ",\"timestamp\":\"2026-11-22T10:00:00.125Z\"}");
    }

    static List<Sample> shapeA() {
        List<Sample> s = new ArrayList<>();
        s.add(new Sample("A statusChange", """
                {"conversationId":"c-1","type":"statusChange","data":{"status":"Active"},"timestamp":"2026-11-22T10:00:00.000Z"}""",
                List.of(TimelineEvent.builder("c-1", EventKind.CONVERSATION_STATUS, T0).sourceType("statusChange")
                        .state("active").build())));
        s.add(new Sample("A participants", """
                {"conversationId":"c-1","type":"participants","data":[{"id":"p-1","purpose":"Customer"},\
                {"id":"p-2","purpose":"agent"},{"id":"p-3"},{"purpose":"orphan"}],"timestamp":"2026-11-22T10:00:01.000Z"}""",
                List.of(TimelineEvent.builder("c-1", EventKind.PARTICIPANTS_REPLACED, T0 + 1000)
                        .sourceType("participants").attribute("p-1", "customer").attribute("p-2", "agent")
                        .attribute("p-3", "").build())));
        s.add(new Sample("A transcript", """
                {"conversationId":"c-1","type":"transcript","data":{"participantId":"p-1","text":"hallo, schöne Grüße 👋"},\
                "timestamp":"2026-11-22T10:00:02.000Z"}""",
                List.of(TimelineEvent.builder("c-1", EventKind.TRANSCRIPT, T0 + 2000).sourceType("transcript")
                        .participantId("p-1").attribute("text", "hallo, schöne Grüße 👋").build())));
        s.add(new Sample("A metadata", """
                {"conversationId":"c-1","type":"metadata","data":{"queue":"sales","priority":3,"vip":false,\
                "tags":["x"]},"timestamp":"2026-11-22T10:00:03.000+01:00"}""",
                List.of(TimelineEvent.builder("c-1", EventKind.ATTRIBUTES, T0 + 3000 - 3_600_000)
                        .sourceType("metadata").attribute("queue", "sales").attribute("priority", "3")
                        .attribute("vip", "false").build())));
        s.add(new Sample("A completed", """
                {"conversationId":"c-1","type":"statusChange","data":{"status":"completed"},"timestamp":"2026-11-22T10:05:00.000Z"}""",
                List.of(TimelineEvent.builder("c-1", EventKind.CONVERSATION_ENDED, T0 + 300_000)
                        .sourceType("statusChange").state("completed").build())));
        s.add(new Sample("A other", """
                {"timestamp":"2026-11-22T10:05:01.000Z","data":{"x":1},"type":"recordingReady","conversationId":"c-1"}""",
                List.of(TimelineEvent.builder("c-1", EventKind.OTHER, T0 + 301_000).sourceType("recordingReady").build())));
        return s;
    }

    static String shapeBBatch() {
        return """
                {"events":[
                  {"id":"e-1","timestamp":"2026-11-22T10:00:00.120Z","type":"interaction-participant-joined","sequence":17,
                   "data":{"interactionId":"i-1","participantId":"p-1","role":"customer"}},
                  {"id":"e-2","timestamp":"2026-11-22T10:00:00.450Z","type":"interaction-media-channel-added","sequence":18,
                   "data":{"interactionId":"i-1","participantId":"p-1","channelId":"ch-1","media":"voice","nested":{"a":1}}},
                  {"id":"e-3","timestamp":"2026-11-22T10:00:01.000Z","type":"interaction-updated","sequence":19,
                   "data":{"interactionId":"i-1","subject":"Bestellung #42","priority":2}},
                  {"id":"e-4","timestamp":"2026-11-22T10:02:00.000Z","type":"interaction-media-channel-removed","sequence":20,
                   "data":{"interactionId":"i-1","participantId":"p-1","channelId":"ch-1"}},
                  {"id":"e-5","timestamp":"2026-11-22T10:02:00.001Z","type":"interaction-participant-left","sequence":21,
                   "data":{"interactionId":"i-1","participantId":"p-1"}},
                  {"id":"e-6","timestamp":"2026-11-22T10:02:01.000Z","type":"interaction-note-added",
                   "data":{"interactionId":"i-1","note":"done"}}
                ]}""";
    }

    static List<TimelineEvent> shapeBEvents() {
        return List.of(
                TimelineEvent.builder("i-1", EventKind.PARTICIPANT_JOINED, T0 + 120).eventId(EventIds.ofSourceId("e-1"))
                        .sourceType("interaction-participant-joined").sequence(17).participantId("p-1")
                        .attribute("role", "customer").build(),
                TimelineEvent.builder("i-1", EventKind.SESSION_STARTED, T0 + 450).eventId(EventIds.ofSourceId("e-2"))
                        .sourceType("interaction-media-channel-added").sequence(18).participantId("p-1")
                        .sessionId("ch-1").attribute("media", "voice").build(),
                TimelineEvent.builder("i-1", EventKind.ATTRIBUTES, T0 + 1000).eventId(EventIds.ofSourceId("e-3"))
                        .sourceType("interaction-updated").sequence(19).attribute("subject", "Bestellung #42")
                        .attribute("priority", "2").build(),
                TimelineEvent.builder("i-1", EventKind.SESSION_ENDED, T0 + 120_000).eventId(EventIds.ofSourceId("e-4"))
                        .sourceType("interaction-media-channel-removed").sequence(20).participantId("p-1")
                        .sessionId("ch-1").build(),
                TimelineEvent.builder("i-1", EventKind.PARTICIPANT_LEFT, T0 + 120_001).eventId(EventIds.ofSourceId("e-5"))
                        .sourceType("interaction-participant-left").sequence(21).participantId("p-1").build(),
                TimelineEvent.builder("i-1", EventKind.OTHER, T0 + 121_000).eventId(EventIds.ofSourceId("e-6"))
                        .sourceType("interaction-note-added").attribute("note", "done").build());
    }

    static final String HEARTBEAT = "{\"topicName\":\"channel.metadata\",\"eventBody\":{\"message\":\"WebSocket Heartbeat\"}}";
    static final String PONG = "{\"topicName\":\"channel.metadata\",\"eventBody\":{\"message\":\"pong\"}}";
    static final String SOCKET_CLOSING = "{\"topicName\":\"v2.system.socket_closing\",\"version\":\"2\","
            + "\"eventBody\":{\"message\":\"The socket will be closed\"},\"metadata\":{\"CorrelationId\":\"x\"}}";
    static final String NO_LONGER_SUBSCRIBED = "{\"topicName\":\"v2.system.no_longer_subscribed." + CHANNEL
            + "\",\"eventBody\":{}}";
    static final String TOKEN_REVOKED = "{\"topicName\":\"v2.system.token_revoked." + CHANNEL + "\",\"eventBody\":{}}";

    /** Every stateless sample (each decodes the same from a fresh decoder or a used one). */
    static List<Sample> stateless() {
        List<Sample> all = new ArrayList<>(detailEvents());
        all.add(new Sample("transcription", transcription(), transcriptionEvents()));
        all.add(new Sample("eventbridge", eventBridge(), detailEvents().get(0).expected()));
        all.addAll(shapeA());
        all.add(new Sample("shape B", shapeBBatch(), shapeBEvents()));
        all.add(new Sample("heartbeat", HEARTBEAT, List.of()));
        all.add(new Sample("pong", PONG, List.of()));
        all.add(new Sample("socket_closing", SOCKET_CLOSING, List.of()));
        all.add(new Sample("no_longer_subscribed", NO_LONGER_SUBSCRIBED, List.of()));
        all.add(new Sample("token_revoked", TOKEN_REVOKED, List.of()));
        return all;
    }

    /** Snapshot samples, each decoded by a fresh decoder (snapshots are stateful). */
    static List<Sample> snapshotsFresh() {
        return List.of(
                new Sample("queue snapshot", envelope(QUEUE_TOPIC, snapshotBody1()), snapshot1Events()),
                new Sample("user snapshot", envelope(USER_TOPIC + ".calls", snapshotBody1()), snapshot1Events()));
    }
}
