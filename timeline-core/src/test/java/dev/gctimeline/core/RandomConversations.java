package dev.gctimeline.core;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Random but realistic conversations for property tests: deterministic from the generator's seed. */
final class RandomConversations {
    private static final String[] STATES = {"alerting", "connected", "held", "connected", "disconnected"};
    private static final String[] MEDIA = {"VOICE", "CHAT", "MESSAGE", "CALLBACK", "EMAIL"};
    private static final String[] PURPOSES = {"customer", "ivr", "acd", "agent", "agent", "external"};

    private RandomConversations() {
    }

    /** Events of one conversation in event-time order (distinct ids; some share a millisecond). */
    static List<TimelineEvent> conversation(String id, SplittableRandom rnd, long start) {
        List<TimelineEvent> out = new ArrayList<>();
        long t = start;
        int participants = 1 + rnd.nextInt(5);
        if (rnd.nextInt(4) == 0) {
            out.add(TimelineEvent.builder(id, EventKind.CONVERSATION_STARTED, t).build());
        }
        for (int p = 0; p < participants; p++) {
            String pid = id + "-p" + p;
            String purpose = PURPOSES[rnd.nextInt(PURPOSES.length)];
            t += rnd.nextInt(3); // sometimes the same millisecond as the previous event
            out.add(TimelineEvent.builder(id, EventKind.PARTICIPANT_JOINED, t).participantId(pid).purpose(purpose)
                    .userId(purpose.equals("agent") ? "u-" + rnd.nextInt(50) : null)
                    .queueId(rnd.nextBoolean() ? "q-" + rnd.nextInt(5) : null)
                    .attribute("name", rnd.nextBoolean() ? "Näme ✓ " + p : null).build());
            int sessions = 1 + rnd.nextInt(2);
            for (int s = 0; s < sessions; s++) {
                String sid = pid + "-s" + s;
                t += rnd.nextInt(2);
                out.add(TimelineEvent.builder(id, EventKind.SESSION_STARTED, t).participantId(pid).sessionId(sid)
                        .mediaType(MEDIA[rnd.nextInt(MEDIA.length)]).direction(rnd.nextBoolean() ? "INBOUND" : "OUTBOUND")
                        .build());
                int states = rnd.nextInt(STATES.length);
                for (int k = 0; k < states; k++) {
                    t += rnd.nextInt(1000);
                    out.add(TimelineEvent.builder(id, EventKind.SESSION_STATE, t).participantId(pid).sessionId(sid)
                            .state(STATES[k]).build());
                }
                int transcripts = rnd.nextInt(3);
                for (int k = 0; k < transcripts; k++) {
                    t += rnd.nextInt(500);
                    out.add(TimelineEvent.builder(id, EventKind.TRANSCRIPT, t).sessionId(sid).participantId(pid)
                            .attribute("utteranceId", sid + "-u" + k).attribute("channel", "EXTERNAL")
                            .attribute("text", "hello 世界 " + k).attribute("confidence", "0.9" + k).build());
                }
                if (rnd.nextInt(3) == 0) {
                    out.add(TimelineEvent.builder(id, EventKind.ATTRIBUTES, t).participantId(pid)
                            .attribute("k" + rnd.nextInt(3), "v" + rnd.nextInt(100)).build());
                }
                t += rnd.nextInt(1000);
                out.add(TimelineEvent.builder(id, EventKind.SESSION_ENDED, t).participantId(pid).sessionId(sid)
                        .attribute("disconnectType", rnd.nextBoolean() ? "client" : "endpoint").build());
            }
            if (purpose.equals("agent")) {
                t += rnd.nextInt(100);
                out.add(TimelineEvent.builder(id, EventKind.WRAPUP, t).participantId(pid).sourceType("acw")
                        .attribute("wrapupCode", "code-" + rnd.nextInt(4)).build());
                t += rnd.nextInt(100);
                out.add(TimelineEvent.builder(id, EventKind.WRAPUP, t).participantId(pid).sourceType("wrapup")
                        .attribute("wrapupNotes", "notes \"quoted\"").attribute("wrapupDurationMs", "1200").build());
            }
            if (rnd.nextBoolean()) {
                out.add(TimelineEvent.builder(id, EventKind.PARTICIPANT_LEFT, t).participantId(pid).build());
            }
        }
        if (rnd.nextInt(3) == 0) {
            out.add(TimelineEvent.builder(id, EventKind.CONVERSATION_STATUS, t).state("wrapping").build());
        }
        if (rnd.nextBoolean()) {
            out.add(TimelineEvent.builder(id, EventKind.CONVERSATION_ENDED, t + 1).build());
        }
        out.sort(TimelineEvent.CANONICAL_ORDER);
        return out;
    }
}
