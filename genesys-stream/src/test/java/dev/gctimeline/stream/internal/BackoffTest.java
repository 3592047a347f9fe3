package dev.gctimeline.stream.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BackoffTest {
    private static final Duration BASE = Duration.ofMillis(100);
    private static final Duration CAP = Duration.ofSeconds(10);

    @Test
    void fullJitterLiesInZeroToTheExponentialCeiling() {
        SplittableRandom r = new SplittableRandom(1);
        Backoff b = new Backoff(BASE, CAP, r::nextLong);
        for (int attempt = 0; attempt < 12; attempt++) {
            long ceiling = Math.min(CAP.toMillis(), BASE.toMillis() << attempt);
            assertEquals(Duration.ofMillis(ceiling), b.ceiling(attempt));
            long max = 0;
            long min = Long.MAX_VALUE;
            for (int i = 0; i < 2_000; i++) {
                long d = b.delay(attempt, null).toMillis();
                assertTrue(d >= 0 && d < ceiling, "attempt " + attempt + ": " + d + " outside [0, " + ceiling + ")");
                max = Math.max(max, d);
                min = Math.min(min, d);
            }
            // Full jitter: the whole range is used, not just its top.
            assertTrue(max > ceiling * 9 / 10, "attempt " + attempt + " max " + max);
            assertTrue(min < ceiling / 10 + 1, "attempt " + attempt + " min " + min);
        }
    }

    @Test
    void theRandomSourceIsAskedForTheCeilingAndItsAnswerIsTheDelay() {
        Backoff top = new Backoff(BASE, CAP, bound -> bound - 1);
        Backoff bottom = new Backoff(BASE, CAP, bound -> 0);
        assertEquals(Duration.ofMillis(99), top.delay(0, null));
        assertEquals(Duration.ofMillis(399), top.delay(2, null));
        assertEquals(Duration.ZERO, bottom.delay(5, null));
    }

    @Test
    void theCapHoldsForAnyAttemptWithoutOverflow() {
        Backoff b = new Backoff(BASE, CAP, bound -> bound - 1);
        for (int attempt : new int[] {7, 8, 30, 31, 62, 63, 64, 1_000, Integer.MAX_VALUE}) {
            assertEquals(CAP, b.ceiling(attempt), "attempt " + attempt);
            assertEquals(CAP.minusMillis(1), b.delay(attempt, null), "attempt " + attempt);
        }
        // A base of days shifted 30 times is past Long.MAX_VALUE: still the cap, never negative.
        Backoff huge = new Backoff(Duration.ofDays(1_000), Duration.ofDays(10_000), bound -> bound - 1);
        for (int attempt = 0; attempt < 100; attempt++) {
            Duration c = huge.ceiling(attempt);
            assertTrue(!c.isNegative() && c.compareTo(Duration.ofDays(10_000)) <= 0, "attempt " + attempt + ": " + c);
        }
        assertEquals(Duration.ofDays(10_000), huge.ceiling(40));
        assertEquals(BASE, b.ceiling(-3), "a negative attempt counts as the first");
    }

    @Test
    void retryAfterIsAFloorNotAReplacement() {
        Backoff low = new Backoff(BASE, CAP, bound -> 7);
        assertEquals(Duration.ofSeconds(5), low.delay(0, Duration.ofSeconds(5)));
        assertEquals(Duration.ofSeconds(30), low.delay(20, Duration.ofSeconds(30)), "above the cap too: the server said so");
        Backoff high = new Backoff(BASE, CAP, bound -> bound - 1);
        assertEquals(Duration.ofMillis(6_399), high.delay(6, Duration.ofSeconds(2)), "a longer jitter wins");
        assertEquals(Duration.ofMillis(7), low.delay(3, Duration.ZERO));
    }

    @Test
    void badBoundsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new Backoff(Duration.ZERO, CAP, b -> 0));
        assertThrows(IllegalArgumentException.class, () -> new Backoff(Duration.ofMillis(-1), CAP, b -> 0));
        assertThrows(IllegalArgumentException.class, () -> new Backoff(Duration.ofNanos(500), CAP, b -> 0));
        assertThrows(IllegalArgumentException.class, () -> new Backoff(CAP, BASE, b -> 0));
    }

    // The assertions below came with the seed-shape and bulk sources' own full-jitter class, which
    // duplicated this one and was folded into it.

    @Test
    void ceilingsDoubleUpToTheCapWithoutOverflow() {
        Backoff j = Backoff.fullJitter(Duration.ofMillis(100), Duration.ofSeconds(60));
        assertEquals(Duration.ofMillis(100), j.ceiling(0));
        assertEquals(Duration.ofMillis(200), j.ceiling(1));
        assertEquals(Duration.ofMillis(51_200), j.ceiling(9));
        assertEquals(Duration.ofSeconds(60), j.ceiling(10));
        assertEquals(Duration.ofSeconds(60), j.ceiling(62));
        assertEquals(Duration.ofSeconds(60), j.ceiling(63));
        assertEquals(Duration.ofSeconds(60), j.ceiling(Integer.MAX_VALUE));
        assertEquals(Duration.ofMillis(100), j.ceiling(-5));
        Backoff huge = Backoff.fullJitter(Duration.ofDays(1), Duration.ofDays(365 * 1000));
        assertEquals(huge.ceiling(200), huge.ceiling(300), "saturates at the cap");
    }

    @Test
    void delaysSpreadOverTheWholeWindow() {
        SplittableRandom r = new SplittableRandom(1);
        Backoff j = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(10), r::nextLong);
        for (int attempt = 0; attempt < 12; attempt++) {
            long ceiling = j.ceiling(attempt).toNanos();
            long min = Long.MAX_VALUE;
            long max = 0;
            for (int i = 0; i < 2_000; i++) {
                long d = j.delay(attempt, null).toNanos();
                assertTrue(d >= 0 && d <= ceiling, d + " outside [0, " + ceiling + "]");
                min = Math.min(min, d);
                max = Math.max(max, d);
            }
            // Full jitter: both ends of the window are reached, not just its upper half.
            assertTrue(min < ceiling / 20 && max > ceiling - ceiling / 20, attempt + ": " + min + ".." + max);
        }
    }

    @Test
    void fullJitterBoundsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> Backoff.fullJitter(Duration.ZERO, Duration.ofSeconds(1)));
        assertThrows(IllegalArgumentException.class,
                () -> Backoff.fullJitter(Duration.ofSeconds(2), Duration.ofSeconds(1)));
    }
}
