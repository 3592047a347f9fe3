package dev.gctimeline.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class DeduplicatorTest {
    private static final Duration HOUR = Duration.ofHours(1);

    @Test
    void secondSightingIsADuplicate() {
        Deduplicator d = new Deduplicator(16, HOUR);
        assertTrue(d.firstSeen(42, 1000));
        assertFalse(d.firstSeen(42, 1000));
        assertFalse(d.firstSeen(42, 1001)); // the id decides, not the time
        assertTrue(d.firstSeen(43, 1000));
        assertTrue(d.firstSeen(0, 1000));
        assertTrue(d.firstSeen(-1, 1000));
        assertFalse(d.firstSeen(0, 1000));
        assertFalse(d.firstSeen(-1, 1000));
        assertEquals(4, d.size());
        assertEquals(16, d.capacity());
    }

    @Test
    void countBoundForgetsTheOldestInsertionFirst() {
        Deduplicator d = new Deduplicator(4, HOUR);
        for (long id = 1; id <= 5; id++) {
            assertTrue(d.firstSeen(id, 1000));
            assertTrue(d.size() <= 4);
        }
        assertEquals(4, d.size());
        for (long id = 2; id <= 5; id++) {
            assertFalse(d.firstSeen(id, 1000), "id " + id + " is among the last 4");
        }
        assertTrue(d.firstSeen(1, 1000), "id 1 was the oldest and made room for 5");
        assertEquals(4, d.size());
    }

    @Test
    void ttlForgetsIdsOlderThanTheNewestEventTimeMinusTtl() {
        Deduplicator d = new Deduplicator(100, Duration.ofMillis(1000));
        assertTrue(d.firstSeen(1, 0));
        assertTrue(d.firstSeen(2, 500));
        assertTrue(d.firstSeen(3, 1001)); // horizon 1: id 1 (t=0) expires
        assertEquals(2, d.size());
        assertTrue(d.firstSeen(1, 0), "id 1 expired");
        assertEquals(2, d.size(), "an event already older than the TTL is not remembered");
        assertFalse(d.firstSeen(2, 500), "id 2 (t=500) is within the TTL");
        assertTrue(d.firstSeen(4, 1500)); // horizon 500: id 2 still in
        assertFalse(d.firstSeen(2, 500));
        assertTrue(d.firstSeen(5, 1501)); // horizon 501: id 2 out
        assertTrue(d.firstSeen(2, 500));
    }

    @Test
    void anIdStuckBehindAYoungerOneExpiresWhenLookedUp() {
        Deduplicator d = new Deduplicator(100, Duration.ofMillis(1000));
        assertTrue(d.firstSeen(1, 5000));
        assertTrue(d.firstSeen(2, 4500)); // late arrival, within TTL
        assertFalse(d.firstSeen(2, 4500));
        assertTrue(d.firstSeen(3, 5600)); // horizon 4600: id 2 expired, but id 1 (5000) is ahead of it
        assertTrue(d.firstSeen(2, 4500), "expired although still in the ring");
        assertEquals(2, d.size());
        assertFalse(d.firstSeen(1, 5000));
        assertFalse(d.firstSeen(3, 5600));
    }

    @Test
    void validatesConstruction() {
        assertThrows(IllegalArgumentException.class, () -> new Deduplicator(0, HOUR));
        assertThrows(IllegalArgumentException.class, () -> new Deduplicator(Deduplicator.MAX_CAPACITY + 1, HOUR));
        assertThrows(IllegalArgumentException.class, () -> new Deduplicator(10, Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> new Deduplicator(10, Duration.ofSeconds(-1)));
        assertEquals(1, new Deduplicator(1, HOUR).capacity());
        Deduplicator one = new Deduplicator(1, HOUR);
        assertTrue(one.firstSeen(1, 0));
        assertTrue(one.firstSeen(2, 0));
        assertTrue(one.firstSeen(1, 0));
        assertFalse(one.firstSeen(1, 0));
        assertEquals(1, one.size());
    }

    @Test
    void aMillionConversationsThroughASmallDedupNeverExceedItsCapacity() {
        final int capacity = 10_000;
        Deduplicator d = new Deduplicator(capacity, Duration.ofHours(2));
        long[] recent = new long[capacity];
        SplittableRandom r = new SplittableRandom(11);
        long t0 = 1_732_240_000_000L;
        for (int i = 0; i < 1_000_000; i++) {
            String conversationId = "conv-" + i;
            long id = EventIds.of("detail", "customer.start", conversationId, "p-1", "s-1", Long.toString(t0 + i));
            assertTrue(d.firstSeen(id, t0 + i), "a new id is never a duplicate (conversation " + i + ")");
            assertTrue(d.size() <= capacity);
            recent[i % capacity] = id;
            if (i >= capacity && i % 97 == 0) {
                // Any of the last `capacity` ids, all within the TTL, must still be recognised.
                long old = recent[r.nextInt(capacity)];
                assertFalse(d.firstSeen(old, t0 + i), "id within both bounds forgotten at " + i);
            }
        }
        assertEquals(capacity, d.size());
    }

    /**
     * Random ids from a small space (many repeats and hash collisions), times jittered around a
     * rising clock so some arrive beyond the TTL, checked step by step against a plain model.
     */
    @Test
    void agreesWithASimpleModelUnderRandomTraffic() {
        for (int seed = 1; seed <= 4; seed++) {
            SplittableRandom r = new SplittableRandom(seed);
            int capacity = 1 + r.nextInt(200);
            long ttl = 50 + r.nextInt(500);
            Deduplicator d = new Deduplicator(capacity, Duration.ofMillis(ttl));
            Model m = new Model(capacity, ttl);
            long clock = 0;
            int idSpace = capacity * 3;
            for (int step = 0; step < 300_000; step++) {
                clock += r.nextInt(3);
                long id = r.nextInt(idSpace) * 0x1_0000_0001L; // spread, but many share hash homes
                long time = clock - r.nextInt((int) ttl * 2);
                boolean expected = m.firstSeen(id, time);
                boolean actual = d.firstSeen(id, time);
                if (expected != actual) {
                    throw new AssertionError("seed " + seed + " step " + step + ": id " + id + " time " + time
                            + " expected " + expected + " got " + actual);
                }
                assertEquals(m.live.size(), d.size(), "size at step " + step);
                assertTrue(d.size() <= capacity);
            }
        }
    }

    /** The documented policy, written the obvious way. */
    private static final class Model {
        final int capacity;
        final long ttl;
        final ArrayDeque<long[]> ring = new ArrayDeque<>(); // {id, time, dead}
        final Map<Long, long[]> live = new HashMap<>();
        long newest = Long.MIN_VALUE;

        Model(int capacity, long ttl) {
            this.capacity = capacity;
            this.ttl = ttl;
        }

        boolean firstSeen(long id, long time) {
            newest = Math.max(newest, time);
            long horizon = newest - ttl;
            while (!ring.isEmpty() && (ring.peekFirst()[2] == 1 || ring.peekFirst()[1] < horizon)) {
                pop();
            }
            long[] e = live.get(id);
            if (e != null) {
                if (e[1] >= horizon) {
                    return false;
                }
                e[2] = 1;
                live.remove(id);
            }
            if (time < horizon) {
                return true;
            }
            if (ring.size() == capacity) {
                pop();
            }
            long[] n = {id, time, 0};
            ring.addLast(n);
            live.put(id, n);
            return true;
        }

        void pop() {
            long[] e = ring.pollFirst();
            if (e[2] == 0) {
                live.remove(e[0]);
            }
        }
    }

    @Test
    void checksDoNotAllocate() throws Exception {
        Deduplicator d = new Deduplicator(4096, Duration.ofMillis(10_000));
        for (int warm = 0; warm < 20; warm++) {
            churn(d, 200_000, warm);
        }
        long before = MpscRingBufferTest.allocatedBytes();
        churn(d, 1_000_000, 99);
        long after = MpscRingBufferTest.allocatedBytes();
        assertTrue(after - before < 4_096, "1,000,000 checks allocated " + (after - before) + " bytes");
    }

    private static void churn(Deduplicator d, int n, long salt) {
        long base = salt * 10_000_000L;
        for (int i = 0; i < n; i++) {
            d.firstSeen((base + i) * 0x9E3779B97F4A7C15L, base + i);
            d.firstSeen((base + i / 2) * 0x9E3779B97F4A7C15L, base + i / 2);
        }
    }
}
