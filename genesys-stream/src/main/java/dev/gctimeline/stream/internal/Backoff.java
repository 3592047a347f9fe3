package dev.gctimeline.stream.internal;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongUnaryOperator;

/**
 * Exponential backoff with full jitter: attempt n waits a uniformly random time in
 * [0, min(cap, base * 2^n)), so many clients reconnecting after one outage spread out instead of
 * arriving together. A server's Retry-After, when given, is a floor. The one backoff of the module:
 * the Genesys stream's reconnects, the seed-shape stream's reconnects and the bulk source's poll
 * retries all use it. Immutable and thread-safe when its random source is.
 *
 * <pre>{@code Duration wait = Backoff.fullJitter(Duration.ofSeconds(1), Duration.ofMinutes(1)).delay(failures, null);}</pre>
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

    /** Backoff drawing from {@link ThreadLocalRandom}: what production code uses. */
    public static Backoff fullJitter(Duration base, Duration cap) {
        return new Backoff(base, cap, bound -> ThreadLocalRandom.current().nextLong(bound));
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
