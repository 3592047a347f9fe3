package dev.gctimeline.stream;

/**
 * A position in a bulk feed: the record at {@code offset} in {@code partition}. Committed through
 * {@link RecordFeed#commit} it means "this record and every earlier one of its partition is done:
 * all their events were accepted by the pipeline". A Kafka adapter commits {@code offset + 1}
 * (Kafka's committed offset is the next one to read).
 *
 * <pre>{@code new OffsetAndMetadata(position.offset() + 1)}</pre>
 *
 * @param partition the partition
 * @param offset    the last record done
 */
public record RecordPosition(int partition, long offset) {
    public RecordPosition {
        if (partition < 0 || offset < 0) {
            throw new IllegalArgumentException("partition and offset must not be negative, were " + partition + ", " + offset);
        }
    }
}
