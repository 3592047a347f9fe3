package dev.gctimeline.core;

/**
 * A Lamport logical clock: {@link #receive(long)} applies the receive rule
 * {@code L = max(L, remote) + 1} to an event that carries the source's sequence number, and
 * {@link #tick()} advances the clock by one for an event that carries none. Stamps from one clock
 * strictly increase, and an event's stamp exceeds every source sequence seen before it, so stamps
 * record the order in which the pipeline saw causally related events (for diagnosis; the timeline
 * itself is ordered by event time).
 *
 * <p><b>Not thread-safe, on purpose.</b> Each pipeline shard owns one clock and only its consumer
 * thread touches it, so a plain field is enough and costs nothing; stamps are therefore comparable
 * within a shard (and so within a conversation, which always maps to one shard), not across shards.
 * Share a clock between threads only under your own lock.
 *
 * <pre>{@code
 * LamportClock clock = new LamportClock();
 * long stamp = event.sequence() >= 0 ? clock.receive(event.sequence()) : clock.tick();
 * }</pre>
 */
public final class LamportClock {
    private long time;

    /** A clock at 0. */
    public LamportClock() {
    }

    /** A clock at {@code start} (e.g. restored from a checkpoint). */
    public LamportClock(long start) {
        this.time = start;
    }

    /** A local event: {@code L = L + 1}; returns the new time. */
    public long tick() {
        return ++time;
    }

    /** An event carrying the source's {@code remoteSequence}: {@code L = max(L, remote) + 1}; returns the new time. */
    public long receive(long remoteSequence) {
        time = Math.max(time, remoteSequence) + 1;
        return time;
    }

    /** The current time, without advancing it. */
    public long current() {
        return time;
    }

    @Override
    public String toString() {
        return "LamportClock{" + time + "}";
    }
}
