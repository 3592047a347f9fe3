package dev.gctimeline.stream;

import dev.gctimeline.testkit.Notification;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A partitioned record log in memory, the way Kafka keeps a topic: records keyed by conversation
 * land in partition {@code hash(key) mod n}, each partition in arrival order with increasing
 * offsets; the log keeps one committed position per partition. {@link #consumer} reads it from the
 * committed positions on, like a consumer that joins after a crash, and checks every commit: a
 * position must not go backwards and must not pass what that consumer has polled.
 */
final class MemoryRecordLog {
    final List<List<FeedRecord>> partitions = new ArrayList<>();
    /** The last offset committed per partition, -1 for none. Guarded by this. */
    private final long[] committed;
    /** Every commit call, in order. */
    final List<List<RecordPosition>> commits = new CopyOnWriteArrayList<>();
    /** Problems found in commits (the source thread cannot throw them at the test). */
    final List<String> violations = new CopyOnWriteArrayList<>();

    MemoryRecordLog(int partitionCount) {
        for (int i = 0; i < partitionCount; i++) {
            partitions.add(new ArrayList<>());
        }
        committed = new long[partitionCount];
        java.util.Arrays.fill(committed, -1);
    }

    /** Appends one record per notification, keyed by its conversation (or unkeyed). */
    MemoryRecordLog append(List<Notification> deliveries, boolean keyed) {
        for (Notification n : deliveries) {
            append(n.conversationId(), keyed ? n.conversationId() : null, n.json().getBytes(StandardCharsets.UTF_8));
        }
        return this;
    }

    /** Appends one record; {@code routing} picks the partition (a null one goes to partition 0). */
    synchronized void append(String routing, String key, byte[] value) {
        int p = routing == null ? 0 : Math.floorMod(routing.hashCode(), partitions.size());
        List<FeedRecord> part = partitions.get(p);
        part.add(new FeedRecord(p, part.size(), key, value));
    }

    int size() {
        return partitions.stream().mapToInt(List::size).sum();
    }

    synchronized long committed(int partition) {
        return committed[partition];
    }

    /** Every record committed. */
    synchronized boolean fullyCommitted() {
        for (int p = 0; p < partitions.size(); p++) {
            if (committed[p] != partitions.get(p).size() - 1) {
                return false;
            }
        }
        return true;
    }

    /** A consumer from the committed positions on, returning at most {@code maxPerPoll} records a poll. */
    Feed consumer(int maxPerPoll) {
        return new Feed(maxPerPoll);
    }

    /** One consumer's view: its read positions, and the log's shared commits. */
    final class Feed implements RecordFeed {
        private final int maxPerPoll;
        private final long[] next;
        private int turn;
        final AtomicInteger polls = new AtomicInteger();
        volatile Consumer<List<RecordPosition>> beforeCommit = positions -> { };
        volatile RuntimeException failNextPoll;
        volatile RuntimeException failNextCommit;

        Feed(int maxPerPoll) {
            this.maxPerPoll = maxPerPoll;
            synchronized (MemoryRecordLog.this) {
                next = new long[partitions.size()];
                for (int p = 0; p < next.length; p++) {
                    next[p] = committed[p] + 1;
                }
            }
        }

        @Override
        public List<FeedRecord> poll(Duration max) {
            polls.incrementAndGet();
            RuntimeException f = failNextPoll;
            if (f != null) {
                failNextPoll = null;
                throw f;
            }
            List<FeedRecord> out = new ArrayList<>(maxPerPoll);
            synchronized (MemoryRecordLog.this) {
                // Round-robin over partitions, a few records from each: batches interleave partitions.
                int idle = 0;
                while (out.size() < maxPerPoll && idle < next.length) {
                    int p = turn++ % next.length;
                    List<FeedRecord> part = partitions.get(p);
                    int take = 0;
                    while (take < 3 && next[p] < part.size() && out.size() < maxPerPoll) {
                        out.add(part.get((int) next[p]++));
                        take++;
                    }
                    idle = take == 0 ? idle + 1 : 0;
                }
            }
            if (out.isEmpty()) {
                try {
                    Thread.sleep(Math.min(2, max.toMillis()));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return out;
        }

        @Override
        public void commit(List<RecordPosition> done) {
            RuntimeException f = failNextCommit;
            if (f != null) {
                failNextCommit = null;
                throw f;
            }
            beforeCommit.accept(done);
            synchronized (MemoryRecordLog.this) {
                for (RecordPosition pos : done) {
                    int p = pos.partition();
                    if (pos.offset() < committed[p]) {
                        violations.add("commit went backwards: " + pos + " after " + committed[p]);
                    }
                    if (pos.offset() >= next[p]) {
                        violations.add("commit of a record never polled: " + pos + ", next " + next[p]);
                    }
                    committed[p] = Math.max(committed[p], pos.offset());
                }
            }
            commits.add(List.copyOf(done));
        }
    }
}
