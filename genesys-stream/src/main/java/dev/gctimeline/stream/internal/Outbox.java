package dev.gctimeline.stream.internal;

import dev.gctimeline.core.TimelineEvent;
import java.util.ArrayDeque;

/**
 * Decoded events not yet taken by the sink, in decode order. Holds at most one document's events
 * beyond what the sink took, because decoding pauses as soon as the sink refuses one. A document
 * that turns out to be bad after emitting some events is rolled back to its mark.
 */
final class Outbox {
    private final ArrayDeque<TimelineEvent> pending = new ArrayDeque<>();

    void emit(TimelineEvent e) {
        pending.addLast(e);
    }

    int mark() {
        return pending.size();
    }

    void rollback(int mark) {
        while (pending.size() > mark) {
            pending.pollLast();
        }
    }

    int size() {
        return pending.size();
    }

    boolean isEmpty() {
        return pending.isEmpty();
    }

    TimelineEvent peek() {
        return pending.peekFirst();
    }

    void remove() {
        pending.pollFirst();
    }
}
