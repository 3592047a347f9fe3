package dev.gctimeline.testkit;

import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Polls a condition until it holds, for what the simulator does on its own threads (counters bumped
 * after a write, sockets closed after the peer went away): a generous deadline instead of a guess.
 *
 * <pre>{@code Await.until(() -> sim.stats().pongsSent() >= 2, () -> "pongs: " + sim.stats());}</pre>
 */
final class Await {
    private static final long DEADLINE_SECONDS = 30;

    private Await() {
    }

    /** Returns once {@code condition} holds; fails with {@code seen} (what was there instead) after 30 s. */
    static void until(BooleanSupplier condition, Supplier<String> seen) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(DEADLINE_SECONDS);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("not reached within " + DEADLINE_SECONDS + " s; seen: " + seen.get());
            }
            Thread.sleep(5);
        }
    }
}
