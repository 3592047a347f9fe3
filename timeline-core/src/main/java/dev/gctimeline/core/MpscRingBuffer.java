package dev.gctimeline.core;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * A bounded, lock-free, multi-producer single-consumer {@link RingBuffer} on an array whose
 * capacity is a power of two (the layout and protocol of JCTools' {@code MpscArrayQueue}).
 *
 * <p><b>Concurrency contract.</b>
 * <ul>
 *   <li>{@link #offer} may be called by any number of threads at once. It never blocks, never
 *       takes a lock and never allocates: producers claim a slot with one CAS on the producer
 *       index and then write the element into it. When the buffer is full (or {@link #seal sealed})
 *       it returns {@code false} at once and the element is not stored.</li>
 *   <li>{@link #drain} must only be called by one thread at a time (the single consumer); calling
 *       it from two threads concurrently corrupts the buffer. It never blocks: it stops at the first
 *       slot whose producer has claimed but not yet written it, and the next drain picks it up.</li>
 *   <li>{@link #size}, {@link #isEmpty}, {@link #capacity} and {@link #seal} are safe from any
 *       thread.</li>
 * </ul>
 *
 * <p><b>Ordering and visibility.</b> Elements are drained in the order their producers claimed
 * slots, so the elements of any one producer thread come out in the order it offered them.
 * Everything a producer did before a successful {@code offer} happens-before the consumer's handler
 * receives that element (release store of the element, acquire load by the consumer), and
 * draining an element happens-before a producer reuses its slot.
 *
 * <p>If the drain handler throws, the element it was given counts as consumed and the exception
 * propagates to the caller of {@code drain}; the buffer stays consistent.
 *
 * <pre>{@code
 * MpscRingBuffer<TimelineEvent> ring = new MpscRingBuffer<>(1 << 16);
 * boolean accepted = ring.offer(event);         // any thread
 * ring.drain(event -> process(event), 256);     // the one consumer thread
 * }</pre>
 *
 * @param <E> element type; {@code null} elements are rejected
 */
public final class MpscRingBuffer<E> extends MpscRingBufferFields<E> implements RingBuffer<E> {

    /** Sign bit of the producer index: set once by {@link #seal()}, after which no offer succeeds. */
    private static final long SEALED = Long.MIN_VALUE;

    private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(Object[].class);

    private final Object[] buffer;
    private final int mask;

    /**
     * A ring of {@code capacity} slots.
     *
     * @throws IllegalArgumentException unless {@code capacity} is a power of two between 2 and 2^30
     */
    public MpscRingBuffer(int capacity) {
        if (capacity < 2 || capacity > (1 << 30) || Integer.bitCount(capacity) != 1) {
            throw new IllegalArgumentException("ring capacity must be a power of two between 2 and 2^30, got "
                    + capacity + " (nearest power of two: " + nearestPowerOfTwo(capacity) + ")");
        }
        this.buffer = new Object[capacity];
        this.mask = capacity - 1;
        this.producerLimit = capacity;
    }

    private static int nearestPowerOfTwo(int n) {
        if (n <= 2) {
            return 2;
        }
        if (n >= (1 << 30)) {
            return 1 << 30;
        }
        return Integer.highestOneBit(n - 1) << 1;
    }

    @Override
    public boolean offer(E element) {
        Objects.requireNonNull(element, "element");
        long limit = lvProducerLimit();
        long index;
        do {
            index = lvProducerIndex();
            if (index < 0) {
                return false; // sealed
            }
            if (index >= limit) {
                // The cached limit says full; look at the real consumer index before saying so.
                limit = lvConsumerIndex() + mask + 1;
                if (index >= limit) {
                    return false;
                }
                // A racy write is fine: any value written is a past consumer index + capacity,
                // which can only be at or below the true limit.
                soProducerLimit(limit);
            }
        } while (!casProducerIndex(index, index + 1));
        SLOT.setRelease(buffer, (int) (index & mask), element);
        return true;
    }

    @Override
    public int drain(Consumer<? super E> handler, int limit) {
        Objects.requireNonNull(handler, "handler");
        final Object[] buf = buffer;
        final long start = lpConsumerIndex();
        int n = 0;
        while (n < limit) {
            long index = start + n;
            int offset = (int) (index & mask);
            @SuppressWarnings("unchecked")
            E e = (E) SLOT.getAcquire(buf, offset);
            if (e == null) {
                break; // empty, or claimed by a producer that has not written yet
            }
            SLOT.setOpaque(buf, offset, null);
            // Release: a producer that reads the new consumer index also sees the cleared slot.
            soConsumerIndex(index + 1);
            n++;
            handler.accept(e);
        }
        return n;
    }

    /**
     * Stops accepting: every later {@link #offer} returns {@code false}. Elements accepted before
     * stay drainable; once {@link #isEmpty()} is true after a seal, none can arrive any more, which
     * is what a clean shutdown needs. Idempotent; any thread.
     */
    public void seal() {
        long index;
        do {
            index = lvProducerIndex();
            if (index < 0) {
                return;
            }
        } while (!casProducerIndex(index, index | SEALED));
    }

    /** True once {@link #seal()} was called. */
    public boolean isSealed() {
        return lvProducerIndex() < 0;
    }

    @Override
    public int size() {
        // Read consumer, producer, consumer until the consumer index held still, so the difference
        // is one that existed at some instant (never negative, never above capacity).
        long after = lvConsumerIndex();
        while (true) {
            long before = after;
            long producer = lvProducerIndex() & ~SEALED;
            after = lvConsumerIndex();
            if (before == after) {
                return (int) Math.max(0, Math.min(producer - after, mask + 1L));
            }
        }
    }

    @Override
    public boolean isEmpty() {
        return lvConsumerIndex() == (lvProducerIndex() & ~SEALED);
    }

    @Override
    public int capacity() {
        return mask + 1;
    }

    @Override
    public String toString() {
        return "MpscRingBuffer{capacity=" + capacity() + ", size=" + size() + (isSealed() ? ", sealed" : "") + "}";
    }
}

/*
 * Field layout. The producer index is written by every producer (CAS), the consumer index by the
 * consumer alone, and the producer limit is a producers' cache of "consumer index + capacity". Were
 * any two of them on one cache line, every write by one side would evict the line the other side is
 * reading (false sharing), which costs far more than the queue operation itself. The JVM reorders
 * fields within a class but keeps a superclass's fields before a subclass's, so each hot field sits
 * in its own class between 128 bytes of padding on each side (two 64-byte lines, because the
 * adjacent-line prefetcher pulls pairs of lines).
 */
abstract class MpscRingBufferPad0 {
    long p00, p01, p02, p03, p04, p05, p06, p07, p08, p09, p10, p11, p12, p13, p14, p15;
}

abstract class MpscRingBufferProducerIndex extends MpscRingBufferPad0 {
    private static final VarHandle PRODUCER_INDEX;

    static {
        try {
            PRODUCER_INDEX = MethodHandles.lookup()
                    .findVarHandle(MpscRingBufferProducerIndex.class, "producerIndex", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private volatile long producerIndex;

    final long lvProducerIndex() {
        return producerIndex;
    }

    final boolean casProducerIndex(long expect, long update) {
        return PRODUCER_INDEX.compareAndSet(this, expect, update);
    }
}

abstract class MpscRingBufferPad1 extends MpscRingBufferProducerIndex {
    long p20, p21, p22, p23, p24, p25, p26, p27, p28, p29, p30, p31, p32, p33, p34, p35;
}

abstract class MpscRingBufferProducerLimit extends MpscRingBufferPad1 {
    private static final VarHandle PRODUCER_LIMIT;

    static {
        try {
            PRODUCER_LIMIT = MethodHandles.lookup()
                    .findVarHandle(MpscRingBufferProducerLimit.class, "producerLimit", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Written once in the subclass constructor (before publication), then only via soProducerLimit. */
    long producerLimit;

    final long lvProducerLimit() {
        return (long) PRODUCER_LIMIT.getAcquire(this);
    }

    final void soProducerLimit(long limit) {
        PRODUCER_LIMIT.setRelease(this, limit);
    }
}

abstract class MpscRingBufferPad2 extends MpscRingBufferProducerLimit {
    long p40, p41, p42, p43, p44, p45, p46, p47, p48, p49, p50, p51, p52, p53, p54, p55;
}

abstract class MpscRingBufferConsumerIndex extends MpscRingBufferPad2 {
    private static final VarHandle CONSUMER_INDEX;

    static {
        try {
            CONSUMER_INDEX = MethodHandles.lookup()
                    .findVarHandle(MpscRingBufferConsumerIndex.class, "consumerIndex", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private volatile long consumerIndex;

    final long lvConsumerIndex() {
        return consumerIndex;
    }

    /** Plain read: only the consumer writes this field, and only the consumer calls this. */
    final long lpConsumerIndex() {
        return (long) CONSUMER_INDEX.get(this);
    }

    final void soConsumerIndex(long index) {
        CONSUMER_INDEX.setRelease(this, index);
    }
}

abstract class MpscRingBufferPad3 extends MpscRingBufferConsumerIndex {
    long p60, p61, p62, p63, p64, p65, p66, p67, p68, p69, p70, p71, p72, p73, p74, p75;
}

/** The generic anchor of the chain, so the public class reads {@code extends MpscRingBufferFields<E>}. */
abstract class MpscRingBufferFields<E> extends MpscRingBufferPad3 {
}
