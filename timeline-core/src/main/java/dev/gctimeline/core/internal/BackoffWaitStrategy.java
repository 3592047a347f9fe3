package dev.gctimeline.core.internal;

import dev.gctimeline.core.WaitStrategy;
import java.util.concurrent.locks.LockSupport;

/** Spin, then yield, then park with a doubling, capped time. Stateless: the caller counts rounds. */
public final class BackoffWaitStrategy implements WaitStrategy {
    private static final long MIN_PARK_NANOS = 1_000;

    private final int spins;
    private final int yieldsUntil;
    private final long maxParkNanos;

    public BackoffWaitStrategy(int spins, int yields, long maxParkNanos) {
        this.spins = spins;
        this.yieldsUntil = spins + yields;
        this.maxParkNanos = maxParkNanos;
    }

    @Override
    public void idle(int idleRounds) {
        if (idleRounds <= spins) {
            Thread.onSpinWait();
        } else if (idleRounds <= yieldsUntil) {
            Thread.yield();
        } else {
            int doublings = Math.min(idleRounds - yieldsUntil - 1, 40);
            long park = MIN_PARK_NANOS << Math.min(doublings, 20);
            LockSupport.parkNanos(Math.min(park, maxParkNanos));
        }
    }

    @Override
    public String toString() {
        return "WaitStrategy.backoff(spins=" + spins + ", yields=" + (yieldsUntil - spins)
                + ", maxParkNanos=" + maxParkNanos + ")";
    }
}
