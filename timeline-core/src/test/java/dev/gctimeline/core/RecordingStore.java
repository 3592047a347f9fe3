package dev.gctimeline.core;

import dev.gctimeline.core.internal.MemoryTimelineStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * A real {@link TimelineStore} for tests: a {@link MemoryTimelineStore} underneath, a log of every
 * call that succeeded (so a test can tell "stored once" from "written twice and deduplicated"), and
 * a hook run before every call that may sleep, block or throw to play a slow or failing store.
 */
final class RecordingStore implements TimelineStore {
    final MemoryTimelineStore memory = new MemoryTimelineStore();
    /** Every successful append, in order. */
    final List<List<TimelineEvent>> appended = new CopyOnWriteArrayList<>();
    /** Every call that succeeded, "append:n" or "completed:id", in order. */
    final List<String> calls = new CopyOnWriteArrayList<>();
    /** Every successful call in order: a List of events for append, a ConversationState for completed. */
    final List<Object> ops = new CopyOnWriteArrayList<>();
    final AtomicInteger attempts = new AtomicInteger();
    volatile Consumer<String> beforeCall = what -> { };

    @Override
    public void append(List<TimelineEvent> events) {
        attempts.incrementAndGet();
        beforeCall.accept("append");
        List<TimelineEvent> copy = List.copyOf(events);
        memory.append(copy);
        appended.add(copy);
        ops.add(copy);
        calls.add("append:" + copy.size());
    }

    @Override
    public void completed(ConversationState state) {
        attempts.incrementAndGet();
        beforeCall.accept("completed");
        memory.completed(state);
        ops.add(state);
        calls.add("completed:" + state.conversationId());
    }

    @Override
    public Timeline timeline(String conversationId) {
        return memory.timeline(conversationId);
    }

    @Override
    public List<ConversationSummary> conversations(long fromMillis, long toMillis, int limit) {
        return memory.conversations(fromMillis, toMillis, limit);
    }

    @Override
    public void close() {
        memory.close();
    }

    /** Ids of every event in a successful append, with repeats. */
    List<Long> appendedIds() {
        List<Long> ids = new ArrayList<>();
        for (List<TimelineEvent> batch : appended) {
            for (TimelineEvent e : batch) {
                ids.add(e.eventId());
            }
        }
        return Collections.unmodifiableList(ids);
    }

    static StoreException retryable(String message) {
        return StoreException.retryable(message, null, null);
    }

    static StoreException retryable(String message, Duration retryAfter) {
        return StoreException.retryable(message, retryAfter, null);
    }

    /**
     * Blocks the calling store call until {@code condition} holds (checked every millisecond), at
     * most 30 s; after that it returns and the test's own assertion reports what was not reached.
     */
    static void holdUntil(BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean() && System.nanoTime() - deadline < 0) {
            sleep(1);
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
