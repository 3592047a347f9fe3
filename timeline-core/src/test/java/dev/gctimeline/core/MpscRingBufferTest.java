package dev.gctimeline.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The timeout only turns a hang into a failure; nothing here asserts speed. */
@Timeout(120)
class MpscRingBufferTest {

    @Test
    void fourProducersOneConsumerSeeEveryEventOnceInEachProducersOrder() throws Exception {
        final int producers = 4;
        final int perProducer = 1_000_000;
        MpscRingBuffer<Long> ring = new MpscRingBuffer<>(1024);
        CountDownLatch go = new CountDownLatch(1);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> threads = new ArrayList<>();
        long[] fullSeen = new long[producers];
        for (int p = 0; p < producers; p++) {
            final long id = p;
            Thread t = new Thread(() -> {
                try {
                    go.await();
                    long full = 0;
                    for (long seq = 0; seq < perProducer; seq++) {
                        Long value = (id << 32) | seq;
                        while (!ring.offer(value)) {
                            full++;
                            Thread.yield();
                        }
                    }
                    fullSeen[(int) id] = full;
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            }, "producer-" + p);
            threads.add(t);
            t.start();
        }
        long[] next = new long[producers];
        long[] count = {0};
        Consumer<Long> check = v -> {
            int p = (int) (v >>> 32);
            long seq = v & 0xFFFF_FFFFL;
            if (seq != next[p]) {
                throw new AssertionError("producer " + p + ": expected seq " + next[p] + " got " + seq);
            }
            next[p]++;
            count[0]++;
        };
        go.countDown();
        long total = (long) producers * perProducer;
        int idle = 0;
        while (count[0] < total && failure.get() == null) {
            int n = ring.drain(check, 256);
            assertTrue(ring.size() <= ring.capacity());
            if (n == 0 && ++idle > 1000) {
                Thread.yield();
            } else if (n > 0) {
                idle = 0;
            }
        }
        for (Thread t : threads) {
            t.join();
        }
        if (failure.get() != null) {
            throw new AssertionError(failure.get());
        }
        for (int p = 0; p < producers; p++) {
            assertEquals(perProducer, next[p], "events of producer " + p);
        }
        assertTrue(ring.isEmpty());
        assertEquals(0, ring.drain(check, 10));
    }

    @Test
    void wrapsAroundManyTimesKeepingOrder() {
        MpscRingBuffer<Integer> ring = new MpscRingBuffer<>(4);
        List<Integer> out = new ArrayList<>();
        int next = 0;
        for (int round = 0; round < 1000; round++) {
            int k = 1 + round % 4;
            for (int i = 0; i < k; i++) {
                assertTrue(ring.offer(next++));
            }
            assertEquals(k, ring.size());
            assertEquals(k, ring.drain(out::add, 10));
            assertTrue(ring.isEmpty());
        }
        for (int i = 0; i < out.size(); i++) {
            assertEquals(i, out.get(i));
        }
    }

    @Test
    void fullAndEmptyEdges() {
        MpscRingBuffer<Integer> ring = new MpscRingBuffer<>(8);
        assertTrue(ring.isEmpty());
        assertEquals(0, ring.size());
        assertEquals(0, ring.drain(x -> { throw new AssertionError("nothing to drain"); }, 8));
        for (int i = 0; i < 8; i++) {
            assertTrue(ring.offer(i), "offer " + i);
        }
        assertFalse(ring.offer(8), "ninth offer into 8 slots");
        assertEquals(8, ring.size());
        assertFalse(ring.isEmpty());
        List<Integer> out = new ArrayList<>();
        assertEquals(3, ring.drain(out::add, 3));
        assertEquals(List.of(0, 1, 2), out);
        for (int i = 8; i < 11; i++) {
            assertTrue(ring.offer(i));
        }
        assertFalse(ring.offer(11));
        assertEquals(0, ring.drain(out::add, 0));
        assertEquals(8, ring.drain(out::add, 100));
        assertEquals(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10), out);
        assertTrue(ring.isEmpty());
        assertEquals(8, ring.capacity());
    }

    @Test
    void offerOnAFullRingReturnsFalseWithoutBlocking() {
        MpscRingBuffer<String> ring = new MpscRingBuffer<>(2);
        assertTrue(ring.offer("a"));
        assertTrue(ring.offer("b"));
        // The timeout only catches a hang; there is no claim about speed.
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
            for (int i = 0; i < 1_000_000; i++) {
                assertFalse(ring.offer("c"));
            }
        });
        assertEquals(2, ring.size());
    }

    @Test
    void rejectsCapacitiesThatAreNotPowersOfTwo() {
        for (int bad : new int[] {-1, 0, 1, 3, 1000, 65_535, (1 << 30) + 1, Integer.MAX_VALUE}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new MpscRingBuffer<>(bad));
            assertTrue(e.getMessage().contains("power of two"), e.getMessage());
        }
        assertEquals(1024, new MpscRingBuffer<>(1024).capacity());
        String m = assertThrows(IllegalArgumentException.class, () -> new MpscRingBuffer<>(1000)).getMessage();
        assertTrue(m.contains("1024"), m);
    }

    @Test
    void rejectsNullElements() {
        assertThrows(NullPointerException.class, () -> new MpscRingBuffer<String>(2).offer(null));
    }

    @Test
    void sealStopsOffersButKeepsAcceptedElementsDrainable() {
        MpscRingBuffer<Integer> ring = new MpscRingBuffer<>(4);
        assertTrue(ring.offer(1));
        assertTrue(ring.offer(2));
        ring.seal();
        ring.seal();
        assertTrue(ring.isSealed());
        assertFalse(ring.offer(3));
        assertEquals(2, ring.size());
        List<Integer> out = new ArrayList<>();
        assertEquals(2, ring.drain(out::add, 10));
        assertEquals(List.of(1, 2), out);
        assertTrue(ring.isEmpty());
        assertFalse(ring.offer(4));
    }

    @Test
    void aThrowingHandlerConsumesItsElementAndLeavesTheRingConsistent() {
        MpscRingBuffer<Integer> ring = new MpscRingBuffer<>(4);
        ring.offer(1);
        ring.offer(2);
        assertThrows(IllegalStateException.class, () -> ring.drain(x -> { throw new IllegalStateException(); }, 10));
        List<Integer> out = new ArrayList<>();
        assertEquals(1, ring.drain(out::add, 10));
        assertEquals(List.of(2), out);
        assertTrue(ring.offer(3));
    }

    @Test
    void offeringAPreallocatedElementAllocatesNothing() throws Exception {
        MpscRingBuffer<Object> ring = new MpscRingBuffer<>(1024);
        Object element = new Object();
        Consumer<Object> sink = x -> { };
        for (int warm = 0; warm < 20; warm++) {
            offerAndDrain(ring, element, sink, 100_000);
        }
        long before = allocatedBytes();
        offerAndDrain(ring, element, sink, 1_000_000);
        long after = allocatedBytes();
        // One reflective call to the MX bean boxes a few values; a per-offer allocation would be MBs.
        assertTrue(after - before < 4_096, "1,000,000 offers allocated " + (after - before) + " bytes");
    }

    private static void offerAndDrain(MpscRingBuffer<Object> ring, Object element, Consumer<Object> sink, int n) {
        int i = 0;
        while (i < n) {
            if (ring.offer(element)) {
                i++;
            } else {
                ring.drain(sink, 1024);
            }
        }
        ring.drain(sink, 1024);
    }

    /**
     * This thread's allocated bytes, through com.sun.management.ThreadMXBean. Reflection, because
     * the module under test reads java.base only and the tests are patched into it.
     */
    static long allocatedBytes() throws Exception {
        Object bean = Class.forName("java.lang.management.ManagementFactory").getMethod("getThreadMXBean").invoke(null);
        Method m = Class.forName("com.sun.management.ThreadMXBean").getMethod("getThreadAllocatedBytes", long.class);
        return (Long) m.invoke(bean, Thread.currentThread().getId());
    }

    @Test
    void waitStrategyBacksOffAndValidates() {
        WaitStrategy wait = WaitStrategy.backoff(2, 2, Duration.ofNanos(50_000));
        for (int round = 1; round <= 40; round++) {
            wait.idle(round);
        }
        WaitStrategy.backoff().idle(1);
        WaitStrategy.backoff().idle(10_000);
        assertThrows(IllegalArgumentException.class, () -> WaitStrategy.backoff(-1, 0, Duration.ofMillis(1)));
        assertThrows(IllegalArgumentException.class, () -> WaitStrategy.backoff(0, 0, Duration.ZERO));
    }
}
