package dev.gctimeline.core;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;

/**
 * A conversation's events in canonical order ({@link TimelineEvent#CANONICAL_ORDER}), at most one
 * event per event id. Immutable; two timelines built from the same events in any arrival order, with
 * any duplicates, are equal.
 *
 * <pre>{@code Timeline t = Timeline.of("c-1", eventsInAnyOrder); t.events().forEach(System.out::println);}</pre>
 *
 * @param conversationId the conversation
 * @param events         the events, canonical order, unmodifiable
 */
public record Timeline(String conversationId, List<TimelineEvent> events) {

    public Timeline {
        if (conversationId == null || conversationId.isEmpty()) {
            throw new IllegalArgumentException("conversationId must be non-empty");
        }
        events = List.copyOf(events);
        for (int i = 0; i < events.size(); i++) {
            TimelineEvent e = events.get(i);
            if (!e.conversationId().equals(conversationId)) {
                throw new IllegalArgumentException("event of conversation " + e.conversationId()
                        + " in the timeline of " + conversationId);
            }
            if (i > 0 && TimelineEvent.CANONICAL_ORDER.compare(events.get(i - 1), e) >= 0) {
                throw new IllegalArgumentException("events not in canonical order or repeated at index " + i
                        + "; use Timeline.of to sort and deduplicate");
            }
        }
    }

    /**
     * The timeline of {@code events} (any order, duplicates allowed): sorted canonically, and of
     * several events with one id only the first in canonical order is kept.
     */
    public static Timeline of(String conversationId, Collection<TimelineEvent> events) {
        List<TimelineEvent> sorted = new ArrayList<>(events);
        sorted.sort(TimelineEvent.CANONICAL_ORDER);
        List<TimelineEvent> unique = new ArrayList<>(sorted.size());
        for (TimelineEvent e : sorted) {
            if (unique.isEmpty() || TimelineEvent.CANONICAL_ORDER.compare(unique.get(unique.size() - 1), e) != 0) {
                unique.add(e);
            }
        }
        return new Timeline(conversationId, Collections.unmodifiableList(unique));
    }

    /** An empty timeline (a conversation the store does not know). */
    public static Timeline empty(String conversationId) {
        return new Timeline(conversationId, List.of());
    }

    public boolean isEmpty() {
        return events.isEmpty();
    }

    public int size() {
        return events.size();
    }
}
