package dev.gctimeline.core;

import java.time.Duration;
import java.util.Objects;

/**
 * Remembers recent 64-bit event ids so a duplicate (a re-sent frame, the same snapshot on two
 * topics, the overlap of a channel rotation) is recognised and dropped before it reaches the
 * reconstructor. Bounded both by count and by event time, with all memory allocated up front and
 * no allocation, boxing or locking per check.
 *
 * <p><b>What it remembers.</b> Ids live in a FIFO ring in insertion order (two {@code long[]}:
 * id and event time) indexed by an open-addressing hash table ({@code int[]} of ring positions,
 * linear probing, load at most 1/2). An id is forgotten when
 * <ul>
 *   <li>the ring is full and a new id needs its slot: the oldest insertion goes first (count
 *       bound: {@link #size()} never exceeds {@link #capacity()}), or</li>
 *   <li>its event time falls more than the TTL behind the newest event time seen so far (time
 *       bound). Expired ids are dropped from the front of the ring as checks go by; one stuck
 *       behind a younger id is treated as forgotten the moment it is looked up.</li>
 * </ul>
 * Deletions shift the following probe run back (no tombstones), so lookups stay short however
 * long the deduplicator runs. Memory is about 24 bytes per id of capacity, fixed at construction.
 *
 * <p><b>Guarantees.</b> Ids are compared exactly (no hashing loss, no Bloom filter), so
 * {@link #firstSeen} never calls a new id a duplicate. It reports a repeat as a duplicate whenever
 * the id was first seen among the last {@code capacity} remembered ids and its event time is
 * within the TTL of the newest event time; beyond those bounds a repeat counts as first seen
 * again (the store's idempotent append still stores it once). An event already older than the TTL
 * when first seen is answered {@code true} and not remembered.
 *
 * <p><b>Not thread-safe.</b> Each pipeline shard owns one and only its consumer thread calls it.
 *
 * <pre>{@code
 * Deduplicator dedup = new Deduplicator(1_000_000, Duration.ofHours(2));
 * if (dedup.firstSeen(event.eventId(), event.eventTime())) { process(event); } else { duplicates++; }
 * }</pre>
 */
public final class Deduplicator {
    /** Largest capacity: keeps the hash table (2 x capacity, a power of two) indexable by int. */
    public static final int MAX_CAPACITY = 1 << 28;

    private static final long DEAD = Long.MIN_VALUE;
    private static final long GOLDEN = 0x9E3779B97F4A7C15L;

    private final int capacity;
    private final long ttlMillis;
    /** The FIFO ring in insertion order; {@code times[i] == DEAD} marks a slot already forgotten. */
    private final long[] ids;
    private final long[] times;
    private int head;
    private int used;
    /** Open-addressing index: ring position + 1, 0 for an empty bucket. */
    private final int[] index;
    private final int indexMask;
    private final int shift;
    private int live;
    private long newest = Long.MIN_VALUE;

    /**
     * A deduplicator remembering at most {@code capacity} ids for at most {@code ttl} of event time.
     *
     * @throws IllegalArgumentException if {@code capacity} is not in 1..{@link #MAX_CAPACITY} or
     *                                  {@code ttl} is not positive
     */
    public Deduplicator(int capacity, Duration ttl) {
        Objects.requireNonNull(ttl, "ttl");
        if (capacity < 1 || capacity > MAX_CAPACITY) {
            throw new IllegalArgumentException("dedup capacity must be between 1 and " + MAX_CAPACITY + ", got " + capacity);
        }
        if (ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("dedup TTL must be positive, got " + ttl);
        }
        this.capacity = capacity;
        this.ttlMillis = ttl.toMillis() > 0 ? ttl.toMillis() : 1;
        this.ids = new long[capacity];
        this.times = new long[capacity];
        int tableSize = Math.max(4, Integer.highestOneBit(2 * capacity - 1) << 1); // >= 2 x capacity
        this.index = new int[tableSize];
        this.indexMask = tableSize - 1;
        this.shift = 64 - Integer.numberOfTrailingZeros(tableSize);
    }

    /**
     * True if {@code eventId} is not remembered (and remembers it now, with {@code eventTimeMillis});
     * false if it is a duplicate of a remembered id. Allocation-free.
     */
    public boolean firstSeen(long eventId, long eventTimeMillis) {
        long t = eventTimeMillis == DEAD ? DEAD + 1 : eventTimeMillis;
        if (t > newest) {
            newest = t;
        }
        long horizon = newest - ttlMillis;
        if (horizon > newest) { // underflow near Long.MIN_VALUE: nothing can have expired
            horizon = DEAD + 1;
        }
        expireFront(horizon);
        int bucket = bucketOf(eventId);
        if (bucket >= 0) {
            int pos = index[bucket] - 1;
            if (times[pos] >= horizon) {
                return false;
            }
            // Past its TTL but stuck behind a younger id in the ring: forget it now.
            times[pos] = DEAD;
            removeBucket(bucket);
        }
        if (t < horizon) {
            return true;
        }
        if (used == capacity) {
            evictHead();
        }
        int pos = head + used;
        if (pos >= capacity) {
            pos -= capacity;
        }
        ids[pos] = eventId;
        times[pos] = t;
        used++;
        int b = home(eventId);
        while (index[b] != 0) {
            b = (b + 1) & indexMask;
        }
        index[b] = pos + 1;
        live++;
        return true;
    }

    /** Ids remembered now (at most {@link #capacity()}). */
    public int size() {
        return live;
    }

    /** The most ids it will remember. */
    public int capacity() {
        return capacity;
    }

    /** The event-time TTL. */
    public Duration ttl() {
        return Duration.ofMillis(ttlMillis);
    }

    /** The newest event time seen, or {@link Long#MIN_VALUE} before the first check. */
    public long newestEventTime() {
        return newest;
    }

    private void expireFront(long horizon) {
        while (used > 0 && times[head] < horizon) { // DEAD is below every horizon
            evictHead();
        }
    }

    private void evictHead() {
        if (times[head] != DEAD) {
            removeBucket(bucketOf(ids[head]));
        }
        times[head] = DEAD;
        head = head + 1 == capacity ? 0 : head + 1;
        used--;
    }

    private int home(long id) {
        return (int) ((id * GOLDEN) >>> shift);
    }

    /** The bucket holding {@code id}, or -1. */
    private int bucketOf(long id) {
        int b = home(id);
        int v;
        while ((v = index[b]) != 0) {
            if (ids[v - 1] == id) {
                return b;
            }
            b = (b + 1) & indexMask;
        }
        return -1;
    }

    /** Empties bucket {@code i}, moving later entries of the probe run back so no tombstone is needed. */
    private void removeBucket(int i) {
        int j = i;
        while (true) {
            j = (j + 1) & indexMask;
            int v = index[j];
            if (v == 0) {
                break;
            }
            int k = home(ids[v - 1]);
            // The entry at j may move to i unless its home lies cyclically in (i, j].
            boolean stays = i <= j ? (i < k && k <= j) : (i < k || k <= j);
            if (!stays) {
                index[i] = v;
                i = j;
            }
        }
        index[i] = 0;
        live--;
    }

    @Override
    public String toString() {
        return "Deduplicator{size=" + live + ", capacity=" + capacity + ", ttlMillis=" + ttlMillis + "}";
    }
}
