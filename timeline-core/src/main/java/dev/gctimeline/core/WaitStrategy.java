package dev.gctimeline.core;

import dev.gctimeline.core.internal.BackoffWaitStrategy;
import java.time.Duration;

/**
 * What a thread does while it waits for work (a consumer facing an empty {@link RingBuffer}) or
 * for room (a producer facing a full one): called once per unproductive round with the number of
 * such rounds in a row, so the strategy can back off from spinning to yielding to parking.
 * Implementations are stateless and shared between threads; the caller keeps the count and resets
 * it to 0 as soon as a round did work.
 *
 * <pre>{@code
 * WaitStrategy wait = WaitStrategy.backoff();
 * int idle = 0;
 * while (running) { idle = ring.drain(handler, 256) > 0 ? 0 : idle + 1; if (idle > 0) wait.idle(idle); }
 * }</pre>
 */
@FunctionalInterface
public interface WaitStrategy {

    /**
     * Waits a little. May return early (spurious wake-up, {@link java.util.concurrent.locks.LockSupport#unpark})
     * and never throws; an interrupt is left set for the caller to see.
     *
     * @param idleRounds unproductive rounds in a row, 1 for the first
     */
    void idle(int idleRounds);

    /**
     * The default: 100 busy spins, then 10 yields, then parks that double from 1 µs up to 1 ms. A
     * consumer thread therefore costs almost nothing while the source is quiet, and picks up a new
     * event within about a millisecond.
     */
    static WaitStrategy backoff() {
        return new BackoffWaitStrategy(100, 10, Duration.ofMillis(1).toNanos());
    }

    /**
     * Spin {@code spins} rounds ({@link Thread#onSpinWait()}), then yield {@code yields} rounds,
     * then park for a doubling time up to {@code maxPark}.
     *
     * @throws IllegalArgumentException if a count is negative or {@code maxPark} is not positive
     */
    static WaitStrategy backoff(int spins, int yields, Duration maxPark) {
        if (spins < 0 || yields < 0) {
            throw new IllegalArgumentException("spins and yields must be >= 0, got " + spins + ", " + yields);
        }
        if (maxPark.isNegative() || maxPark.isZero()) {
            throw new IllegalArgumentException("maxPark must be positive, got " + maxPark);
        }
        return new BackoffWaitStrategy(spins, yields, maxPark.toNanos());
    }
}
