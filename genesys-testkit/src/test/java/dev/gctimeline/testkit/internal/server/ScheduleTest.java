package dev.gctimeline.testkit.internal.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gctimeline.testkit.Delivery;
import dev.gctimeline.testkit.Faults;
import dev.gctimeline.testkit.Notification;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ScheduleTest {

    private static List<Notification> list(int n, long start, long step) {
        List<Notification> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(new Notification(start + i * step, "v2.t." + i, "c", "{}", List.of()));
        }
        return out;
    }

    private static String key(Schedule.Slot s) {
        return s.route() + Arrays.toString(s.indices()) + (s.duplicate() ? "d" : "");
    }

    @Test
    void withoutFaultsTheRoutesMergeBySendTimeStably() {
        List<Notification> channel = list(3, 0, 10);   // 0, 10, 20
        List<Notification> a = list(2, 10, 5);          // 10, 15
        List<Notification> b = list(1, 0, 1);           // 0
        Schedule.Built built = Schedule.build(channel, a, b, Faults.none());
        List<String> keys = new ArrayList<>();
        built.slots().forEach(s -> keys.add(key(s)));
        assertEquals(List.of("CHANNEL[0]", "STREAMING_EVENTS[0]", "CHANNEL[1]", "ANALYTICS_STREAM[0]",
                "ANALYTICS_STREAM[1]", "CHANNEL[2]"), keys);
        long last = Long.MIN_VALUE;
        for (Schedule.Slot s : built.slots()) {
            assertTrue(s.paceAtMillis() >= last, "pace never runs backwards");
            last = s.paceAtMillis();
        }
    }

    @Test
    void duplicatesAndReorderingStayWithinTheWindowAndKeepEveryItem() {
        int n = 2000;
        int window = 5;
        Faults faults = Faults.builder().seed(3).duplicate(0.2).reorder(0.3, window).build();
        Schedule.Built built = Schedule.build(list(n, 0, 1), List.of(), List.of(), faults);
        Map<Integer, Integer> originals = new HashMap<>();
        Map<Integer, Integer> copies = new HashMap<>();
        List<Schedule.Slot> slots = built.slots();
        for (int pos = 0; pos < slots.size(); pos++) {
            Schedule.Slot s = slots.get(pos);
            int idx = s.indices()[0];
            (s.duplicate() ? copies : originals).merge(idx, 1, Integer::sum);
            // an item is never sent before its turn, and held back at most `window` (plus the
            // duplicates and held items emitted ahead of it)
            assertTrue(pos >= idx - 2 * window, "slot " + pos + " holds " + idx);
        }
        assertEquals(n, originals.size());
        originals.values().forEach(c -> assertEquals(1, c));
        assertEquals(built.duplicates(), copies.size());
        assertEquals(n + built.duplicates(), slots.size());
        assertTrue(built.reordered() > n / 5 && built.reordered() < n / 2, "about 30% held: " + built.reordered());
        // the same seed, the same schedule; another seed, another
        assertEquals(keys(slots), keys(Schedule.build(list(n, 0, 1), List.of(), List.of(), faults).slots()));
        Faults other = Faults.builder().seed(4).duplicate(0.2).reorder(0.3, window).build();
        assertNotEquals(keys(slots), keys(Schedule.build(list(n, 0, 1), List.of(), List.of(), other).slots()));
    }

    private static List<String> keys(List<Schedule.Slot> slots) {
        List<String> out = new ArrayList<>();
        slots.forEach(s -> out.add(key(s)));
        return out;
    }

    @Test
    void batchingJoinsOnlyConsecutiveSeedDocumentsOfOneRoute() {
        Faults faults = Faults.builder().seed(1).documentBatch(1.0).build();
        Schedule.Built built = Schedule.build(list(10, 0, 1), list(10, 0, 1), List.of(), faults);
        int docs = 0;
        for (Schedule.Slot s : built.slots()) {
            if (s.route() == Delivery.Route.CHANNEL) {
                assertEquals(1, s.indices().length, "envelopes are never batched");
            } else {
                assertTrue(s.indices().length <= 3);
                for (int i = 1; i < s.indices().length; i++) {
                    assertEquals(s.indices()[i - 1] + 1, s.indices()[i], "consecutive documents, in order");
                }
            }
            docs += s.indices().length;
        }
        assertEquals(20, docs, "every document once");
    }

    @Test
    void tokenExpiryIsMarkedOnSlots() {
        Faults faults = Faults.builder().seed(2).tokenExpiry(1.0).build();
        Schedule.build(list(5, 0, 1), List.of(), List.of(), faults).slots()
                .forEach(s -> assertTrue(s.expireTokens()));
    }
}
