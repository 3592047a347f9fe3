package dev.gctimeline.stream;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntSupplier;

/** The live counters behind {@link StreamMetrics}; package-private. */
final class StreamCounters {
    final AtomicLong connects = new AtomicLong();
    final AtomicLong reconnects = new AtomicLong();
    final AtomicLong rotations = new AtomicLong();
    final AtomicLong socketClosings = new AtomicLong();
    final AtomicLong heartbeatTimeouts = new AtomicLong();
    final AtomicLong gaps = new AtomicLong();
    final AtomicLong resubscribes = new AtomicLong();
    final AtomicLong follows = new AtomicLong();
    final AtomicLong unfollows = new AtomicLong();
    final AtomicLong subscriptionErrors = new AtomicLong();
    final AtomicLong pauses = new AtomicLong();
    final AtomicLong failures = new AtomicLong();
    final AtomicLong lostAtEnd = new AtomicLong();

    StreamMetrics snapshot(IntSupplier followed) {
        return new StreamMetrics(connects.get(), reconnects.get(), rotations.get(), socketClosings.get(),
                heartbeatTimeouts.get(), gaps.get(), resubscribes.get(), follows.get(), unfollows.get(),
                followed.getAsInt(), subscriptionErrors.get(), pauses.get(), failures.get(), lostAtEnd.get());
    }
}
