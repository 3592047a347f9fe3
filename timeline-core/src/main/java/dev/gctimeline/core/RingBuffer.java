package dev.gctimeline.core;

import java.util.function.Consumer;

/**
 * A bounded queue between event sources and one consumer: producers {@link #offer} without
 * blocking, the consumer {@link #drain}s in batches. The bound is the whole point: when the consumer
 * falls behind, {@code offer} answers {@code false} and the source must stop reading (the WebSocket
 * stops calling {@code request(n)}), so backpressure reaches the server instead of the heap growing.
 *
 * <p>Which threads may call what is the implementation's contract; {@link MpscRingBuffer} allows
 * any number of producers and exactly one consumer.
 *
 * <pre>{@code
 * RingBuffer<TimelineEvent> ring = new MpscRingBuffer<>(65_536);
 * if (!ring.offer(event)) { pauseSource(); }           // producer side, never blocks
 * int n = ring.drain(this::handle, 256);                // consumer side
 * }</pre>
 *
 * @param <E> element type; {@code null} elements are not allowed
 */
public interface RingBuffer<E> {

    /**
     * Adds {@code element} if there is room.
     *
     * @return {@code true} if the element was accepted; {@code false} at once (without blocking or
     *         waiting for room) when the buffer is full
     * @throws NullPointerException if {@code element} is null
     */
    boolean offer(E element);

    /**
     * Removes up to {@code limit} elements in order and hands each to {@code handler}.
     *
     * @return how many elements were handed over (0 when none was ready)
     */
    int drain(Consumer<? super E> handler, int limit);

    /** Elements accepted and not yet drained; a moment's estimate when other threads are active. */
    int size();

    /** The fixed number of elements the buffer can hold. */
    int capacity();

    /** True when no accepted element is waiting; a moment's estimate when other threads are active. */
    boolean isEmpty();
}
