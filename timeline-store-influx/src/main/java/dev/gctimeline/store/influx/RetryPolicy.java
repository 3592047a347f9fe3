package dev.gctimeline.store.influx;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How {@link InfluxBatchWriter} waits between tries of a batch that failed retryably: exponential
 * backoff with full jitter (a uniformly random wait between zero and {@code initial * 2^(n-1)},
 * capped at {@code max}), and never shorter than the server's Retry-After (itself capped at
 * {@code maxRetryAfter}). {@code maxAttempts} 0 means try until it works: nothing is dropped while
 * InfluxDB is down, the writer's bounded buffer fills and its callers block instead.
 *
 * <pre>{@code RetryPolicy p = new RetryPolicy(Duration.ofMillis(100), Duration.ofSeconds(30), 0, Duration.ofMinutes(5));}</pre>
 *
 * @param initial       first backoff ceiling
 * @param max           largest backoff ceiling
 * @param maxAttempts   tries per batch before it counts as failed; 0 for no limit
 * @param maxRetryAfter the longest Retry-After honoured
 */
public record RetryPolicy(Duration initial, Duration max, int maxAttempts, Duration maxRetryAfter) {

    public RetryPolicy {
        Objects.requireNonNull(initial, "initial");
        Objects.requireNonNull(max, "max");
        Objects.requireNonNull(maxRetryAfter, "maxRetryAfter");
        if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("need 0 < initial <= max");
        }
        if (maxAttempts < 0) {
            throw new IllegalArgumentException("maxAttempts must be >= 0 (0 = unlimited)");
        }
    }

    /** 100 ms doubling to 30 s, unlimited attempts, Retry-After honoured up to 5 minutes. */
    public static RetryPolicy defaults() {
        return new RetryPolicy(Duration.ofMillis(100), Duration.ofSeconds(30), 0, Duration.ofMinutes(5));
    }

    /** The wait before try {@code attempt + 1}, after {@code attempt} (1-based) failures. */
    public Duration delay(int attempt, Optional<Duration> retryAfter) {
        long ceiling = initial.toNanos();
        for (int i = 1; i < attempt && ceiling < max.toNanos(); i++) {
            ceiling *= 2;
        }
        ceiling = Math.min(ceiling, max.toNanos());
        long jitter = ThreadLocalRandom.current().nextLong(ceiling + 1);
        long floor = retryAfter.map(d -> Math.min(d.toNanos(), maxRetryAfter.toNanos())).orElse(0L);
        return Duration.ofNanos(Math.max(jitter, floor));
    }
}
