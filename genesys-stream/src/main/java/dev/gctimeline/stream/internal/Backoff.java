package dev.gctimeline.stream.internal;

import java.time.Duration;
import java.util.function.LongUnaryOperator;

/**
 * Exponential backoff with full jitter: attempt n waits a uniformly random time in
 * [0, min(cap, base * 2^n)), so many clients reconnecting after one outage spread out instead of
 * arriving together. A server's Retry-After, when given, is a floor.
 */
public final class Backoff {
    private final long baseMillis;
    private final long capMillis;
    private final LongUnaryOperator random;

    /**
     * @param random given a bound b > 0, returns a value in [0, b); injectable for tests
     */
    public Backoff(Duration base, Duration cap, LongUnaryOperator random) {
        if (base.toMillis() < 1 || cap.compareTo(base) < 0) {
            throw new IllegalArgumentException("backoff needs 1 ms <= base <= cap, got base " + base + ", cap " + cap);
        }
        this.baseMillis = base.toMillis();
        this.capMillis = cap.toMillis();
        this.random = random;
    }

    /** The delay before attempt {@code attempt} (0-based), at least {@code retryAfter} when given. */
    public Duration delay(int attempt, Duration retryAfter) {
        long ceiling = ceilingMillis(attempt);
        long jittered = random.applyAsLong(Math.max(1, ceiling));
        long floor = retryAfter == null ? 0 : retryAfter.toMillis();
        return Duration.ofMillis(Math.max(floor, jittered));
    }

    /** The largest delay {@link #delay} can give for {@code attempt} without a Retry-After. */
    public Duration ceiling(int attempt) {
        return Duration.ofMillis(ceilingMillis(attempt));
    }

    private long ceilingMillis(int attempt) {
        int shift = Math.min(Math.max(attempt, 0), 62);
        // base * 2^shift, saturating at the cap instead of overflowing (a base of days shifted 30
        // times is past Long.MAX_VALUE).
        return baseMillis > (capMillis >> shift) ? capMillis : Math.min(capMillis, baseMillis << shift);
    }
}
