package dev.gctimeline.stream.internal.sources;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class FullJitterTest {

    @Test
    void ceilingsDoubleUpToTheCapWithoutOverflow() {
        FullJitter j = new FullJitter(Duration.ofMillis(100), Duration.ofSeconds(60));
        assertEquals(Duration.ofMillis(100), j.ceiling(0));
        assertEquals(Duration.ofMillis(200), j.ceiling(1));
        assertEquals(Duration.ofMillis(51_200), j.ceiling(9));
        assertEquals(Duration.ofSeconds(60), j.ceiling(10));
        assertEquals(Duration.ofSeconds(60), j.ceiling(62));
        assertEquals(Duration.ofSeconds(60), j.ceiling(63));
        assertEquals(Duration.ofSeconds(60), j.ceiling(Integer.MAX_VALUE));
        assertEquals(Duration.ofMillis(100), j.ceiling(-5));
        FullJitter huge = new FullJitter(Duration.ofDays(1), Duration.ofDays(365 * 1000));
        assertEquals(huge.ceiling(200), huge.ceiling(300), "saturates at the cap");
    }

    @Test
    void delaysSpreadOverTheWholeWindow() {
        FullJitter j = new FullJitter(Duration.ofMillis(100), Duration.ofSeconds(10));
        SplittableRandom r = new SplittableRandom(1);
        for (int attempt = 0; attempt < 12; attempt++) {
            long ceiling = j.ceiling(attempt).toNanos();
            long min = Long.MAX_VALUE;
            long max = 0;
            for (int i = 0; i < 2_000; i++) {
                long d = j.delay(attempt, r).toNanos();
                assertTrue(d >= 0 && d <= ceiling, d + " outside [0, " + ceiling + "]");
                min = Math.min(min, d);
                max = Math.max(max, d);
            }
            // Full jitter: both ends of the window are reached, not just its upper half.
            assertTrue(min < ceiling / 20 && max > ceiling - ceiling / 20, attempt + ": " + min + ".." + max);
        }
    }

    @Test
    void badBoundsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new FullJitter(Duration.ZERO, Duration.ofSeconds(1)));
        assertThrows(IllegalArgumentException.class, () -> new FullJitter(Duration.ofSeconds(2), Duration.ofSeconds(1)));
    }
}
