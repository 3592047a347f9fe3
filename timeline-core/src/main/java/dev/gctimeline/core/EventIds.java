package dev.gctimeline.core;

/**
 * Stable 64-bit event identities, the dedup key of every {@link TimelineEvent}.
 *
 * <p>A source that carries its own event id uses {@link #ofSourceId(String)}; a source that does
 * not (Genesys detail events, snapshot diffs, transcripts) uses {@link #of(String...)} over the
 * event's identifying content, so that the same fact seen twice (a duplicate frame, the same
 * snapshot on a queue topic and a user topic, the overlap of a channel rotation, a backfill) gets
 * the same id on every machine and in every run. The hash is FNV-1a over the UTF-16 code units of
 * each part, with a separator between parts and a distinct marker for {@code null}, finished with
 * a 64-bit avalanche mix. It is part of the stored data format: never change it.
 *
 * <pre>{@code long id = EventIds.of("detail", "customer.start", conversationId, participantId, sessionId, "1732240000000");}</pre>
 */
public final class EventIds {
    private static final long FNV_OFFSET = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;

    private EventIds() {
    }

    /** The id of an event identified by its content parts (nulls allowed, order matters). */
    public static long of(String... parts) {
        long h = FNV_OFFSET;
        for (String part : parts) {
            h = mixPart(h, part);
        }
        return finish(h);
    }

    /** The id of an event whose source gave it a string id. */
    public static long ofSourceId(String sourceId) {
        if (sourceId == null || sourceId.isEmpty()) {
            throw new IllegalArgumentException("source id must be non-empty");
        }
        return of("id", sourceId);
    }

    private static long mixPart(long h, String part) {
        if (part == null) {
            h ^= 0xFFFE;
            h *= FNV_PRIME;
        } else {
            for (int i = 0, n = part.length(); i < n; i++) {
                h ^= part.charAt(i);
                h *= FNV_PRIME;
            }
        }
        h ^= 0xFFFF; // part separator: ("ab","c") and ("a","bc") differ
        return h * FNV_PRIME;
    }

    /** Murmur3's fmix64: spreads FNV's weak high bits so shard and slot selection by id is even. */
    static long finish(long h) {
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h;
    }
}
