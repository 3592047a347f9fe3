package dev.gctimeline.examples;

import dev.gctimeline.core.EventKind;
import dev.gctimeline.core.Timeline;
import dev.gctimeline.core.TimelineEvent;
import java.util.List;

/**
 * The runnable entry point of {@code bin/run}. Until the timeline app lands, it shows the core
 * promise on a tiny conversation: events given out of order, with a duplicate, come back as one
 * canonical timeline.
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        long t0 = 1_732_240_000_000L;
        TimelineEvent join = TimelineEvent.builder("c-1", EventKind.PARTICIPANT_JOINED, t0)
                .participantId("p-1").purpose("customer").build();
        TimelineEvent start = TimelineEvent.builder("c-1", EventKind.SESSION_STARTED, t0)
                .participantId("p-1").sessionId("s-1").mediaType("VOICE").build();
        TimelineEvent end = TimelineEvent.builder("c-1", EventKind.SESSION_ENDED, t0 + 60_000)
                .participantId("p-1").sessionId("s-1").build();
        Timeline timeline = Timeline.of("c-1", List.of(end, start, join, end));
        timeline.events().forEach(System.out::println);
    }
}
