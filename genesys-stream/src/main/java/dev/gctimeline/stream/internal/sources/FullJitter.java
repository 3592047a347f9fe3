package dev.gctimeline.stream.internal.sources;

import java.time.Duration;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * Reconnect delays with exponential growth and full jitter: the delay before retry {@code n}
 * (0-based) is uniform in {@code [0, min(max, initial * 2^n)]}. Full jitter spreads the reconnects
 * of many clients that lost their sockets at the same moment (a server restart) over the whole
 * window instead of bunching them at its edges, which is what plain or "equal" jitter does.
 *
 * <p>Immutable and thread-safe; the caller passes the random source.
 *
 * <pre>{@code Duration wait = new FullJitter(Duration.ofSeconds(1), Duration.ofMinutes(1)).delay(failures, random);}</pre>
 */
public final class FullJitter {
    private final long initialNanos;
    private final long maxNanos;

    /**
     * @param initial the ceiling of the first delay; positive
     * @param max     the largest ceiling; at least {@code initial}
     */
    public FullJitter(Duration initial, Duration max) {
        Objects.requireNonNull(initial, "initial");
        Objects.requireNonNull(max, "max");
        if (initial.isNegative() || initial.isZero()) {
            throw new IllegalArgumentException("initial backoff must be positive, was " + initial);
        }
        if (max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("max backoff " + max + " is below the initial " + initial);
        }
        this.initialNanos = saturatedNanos(initial);
        this.maxNanos = saturatedNanos(max);
    }

    /** The ceiling of retry {@code attempt}'s delay: {@code min(max, initial * 2^attempt)}, never overflowing. */
    public Duration ceiling(int attempt) {
        return Duration.ofNanos(ceilingNanos(attempt));
    }

    /** A delay for retry {@code attempt} (0-based; negative counts as 0), uniform in [0, ceiling]. */
    public Duration delay(int attempt, RandomGenerator random) {
        long ceiling = ceilingNanos(attempt);
        return Duration.ofNanos(ceiling == Long.MAX_VALUE ? random.nextLong(0, ceiling) : random.nextLong(0, ceiling + 1));
    }

    private long ceilingNanos(int attempt) {
        int n = Math.max(0, attempt);
        // initial << n overflows (or passes max) once n reaches the leading zeros of max / initial.
        if (n >= 63 || initialNanos > (maxNanos >> n)) {
            return maxNanos;
        }
        return Math.min(maxNanos, initialNanos << n);
    }

    private static long saturatedNanos(Duration d) {
        try {
            return d.toNanos();
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }

    @Override
    public String toString() {
        return "FullJitter[" + Duration.ofNanos(initialNanos) + " .. " + Duration.ofNanos(maxNanos) + "]";
    }
}
