package dev.gctimeline.stream;

import dev.gctimeline.stream.internal.SnapshotTracker;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Objects;

/**
 * Snapshot diff state that several {@link NotificationDecoder}s share: what each conversation's
 * snapshots already said. Conversation snapshots carry whole state, and the timeline comes from the
 * difference between consecutive ones; a decoder that started from nothing mid-conversation would
 * emit every current fact again, and facts without a timestamp of their own would get other times.
 * A stream gives all its sockets one memory, so a socket opened by a reconnect or a channel rotation
 * continues where the old one left off. Thread-safe.
 *
 * <pre>{@code
 * SnapshotMemory memory = SnapshotMemory.create();
 * NotificationDecoder a = NotificationDecoder.builder(pipeline::offer).snapshotMemory(memory).build();
 * }</pre>
 */
public final class SnapshotMemory {
    private final SnapshotTracker tracker;

    private SnapshotMemory(SnapshotTracker tracker) {
        this.tracker = tracker;
    }

    /** A memory with the decoder's defaults: 20,000 conversations, 8 h idle, 15 min after the end. */
    public static SnapshotMemory create() {
        return create(20_000, Duration.ofHours(8), Duration.ofMinutes(15), InstantSource.system());
    }

    /**
     * A memory holding at most {@code maxConversations} (least recently updated evicted), dropping a
     * conversation idle for {@code idleTtl} or ended for {@code endedRetention}.
     */
    public static SnapshotMemory create(int maxConversations, Duration idleTtl, Duration endedRetention,
                                        InstantSource clock) {
        if (maxConversations < 1) {
            throw new IllegalArgumentException("maxConversations must be positive, was " + maxConversations);
        }
        if (idleTtl.isNegative() || idleTtl.isZero() || endedRetention.isNegative() || endedRetention.isZero()) {
            throw new IllegalArgumentException("idleTtl and endedRetention must be positive");
        }
        return new SnapshotMemory(new SnapshotTracker(maxConversations, idleTtl.toMillis(), endedRetention.toMillis(),
                Objects.requireNonNull(clock, "clock")));
    }

    /** Conversations whose snapshot state is held now. */
    public int trackedConversations() {
        return tracker.trackedConversations();
    }

    SnapshotTracker tracker() {
        return tracker;
    }
}
