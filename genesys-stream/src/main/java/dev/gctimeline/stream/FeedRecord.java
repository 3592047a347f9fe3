package dev.gctimeline.stream;

import java.util.Objects;

/**
 * One record of a bulk feed (an EventBridge delivery, a Kafka record): where it sits in its
 * partition, the conversation it is keyed by, and its JSON bytes (an EventBridge record
 * {@code {"detail-type":...,"detail":{envelope}}}, a bare notification envelope, or a seed-shape
 * document; anything a {@link NotificationDecoder} reads).
 *
 * <p>{@code value} is not copied: the feed must not reuse the array after handing the record over.
 *
 * <pre>{@code new FeedRecord(r.partition(), r.offset(), r.key(), r.value())   // from a Kafka ConsumerRecord<String, byte[]>}</pre>
 *
 * @param partition the partition (0 for a feed with one); records of a partition come in offset order
 * @param offset    the record's position in its partition, increasing
 * @param key       the conversation id when the feed knows it (the Kafka key), else null
 * @param value     the record's UTF-8 JSON
 */
public record FeedRecord(int partition, long offset, String key, byte[] value) {
    public FeedRecord {
        if (partition < 0) {
            throw new IllegalArgumentException("partition must not be negative, was " + partition);
        }
        if (offset < 0) {
            throw new IllegalArgumentException("offset must not be negative, was " + offset);
        }
        Objects.requireNonNull(value, "value");
    }

    /** Where this record sits, for {@link RecordFeed#commit}. */
    public RecordPosition position() {
        return new RecordPosition(partition, offset);
    }

    /** Partition, offset, key and size: never the payload. */
    @Override
    public String toString() {
        return "FeedRecord[" + partition + "@" + offset + ", key=" + key + ", " + value.length + " bytes]";
    }
}
