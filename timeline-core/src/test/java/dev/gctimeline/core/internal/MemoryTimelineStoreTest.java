package dev.gctimeline.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gctimeline.core.ConversationState;
import dev.gctimeline.core.ConversationSummary;
import dev.gctimeline.core.EventKind;
import dev.gctimeline.core.Timeline;
import dev.gctimeline.core.TimelineEvent;
import dev.gctimeline.core.TimelineStore;
import dev.gctimeline.core.TimelineStores;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class MemoryTimelineStoreTest {

    static TimelineEvent ev(String conversationId, long time, long id) {
        return TimelineEvent.builder(conversationId, EventKind.OTHER, time).eventId(id).build();
    }

    static ConversationState state(String conversationId) {
        return new ConversationState(conversationId, "ended", 0, 10, List.of(), List.of(), List.of(), Map.of(),
                List.of(), 1, 10);
    }

    @Test
    void appendIsIdempotentPerConversationAndEventId() {
        MemoryTimelineStore s = new MemoryTimelineStore();
        s.append(List.of(ev("a", 10, 1), ev("a", 10, 1), ev("a", 20, 2)));
        s.append(List.of(ev("a", 10, 1), ev("b", 10, 1)));
        assertEquals(List.of(ev("a", 10, 1), ev("a", 20, 2)), s.timeline("a").events());
        assertEquals(List.of(ev("b", 10, 1)), s.timeline("b").events(), "same id in another conversation is another event");
    }

    @Test
    void timelineIsCanonicalWhateverTheAppendOrder() {
        List<TimelineEvent> events = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            events.add(TimelineEvent.builder("c", EventKind.values()[i % EventKind.values().length], 1000 + i / 3)
                    .eventId(i * 7919L).build());
        }
        Timeline expected = Timeline.of("c", events);
        for (int seed = 0; seed < 5; seed++) {
            List<TimelineEvent> shuffled = new ArrayList<>(events);
            Collections.shuffle(shuffled, new Random(seed));
            MemoryTimelineStore s = new MemoryTimelineStore();
            for (int i = 0; i < shuffled.size(); i += 17) {
                s.append(shuffled.subList(i, Math.min(i + 17, shuffled.size())));
                s.timeline("c"); // the cache must be invalidated by later appends
            }
            assertEquals(expected, s.timeline("c"));
        }
        assertTrue(new MemoryTimelineStore().timeline("nobody").isEmpty());
    }

    @Test
    void dropsTheLeastRecentlyAppendedConversationAtTheBound() {
        MemoryTimelineStore s = new MemoryTimelineStore(3, 100);
        s.append(List.of(ev("c1", 1, 1)));
        s.append(List.of(ev("c2", 1, 1)));
        s.append(List.of(ev("c3", 1, 1)));
        s.timeline("c1"); // reading is not appending
        s.append(List.of(ev("c1", 2, 2)));
        s.append(List.of(ev("c4", 1, 1)));
        assertEquals(3, s.conversationCount());
        assertEquals(1, s.droppedConversations());
        assertTrue(s.timeline("c2").isEmpty(), "c2 was appended to least recently");
        assertEquals(2, s.timeline("c1").size());
        s.append(List.of(ev("c5", 1, 1)));
        assertTrue(s.timeline("c3").isEmpty());
        assertEquals(2, s.droppedConversations());
    }

    @Test
    void stopsKeepingEventsOfAConversationAtTheBoundAndCountsThem() {
        MemoryTimelineStore s = new MemoryTimelineStore(10, 3);
        s.append(List.of(ev("c", 1, 1), ev("c", 2, 2), ev("c", 3, 3), ev("c", 4, 4), ev("c", 1, 1)));
        assertEquals(3, s.timeline("c").size());
        assertEquals(1, s.droppedEvents(), "a repeat of a stored id is not a drop");
    }

    @Test
    void listsConversationsWithEventsInTheWindowMostRecentFirst() {
        MemoryTimelineStore s = new MemoryTimelineStore();
        s.append(List.of(ev("early", 100, 1), ev("early", 150, 2)));
        s.append(List.of(ev("gap", 50, 1), ev("gap", 500, 2))); // spans the window with no event in it
        s.append(List.of(ev("mid", 200, 1), ev("mid", 290, 2)));
        s.append(List.of(ev("late", 280, 1), ev("late", 900, 2)));
        s.append(List.of(ev("edge", 300, 1))); // `to` is exclusive
        assertEquals(List.of("late", "mid"), ids(s.conversations(200, 300, 10)));
        assertEquals(List.of("late", "gap", "edge", "mid", "early"), ids(s.conversations(0, 1000, 10)));
        assertEquals(List.of("late", "gap"), ids(s.conversations(0, 1000, 2)));
        assertEquals(List.of("early"), ids(s.conversations(150, 151, 10)), "`from` is inclusive");
        assertEquals(List.of(), s.conversations(0, 1000, 0));
        assertEquals(new ConversationSummary("late", 280, 900, 2), s.conversations(200, 300, 1).get(0));
        assertThrows(IllegalArgumentException.class, () -> s.conversations(0, 1, -1));
    }

    private static List<String> ids(List<ConversationSummary> list) {
        return list.stream().map(ConversationSummary::conversationId).toList();
    }

    @Test
    void keepsCompletedStates() {
        MemoryTimelineStore s = new MemoryTimelineStore();
        assertNull(s.completedState("c"));
        s.completed(state("c"));
        assertEquals(state("c"), s.completedState("c"));
    }

    @Test
    void refusesCallsAfterClose() {
        MemoryTimelineStore s = new MemoryTimelineStore();
        s.append(List.of(ev("c", 1, 1)));
        s.close();
        assertThrows(IllegalStateException.class, () -> s.append(List.of(ev("c", 1, 1))));
        assertThrows(IllegalStateException.class, () -> s.timeline("c"));
        assertThrows(IllegalStateException.class, () -> s.conversations(0, 1, 1));
    }

    @Test
    void concurrentAppendersStoreEachEventOnce() throws Exception {
        MemoryTimelineStore s = new MemoryTimelineStore();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            final int offset = t;
            Thread th = new Thread(() -> {
                try {
                    for (int i = 0; i < 5_000; i++) {
                        int k = (i + offset * 1_000) % 5_000; // overlapping ranges
                        s.append(List.of(ev("c" + (k % 10), k, k)));
                        if (i % 500 == 0) {
                            s.conversations(0, Long.MAX_VALUE, 5);
                        }
                    }
                } catch (Throwable e) {
                    failure.set(e);
                }
            });
            threads.add(th);
            th.start();
        }
        for (Thread th : threads) {
            th.join();
        }
        assertNull(failure.get());
        long total = 0;
        for (int c = 0; c < 10; c++) {
            total += s.timeline("c" + c).size();
        }
        assertEquals(5_000, total);
    }

    @Test
    void serviceLoaderFindsTheMemoryStoreByName() {
        assertTrue(TimelineStores.available().contains("memory"), TimelineStores.available().toString());
        try (TimelineStore store = TimelineStores.open("memory", Map.of())) {
            assertSame(MemoryTimelineStore.class, store.getClass());
            store.append(List.of(ev("c", 1, 1)));
            assertEquals(1, store.timeline("c").size());
        }
        try (TimelineStore store = TimelineStores.open("memory", Map.of("maxConversations", "1"))) {
            store.append(List.of(ev("a", 1, 1)));
            store.append(List.of(ev("b", 1, 1)));
            assertTrue(store.timeline("a").isEmpty());
        }
    }

    @Test
    void providerOptionsAreCheckedWithMessagesNamingTheOption() {
        MemoryTimelineStoreProvider p = new MemoryTimelineStoreProvider();
        String typo = assertThrows(IllegalArgumentException.class, () -> p.create(Map.of("maxConversation", "5")))
                .getMessage();
        assertTrue(typo.contains("maxConversation") && typo.contains("maxConversations"), typo);
        String bad = assertThrows(IllegalArgumentException.class, () -> p.create(Map.of("maxEventsPerConversation", "0")))
                .getMessage();
        assertTrue(bad.contains("maxEventsPerConversation"), bad);
        assertThrows(IllegalArgumentException.class, () -> p.create(Map.of("maxConversations", "many")));
        assertThrows(IllegalArgumentException.class, () -> TimelineStores.open("nope", Map.of()));
        assertEquals("memory", p.name());
        try (TimelineStore s = p.create(Map.of("maxConversations", "100_000", "maxEventsPerConversation", " 5 "))) {
            assertTrue(s instanceof MemoryTimelineStore);
        }
    }
}
