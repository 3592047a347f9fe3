package dev.gctimeline.core;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A close deadline on {@link System#nanoTime()}, or none. Shared by {@link StoreWriter#close(Duration)}
 * and {@link TimelinePipeline#close(Duration)}, which both wait for threads and give up on the store
 * when it passes.
 */
final class Deadline {
    private static final Deadline NONE = new Deadline(0, false);

    private final long atNanos;
    private final boolean bounded;

    private Deadline(long atNanos, boolean bounded) {
        this.atNanos = atNanos;
        this.bounded = bounded;
    }

    /** {@code timeout} from now; null means no deadline. */
    static Deadline in(Duration timeout) {
        return timeout == null ? NONE : new Deadline(System.nanoTime() + Math.max(0, timeout.toNanos()), true);
    }

    boolean passed() {
        return bounded && atNanos - System.nanoTime() <= 0;
    }

    /** Nanoseconds left, at least 1 while not passed; {@link Long#MAX_VALUE} without a deadline. */
    long nanosLeft() {
        return bounded ? Math.max(1, atNanos - System.nanoTime()) : Long.MAX_VALUE;
    }

    /**
     * Waits until {@code thread} ends. Once the deadline passes, runs {@code atDeadline} (once) and
     * then waits without bound: {@code atDeadline} is what makes the thread end soon. An interrupt
     * does not end the wait; returns whether one came, for the caller to restore.
     */
    boolean join(Thread thread, Runnable atDeadline) {
        boolean interrupted = false;
        boolean fired = false;
        while (thread.isAlive()) {
            try {
                if (!fired && passed()) {
                    atDeadline.run();
                    fired = true;
                } else if (fired || !bounded) {
                    thread.join();
                } else {
                    TimeUnit.NANOSECONDS.timedJoin(thread, nanosLeft());
                }
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        return interrupted;
    }
}
