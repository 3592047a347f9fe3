package dev.gctimeline.testkit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link Clock} that moves only when told to, for tests of token and channel expiry. Thread-safe:
 * the simulator reads it from its server threads while the test advances it.
 *
 * <pre>{@code ManualClock clock = ManualClock.at(Instant.parse("2026-11-22T10:00:00Z")); clock.advance(Duration.ofHours(25));}</pre>
 */
public final class ManualClock extends Clock {
    private final AtomicLong millis;

    private ManualClock(long millis) {
        this.millis = new AtomicLong(millis);
    }

    /** A clock standing at {@code instant}. */
    public static ManualClock at(Instant instant) {
        return new ManualClock(instant.toEpochMilli());
    }

    /** Moves the clock forward (a negative duration is refused: time never runs backwards here). */
    public void advance(Duration duration) {
        if (duration.isNegative()) {
            throw new IllegalArgumentException("cannot advance by a negative duration " + duration);
        }
        millis.addAndGet(duration.toMillis());
    }

    /** Sets the clock to {@code instant} (which may be earlier). */
    public void set(Instant instant) {
        millis.set(instant.toEpochMilli());
    }

    @Override
    public long millis() {
        return millis.get();
    }

    @Override
    public Instant instant() {
        return Instant.ofEpochMilli(millis.get());
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    /** Always UTC: the simulator only uses instants. */
    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }

    @Override
    public String toString() {
        return "ManualClock[" + instant() + "]";
    }
}
