package dev.gctimeline.testkit.scenario.internal;

import dev.gctimeline.core.Timeline;
import dev.gctimeline.core.TimelineEvent;
import dev.gctimeline.testkit.Notification;
import dev.gctimeline.testkit.scenario.internal.ConvModel.Part;
import dev.gctimeline.testkit.scenario.internal.ConvModel.Utterance;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * Renders a played scenario: the WebSocket notifications with the events each carries, the ground
 * truth and analytics JSON (eagerly, {@link #run}); EventBridge records and the two seed shapes (on
 * demand). Every list is in send order: by send time, then conversation start order, then the
 * conversation's own order (a stable merge, so nothing depends on hash order or the wall clock).
 */
public final class ScenarioEngine {
    private static final String AWS_ACCOUNT = "123456789012";

    /**
     * Each rendering draws from its own stream of the conversation's render seed, so renderings can be
     * made in any order, or lazily, and still come out the same.
     */
    private static final long DETAIL_STREAM = 1;
    private static final long SNAPSHOT_STREAM = 2;
    private static final long EVENTBRIDGE_STREAM = 3;
    private static final long SHAPE_A_STREAM = 4;
    private static final long SHAPE_B_STREAM = 5;

    /** One conversation's results. */
    public record ConversationOutput(ConvModel model, Timeline truth, String analyticsJson, List<String> topics) {
    }

    /** The played conversations and their WebSocket traffic. */
    public record Output(List<ConvModel> models, List<ConversationOutput> conversations,
                         List<Notification> notifications) {
    }

    private record Pending(long sendAt, int conversation, int order, Notification notification) {
    }

    private static final Comparator<Pending> SEND_ORDER = Comparator.comparingLong(Pending::sendAt)
            .thenComparingInt(Pending::conversation).thenComparingInt(Pending::order);

    private ScenarioEngine() {
    }

    private static SplittableRandom stream(ConvModel c, long which) {
        return new SplittableRandom(c.renderSeed + which * 0x9E37_79B9_7F4A_7C15L);
    }

    /** Conversations per parallel task: big enough to amortise a generator, small enough to balance. */
    private static final int CHUNK = 32;

    /**
     * Plays the scenario and renders its WebSocket traffic, ground truth and analytics. Conversations
     * render independently (each from its own random streams), in parallel chunks; the merge sorts by
     * a total order, so the result is the same on one core or many.
     */
    public static Output run(ScenarioSpec spec) {
        List<ConvModel> models = new ConversationGenerator(spec).generate();
        int n = models.size();
        ConversationOutput[] outputs = new ConversationOutput[n];
        Object[] pending = new Object[n];
        IntStream.range(0, (n + CHUNK - 1) / CHUNK).parallel().forEach(chunk -> {
            WireJson json = new WireJson();
            for (int i = chunk * CHUNK, end = Math.min(n, i + CHUNK); i < end; i++) {
                List<Pending> ws = new ArrayList<>(48);
                outputs[i] = render(spec, json, models.get(i), ws);
                pending[i] = ws;
            }
        });
        List<Pending> ws = new ArrayList<>(n * 40);
        for (Object p : pending) {
            for (Object o : (List<?>) p) {
                ws.add((Pending) o);
            }
        }
        ws.sort(SEND_ORDER);
        return new Output(List.copyOf(models), List.of(outputs), unwrap(ws));
    }

    private static List<Notification> unwrap(List<Pending> pending) {
        List<Notification> out = new ArrayList<>(pending.size());
        for (Pending p : pending) {
            out.add(p.notification());
        }
        return List.copyOf(out);
    }

    /** A detail event as published: its topic, rendered body, send time and correlation id. */
    private record Published(ConversationRenderer.Detail detail, String topic, String body, long sendAt,
                             String correlationId) {
    }

    private static List<Published> publishedDetails(WireJson json, ConvModel c) {
        SplittableRandom r = stream(c, DETAIL_STREAM);
        List<ConversationRenderer.Detail> details = ConversationRenderer.detailEvents(c);
        List<Published> out = new ArrayList<>(details.size());
        for (ConversationRenderer.Detail d : details) {
            String topic = TruthEvents.DETAIL_TOPIC_PREFIX + c.id + "." + d.suffix();
            String correlation = Ids.uuid(r);
            long sendAt = d.time() + 80 + r.nextInt(520);
            out.add(new Published(d, topic, json.write(d.body()), sendAt, correlation));
        }
        return out;
    }

    private static ConversationOutput render(ScenarioSpec spec, WireJson json, ConvModel c, List<Pending> ws) {
        List<TimelineEvent> truth = new ArrayList<>(96);
        LinkedHashSet<String> topics = new LinkedHashSet<>();
        int order = 0;

        // Detail events, each on its own topic.
        for (Published p : publishedDetails(json, c)) {
            List<TimelineEvent> carries = List.of(TruthEvents.detail(c.id, p.detail().suffix(), p.detail().body()));
            truth.addAll(carries);
            topics.add(p.topic());
            ws.add(new Pending(p.sendAt(), c.index, order++, new Notification(p.sendAt(), p.topic(), c.id,
                    json.envelope(p.topic(), p.body(), p.correlationId()), carries)));
        }

        // Snapshots: one state per change instant, on the queue topic and the user topic of every
        // agent still in the conversation (or in its after-call work).
        SplittableRandom r = stream(c, SNAPSHOT_STREAM);
        TruthEvents.SnapshotDiffer differ = new TruthEvents.SnapshotDiffer();
        long[] instants = ConversationRenderer.snapshotInstants(c);
        long[] sendAts = new long[instants.length];
        long previousSend = Long.MIN_VALUE;
        for (int k = 0; k < instants.length; k++) {
            sendAts[k] = Math.max(previousSend, instants[k] + 30 + r.nextInt(220));
            previousSend = sendAts[k];
        }
        String queueTopic = "v2.routing.queues." + c.queueId + ".conversations";
        topics.add(queueTopic);
        for (int k = 0; k < instants.length; k++) {
            long t = instants[k];
            WireObject snapshot = ConversationRenderer.snapshot(c, t);
            List<TimelineEvent> carries = List.copyOf(differ.apply(snapshot));
            truth.addAll(carries);
            String body = json.write(snapshot);
            String correlation = Ids.uuid(r);
            List<String> stateTopics = new ArrayList<>(4);
            stateTopics.add(queueTopic);
            for (Part p : c.parts) {
                if (p.isAgent() && p.joinTime() <= t && (p.endTime() >= t || p.acwEnd >= t)) {
                    stateTopics.add("v2.users." + p.userId + ".conversations");
                }
            }
            for (String topic : stateTopics) {
                topics.add(topic);
                ws.add(new Pending(sendAts[k], c.index, order++, new Notification(sendAts[k], topic, c.id,
                        json.envelope(topic, body, correlation), carries)));
            }
            // An unchanged repeat, never later than the next state (a stale repeat could undo a change).
            if (r.nextDouble() < spec.snapshotRepeatRate()) {
                long repeatAt = sendAts[k] + 50 + r.nextInt(2_950);
                if (k + 1 == instants.length || repeatAt < sendAts[k + 1]) {
                    String topic = stateTopics.get(r.nextInt(stateTopics.size()));
                    ws.add(new Pending(repeatAt, c.index, order++, new Notification(repeatAt, topic, c.id,
                            json.envelope(topic, body, Ids.uuid(r)), carries)));
                }
            }
        }

        // Transcription: interim and final utterances per agent session.
        String transcriptionTopic = "v2.conversations." + c.id + ".transcription";
        for (TranscriptMessage m : transcriptMessages(c, r)) {
            WireObject body = ConversationRenderer.transcription(c, m.on.session, m.sendAt, spec.organizationId(),
                    m.transcripts);
            List<TimelineEvent> carries = List.copyOf(TruthEvents.transcription(c.id, body));
            truth.addAll(carries);
            topics.add(transcriptionTopic);
            ws.add(new Pending(m.sendAt, c.index, order++, new Notification(m.sendAt, transcriptionTopic, c.id,
                    json.envelope(transcriptionTopic, json.write(body), Ids.uuid(r)), carries)));
        }

        String analytics = json.write(ConversationRenderer.analytics(c));
        return new ConversationOutput(c, Timeline.of(c.id, truth), analytics, List.copyOf(topics));
    }

    /** Every detail event as an EventBridge record, in publication order. */
    public static List<Notification> eventBridge(ScenarioSpec spec, List<ConvModel> models) {
        WireJson json = new WireJson();
        List<Pending> eb = new ArrayList<>(models.size() * 20);
        for (ConvModel c : models) {
            SplittableRandom ids = stream(c, EVENTBRIDGE_STREAM);
            int order = 0;
            for (Published p : publishedDetails(json, c)) {
                List<TimelineEvent> carries = List.of(TruthEvents.detail(c.id, p.detail().suffix(), p.detail().body()));
                eb.add(new Pending(p.sendAt(), c.index, order++, new Notification(p.sendAt(), p.topic(), c.id,
                        json.eventBridge(Ids.uuid(ids), p.topic(), p.detail().suffix(), spec.organizationId(),
                                AWS_ACCOUNT, p.sendAt(), p.body(), p.correlationId()), carries)));
            }
        }
        eb.sort(SEND_ORDER);
        return unwrap(eb);
    }

    /** Seed shape A: one document per notification, in send order. */
    public static List<Notification> shapeA(List<ConvModel> models) {
        WireJson json = new WireJson();
        List<Pending> out = new ArrayList<>(models.size() * 20);
        for (ConvModel c : models) {
            SplittableRandom r = stream(c, SHAPE_A_STREAM);
            long last = Long.MIN_VALUE;
            int order = 0;
            for (ConversationRenderer.Timed doc : ConversationRenderer.shapeA(c)) {
                last = Math.max(last, doc.time() + 20 + r.nextInt(280));
                out.add(new Pending(last, c.index, order++, new Notification(last, null, c.id,
                        json.write(doc.body()), List.of(TruthEvents.shapeA(doc.body())))));
            }
        }
        out.sort(SEND_ORDER);
        return unwrap(out);
    }

    /** Seed shape B: each conversation's events in batches of one to three, numbered in global send order. */
    public static List<Notification> shapeB(List<ConvModel> models) {
        List<ShapeBBatch> batches = new ArrayList<>(models.size() * 10);
        for (ConvModel c : models) {
            SplittableRandom r = stream(c, SHAPE_B_STREAM);
            List<ConversationRenderer.Timed> events = ConversationRenderer.shapeB(c, () -> Ids.uuid(r));
            long last = Long.MIN_VALUE;
            int order = 0;
            for (int i = 0; i < events.size(); ) {
                int n = Math.min(events.size() - i, 1 + r.nextInt(3));
                List<ConversationRenderer.Timed> batch = events.subList(i, i + n);
                last = Math.max(last, batch.get(n - 1).time() + 20 + r.nextInt(280));
                batches.add(new ShapeBBatch(last, c.index, order++, c.id, batch));
                i += n;
            }
        }
        batches.sort(Comparator.comparingLong(ShapeBBatch::sendAt).thenComparingInt(ShapeBBatch::conversation)
                .thenComparingInt(ShapeBBatch::order));
        return numberShapeB(new WireJson(), batches);
    }

    private record ShapeBBatch(long sendAt, int conversation, int order, String conversationId,
                               List<ConversationRenderer.Timed> events) {
    }

    /** Numbers shape-B events in global send order (one sender: sequence strictly increasing) and renders the batches. */
    private static List<Notification> numberShapeB(WireJson json, List<ShapeBBatch> batches) {
        List<Notification> out = new ArrayList<>(batches.size());
        long sequence = 1;
        for (ShapeBBatch b : batches) {
            List<Object> events = new ArrayList<>(b.events().size());
            List<TimelineEvent> carries = new ArrayList<>(b.events().size());
            for (ConversationRenderer.Timed e : b.events()) {
                WireObject src = e.body();
                WireObject ev = new WireObject().put("id", src.get("id")).put("timestamp", src.get("timestamp"))
                        .put("type", src.get("type")).put("sequence", sequence++).put("data", src.get("data"));
                events.add(ev);
                carries.add(TruthEvents.shapeB(ev));
            }
            out.add(new Notification(b.sendAt(), null, b.conversationId(),
                    json.write(new WireObject().put("events", events)), carries));
        }
        return List.copyOf(out);
    }

    private static final class TranscriptMessage {
        final Part on;
        final long sendAt;
        final List<Object> transcripts;

        TranscriptMessage(Part on, long sendAt, List<Object> transcripts) {
            this.on = on;
            this.sendAt = sendAt;
            this.transcripts = transcripts;
        }
    }

    /**
     * Interim versions while an utterance is spoken, the final one just after it ends; now and then
     * a final shares a message with whatever the same session sends next (Genesys batches
     * {@code transcripts[]}).
     */
    private static List<TranscriptMessage> transcriptMessages(ConvModel c, SplittableRandom r) {
        Map<Part, List<TranscriptMessage>> bySession = new HashMap<>();
        List<Part> sessions = new ArrayList<>(3);
        for (Utterance u : c.utterances) {
            List<TranscriptMessage> list = bySession.get(u.on());
            if (list == null) {
                list = new ArrayList<>();
                bySession.put(u.on(), list);
                sessions.add(u.on());
            }
            for (int i = 0; i <= u.interims(); i++) {
                long sendAt = i < u.interims()
                        ? u.start() + u.durationMs() * (i + 1) / (u.interims() + 1)
                        : u.start() + u.durationMs() + 100 + r.nextInt(500);
                List<Object> one = new ArrayList<>(2);
                one.add(ConversationRenderer.transcript(c, u, i));
                list.add(new TranscriptMessage(u.on(), sendAt, one));
            }
        }
        List<TranscriptMessage> out = new ArrayList<>();
        for (Part p : sessions) {
            List<TranscriptMessage> list = bySession.get(p);
            for (int i = 0; i < list.size(); i++) {
                TranscriptMessage m = list.get(i);
                WireObject first = (WireObject) m.transcripts.get(0);
                if (Boolean.TRUE.equals(first.get("isFinal")) && i + 1 < list.size() && r.nextInt(10) < 3) {
                    TranscriptMessage next = list.get(++i);
                    List<Object> both = new ArrayList<>(m.transcripts);
                    both.addAll(next.transcripts);
                    out.add(new TranscriptMessage(p, next.sendAt, both));
                } else {
                    out.add(m);
                }
            }
        }
        return out;
    }
}
