package dev.gctimeline.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LamportClockTest {

    @Test
    void tickAdvancesByOne() {
        LamportClock c = new LamportClock();
        assertEquals(0, c.current());
        assertEquals(1, c.tick());
        assertEquals(2, c.tick());
        assertEquals(2, c.current());
        assertEquals(11, new LamportClock(10).tick());
    }

    @Test
    void receiveTakesTheMaximumPlusOne() {
        LamportClock c = new LamportClock();
        assertEquals(101, c.receive(100));
        assertEquals(102, c.receive(5)); // remote behind: still advances
        assertEquals(103, c.tick());
        assertEquals(501, c.receive(500));
        assertEquals(502, c.receive(501));
        assertEquals(502, c.current());
    }

    @Test
    void stampsStrictlyIncreaseAndExceedEverySequenceSeen() {
        SplittableRandom r = new SplittableRandom(7);
        LamportClock c = new LamportClock();
        long last = 0;
        long maxSeen = 0;
        for (int i = 0; i < 100_000; i++) {
            long stamp;
            if (r.nextBoolean()) {
                long seq = r.nextLong(1_000_000);
                maxSeen = Math.max(maxSeen, seq);
                stamp = c.receive(seq);
            } else {
                stamp = c.tick();
            }
            assertTrue(stamp > last);
            assertTrue(stamp > maxSeen);
            last = stamp;
        }
    }
}
