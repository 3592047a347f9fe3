package dev.gctimeline.testkit.scenario.internal;

import dev.gctimeline.testkit.scenario.internal.ConvModel.FlowOutcome;
import dev.gctimeline.testkit.scenario.internal.ConvModel.Part;
import dev.gctimeline.testkit.scenario.internal.ConvModel.Session;
import dev.gctimeline.testkit.scenario.internal.ConvModel.Utterance;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Plays the contact centre: customer arrives, IVR, queue, (missed) alerts, answer, hold, blind or
 * consult transfer, attributes, transcripts, hang-up, after-call work. Each conversation draws from
 * its own split of the seed's {@link SplittableRandom}, so conversations are independent of each
 * other's draws and the whole run is a pure function of the spec.
 *
 * <p>Shape choices that keep the ground truth unambiguous under docs/event-mapping.md: at most one
 * hold per agent session (snapshots carry no unhold time); all attributes of a conversation are
 * set at one instant (snapshot ATTRIBUTES ids do not include the entries, so two changes in a
 * participant with no new timestamp in between would share an id); every instant a participant's
 * state changes at is distinct from its previous one.
 */
public final class ConversationGenerator {
    private static final String DIVISION_ID = Ids.named("gctimeline-division-home");

    private final ScenarioSpec spec;
    private final int weightTotal;

    public ConversationGenerator(ScenarioSpec spec) {
        this.spec = spec;
        int total = 0;
        for (int w : spec.mediaWeights()) {
            total += w;
        }
        if (total <= 0) {
            throw new IllegalArgumentException("media mix has no media switched on");
        }
        this.weightTotal = total;
    }

    /** All conversations, in start order. */
    public List<ConvModel> generate() {
        SplittableRandom root = new SplittableRandom(spec.seed());
        SplittableRandom arrivals = root.split();
        List<ConvModel> out = new ArrayList<>(spec.conversations());
        double t = spec.startMillis();
        for (int i = 0; i < spec.conversations(); i++) {
            if (i > 0) {
                // Poisson arrivals: exponential gaps with mean 1/rate seconds.
                t += -Math.log(1.0 - arrivals.nextDouble()) * 1000.0 / spec.arrivalRatePerSecond();
            }
            out.add(conversation(i, (long) t, root.split()));
        }
        return out;
    }

    private Media pickMedia(SplittableRandom r) {
        int x = r.nextInt(weightTotal);
        Media[] all = Media.values();
        for (int i = 0; i < all.length; i++) {
            x -= spec.mediaWeights()[i];
            if (x < 0) {
                return all[i];
            }
        }
        throw new AssertionError();
    }

    private static long between(SplittableRandom r, long lo, long hi) {
        return lo + r.nextLong(hi - lo);
    }

    private static <T> T pick(SplittableRandom r, List<T> list) {
        return list.get(r.nextInt(list.size()));
    }

    private ConvModel conversation(int index, long t0, SplittableRandom r) {
        Media media = pickMedia(r);
        String direction = media == Media.CALLBACK ? "OUTBOUND" : "INBOUND";
        int q = r.nextInt(spec.queueIds().size());
        int language = r.nextInt(Texts.SENTENCES.size());
        ConvModel c = new ConvModel(index, Ids.uuid(r), media, direction, spec.queueIds().get(q),
                Texts.QUEUE_NAMES.get(q % Texts.QUEUE_NAMES.size()), DIVISION_ID, language);
        c.start = t0;
        c.renderSeed = r.nextLong();
        // Names travel in every snapshot: mostly Latin-1 (umlauts are still two UTF-8 bytes), CJK now and then.
        String customerName = r.nextInt(5) == 0 ? pick(r, Texts.CJK_CUSTOMER_NAMES) : pick(r, Texts.CUSTOMER_NAMES);
        String phone = "tel:+49" + (1_510_000_000L + r.nextInt(90_000_000));
        String service = "tel:+49800" + (1_000_000 + q * 1111);
        switch (media) {
            case VOICE, CALLBACK -> {
                c.ani = phone;
                c.dnis = service;
            }
            case MESSAGE -> {
                c.addressFrom = phone.substring(4);
                c.addressTo = service.substring(4);
            }
            case CHAT -> {
                c.addressFrom = customerName;
                c.addressTo = c.queueName;
            }
        }

        Part customer = part(c, r, "customer", customerName, media);
        customer.session.connected = t0;
        c.customer = customer;

        long t;
        if (media.flowType != null) {
            c.flowId = Ids.named("gctimeline-flow-" + media.name());
            c.flowName = "Inbound " + media.analytics + " - Hauptmenü";
            Part ivr = part(c, r, "ivr", c.flowName, media);
            c.ivr = ivr;
            long flowStart = t0 + between(r, 200, 1500);
            ivr.session.connected = flowStart;
            long flowEnd = flowStart + between(r, 4_000, 40_000);
            int outcomes = r.nextInt(3);
            long slot = (flowEnd - flowStart) / (outcomes + 1);
            for (int k = 0; k < outcomes; k++) {
                String name = Texts.FLOW_OUTCOMES.get(k);
                c.outcomes.add(new FlowOutcome(flowStart + slot * (k + 1), name, Ids.named("gctimeline-outcome-" + name),
                        r.nextInt(5) == 0 ? "FAILURE" : "SUCCESS"));
            }
            ivr.session.disconnected = flowEnd;
            ivr.session.disconnect = Disconnect.TRANSFER;
            t = flowEnd;
        } else {
            t = t0 + between(r, 100, 800);
        }
        if (r.nextInt(10) == 0) {
            c.contactTime = t0 + between(r, 50, 1000);
            c.externalContactId = Ids.uuid(r);
        }

        Part acd = part(c, r, "acd", c.queueName, media);
        acd.queueId = c.queueId;
        acd.session.connected = t;
        c.acd = acd;
        long acdStart = t;

        boolean wantsAttributes = spec.attributes() && r.nextInt(10) < 7;
        boolean attributesInIvr = wantsAttributes && c.ivr != null && r.nextBoolean();
        if (attributesInIvr) {
            c.attributesTime = between(r, c.ivr.session.connected + 1, c.ivr.session.disconnected);
        }

        if (r.nextInt(100) < 7) {
            // Abandoned in queue.
            c.abandoned = true;
            long end = t + between(r, 5_000, 120_000);
            acd.session.disconnected = end;
            acd.session.disconnect = Disconnect.PEER;
            customer.session.disconnected = end;
            customer.session.disconnect = Disconnect.ENDPOINT;
            c.callEnd = end;
            if (wantsAttributes && !attributesInIvr) {
                c.attributesTime = between(r, acdStart + 1, end);
            }
            fillAttributes(c, r);
            finish(c);
            return c;
        }

        List<String> agents = spec.agentUserIds();
        int[] chosen = distinctAgents(r, agents.size(), 3);
        int next = 0;
        t += between(r, 1_000, 60_000);
        if (chosen.length >= 2 && r.nextInt(4) == 0) {
            Part missed = agent(c, r, agents, chosen[next++], media);
            missed.queueId = c.queueId;
            missed.session.alert = t;
            boolean declined = r.nextBoolean();
            t += declined ? between(r, 2_000, 8_000) : 15_000;
            missed.session.disconnected = t;
            missed.session.disconnect = declined ? Disconnect.CLIENT : Disconnect.SYSTEM;
            t += between(r, 200, 2_000);
        }
        Part a = agent(c, r, agents, chosen[next++], media);
        a.queueId = c.queueId;
        a.session.alert = t;
        long answer = t + between(r, 1_500, 8_000);
        a.session.connected = answer;
        acd.session.disconnected = answer;
        acd.session.disconnect = Disconnect.TRANSFER;
        c.answeredBy = a;

        int route = r.nextInt(100);
        boolean consult = spec.consultTransfers() && media == Media.VOICE && next < chosen.length && route < 15;
        boolean blind = !consult && spec.blindTransfers() && next < chosen.length && route >= 15 && route < 30;
        Part last;
        long end;
        if (blind) {
            long talk = between(r, 20_000, 180_000);
            maybeHold(r, a.session, answer, answer + talk);
            long transferAt = answer + talk;
            a.session.disconnected = transferAt;
            a.session.disconnect = Disconnect.TRANSFER;
            Part b = agent(c, r, agents, chosen[next++], media);
            b.session.alert = transferAt + between(r, 1, 1_500);
            b.session.connected = b.session.alert + between(r, 1_500, 6_000);
            end = b.session.connected + between(r, 20_000, 300_000);
            maybeHold(r, b.session, b.session.connected, end);
            last = b;
        } else if (consult) {
            long talk = between(r, 20_000, 120_000);
            long holdAt = answer + talk;
            a.session.holdStart = holdAt;
            Part b = agent(c, r, agents, chosen[next++], media);
            b.session.alert = holdAt + between(r, 500, 2_000);
            b.session.connected = b.session.alert + between(r, 1_500, 6_000);
            long complete = b.session.connected + between(r, 10_000, 60_000);
            a.session.disconnected = complete;
            a.session.disconnect = Disconnect.TRANSFER_CONSULT;
            end = complete + between(r, 20_000, 300_000);
            maybeHold(r, b.session, complete, end);
            last = b;
        } else {
            end = answer + between(r, 30_000, 600_000);
            maybeHold(r, a.session, answer, end);
            last = a;
        }
        boolean customerHangsUp = r.nextInt(10) < 7;
        last.session.disconnected = end;
        last.session.disconnect = customerHangsUp ? Disconnect.PEER : Disconnect.CLIENT;
        customer.session.disconnected = end;
        customer.session.disconnect = customerHangsUp ? Disconnect.ENDPOINT : Disconnect.PEER;
        c.callEnd = end;

        for (Part p : c.parts) {
            if (p.isAgent() && p.session.connected >= 0) {
                p.acwStart = p.session.disconnected;
                p.wrapupSeconds = 5 + r.nextInt(86);
                p.acwEnd = p.acwStart + p.wrapupSeconds * 1000L;
                int code = r.nextInt(Texts.WRAPUP_NAMES.size());
                p.wrapupCode = Ids.named("gctimeline-wrapup-" + Texts.WRAPUP_NAMES.get(code));
                String notes = pick(r, Texts.WRAPUP_NOTES);
                p.wrapupNotes = notes.isEmpty() ? null : notes;
                p.wrapupEventTime = p.acwEnd + between(r, 1, 50);
            }
        }
        if (wantsAttributes && !attributesInIvr) {
            c.attributesTime = between(r, answer + 1, end);
        }
        fillAttributes(c, r);
        if (spec.transcripts() && media == Media.VOICE) {
            for (Part p : c.parts) {
                if (p.isAgent() && p.session.connected >= 0) {
                    transcribe(c, p, r);
                }
            }
        }
        c.finalStatus = r.nextInt(5) == 0 ? "ended" : "completed";
        finish(c);
        return c;
    }

    private static int[] distinctAgents(SplittableRandom r, int pool, int wanted) {
        int n = Math.min(pool, wanted);
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            int candidate;
            boolean clash;
            do {
                candidate = r.nextInt(pool);
                clash = false;
                for (int j = 0; j < i; j++) {
                    clash |= out[j] == candidate;
                }
            } while (clash);
            out[i] = candidate;
        }
        return out;
    }

    /** At most one hold per session, strictly inside (from, to), leaving a second either side. */
    private static void maybeHold(SplittableRandom r, Session s, long from, long to) {
        if (s.media != Media.VOICE || to - from < 20_000 || r.nextInt(10) >= 3) {
            return;
        }
        long holdLen = between(r, 5_000, Math.min(60_000, to - from - 10_000));
        s.holdStart = between(r, from + 2_000, to - holdLen - 2_000);
        s.holdEnd = s.holdStart + holdLen;
    }

    private void fillAttributes(ConvModel c, SplittableRandom r) {
        if (c.attributesTime < 0) {
            return;
        }
        // A subset of a fixed key list, always in list order: deterministic, no hash order.
        int mask = 1 + r.nextInt(31);
        if ((mask & 1) != 0) {
            c.attributes.put("Kundennummer", "K-" + (100_000 + r.nextInt(900_000)));
        }
        if ((mask & 2) != 0) {
            c.attributes.put("intent", pick(r, Texts.INTENTS));
        }
        if ((mask & 4) != 0) {
            c.attributes.put("language", Texts.LANGUAGES.get(c.language));
        }
        if ((mask & 8) != 0) {
            c.attributes.put("vip", r.nextBoolean() ? "true" : "false");
        }
        if ((mask & 16) != 0 && r.nextInt(4) == 0) {
            c.attributes.put("Notiz", "Rückruf gewünscht 📞");
        }
    }

    private static Part part(ConvModel c, SplittableRandom r, String purpose, String name, Media media) {
        Part p = new Part(Ids.uuid(r), purpose, name, new ConvModel.Session(Ids.uuid(r), media, c.direction));
        c.parts.add(p);
        return p;
    }

    private static Part agent(ConvModel c, SplittableRandom r, List<String> agents, int which, Media media) {
        String name = Texts.AGENT_NAMES.get(which % Texts.AGENT_NAMES.size());
        if (which >= Texts.AGENT_NAMES.size()) {
            name = name + " " + (which + 1);
        }
        Part p = part(c, r, "agent", name, media);
        p.userId = agents.get(which);
        return p;
    }

    /** Utterances on the agent's session, inside its talking windows (never while held). */
    private static void transcribe(ConvModel c, Part p, SplittableRandom r) {
        Session s = p.session;
        s.transcriptionStart = s.connected + between(r, 50, 800);
        List<String> sentences = Texts.SENTENCES.get(c.language);
        long talkEnd = s.holdStart >= 0 ? s.holdStart : s.disconnected;
        int budget = 4 + r.nextInt(7);
        boolean external = true;
        budget = windowUtterances(c, p, r, sentences, s.transcriptionStart, talkEnd, budget, external);
        if (s.holdEnd >= 0 && budget > 0) {
            windowUtterances(c, p, r, sentences, s.holdEnd, s.disconnected, budget, !external);
        }
    }

    private static int windowUtterances(ConvModel c, Part p, SplittableRandom r, List<String> sentences, long from,
                                        long to, int budget, boolean external) {
        long cursor = from + between(r, 200, 1_500);
        while (budget > 0) {
            long duration = between(r, 1_200, 6_000);
            if (cursor + duration + 200 >= to) {
                break;
            }
            int conf = 51 + r.nextInt(49);
            if (conf % 10 == 0) {
                conf++;
            }
            c.utterances.add(new Utterance(p, Ids.uuid(r), cursor, duration, external, pick(r, sentences),
                    "0." + conf, r.nextInt(3)));
            external = !external;
            budget--;
            cursor += duration + between(r, 300, 2_500);
        }
        return budget;
    }

    private static void finish(ConvModel c) {
        long last = c.callEnd;
        for (Part p : c.parts) {
            last = Math.max(last, Math.max(p.acwEnd, p.wrapupEventTime));
        }
        c.lastTime = last;
    }
}
