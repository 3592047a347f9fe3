package dev.gctimeline.core;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * A snapshot of a {@link TimelinePipeline}'s counters, all cumulative since it was built except
 * {@code liveConversations} and {@code queued}, which are levels. Plain getters, so any metrics
 * system can export them. Counters are read one after another while the pipeline runs, so a
 * snapshot is consistent per counter, not across counters.
 *
 * <pre>{@code PipelineMetrics m = pipeline.metrics(); gauge("stored", m.stored()); gauge("dups", m.duplicates());}</pre>
 *
 * @param received           events the shards took off their rings (duplicates included)
 * @param duplicates         events dropped by the deduplicator as repeats
 * @param rejected           source rejections, all reasons
 * @param rejectedByReason   source rejections per reason (every reason present, 0 if none)
 * @param late               events of conversations already completed (stored, not folded)
 * @param stored             events the store accepted
 * @param storeRetries       store calls retried after a retryable failure
 * @param storeFailures      store calls that failed for good (event batches and completed states)
 * @param storeFailedEvents  events in batches that failed for good (abandoned ones included)
 * @param storeAbandonedEvents events never sent to the store because {@link TimelinePipeline#close(java.time.Duration)}'s
 *                           deadline passed while it was failing (reported to the store listener)
 * @param backpressurePauses offers refused because a ring was full, plus publishes that had to wait
 * @param writerStalls       times a shard waited for the store writer's queue
 * @param queued             events waiting in the rings now
 * @param liveConversations  conversations being reconstructed now
 * @param completed          conversations completed
 * @param evicted            conversations evicted before completing (idle, capacity, shutdown)
 * @param errors             unexpected failures while processing an event (logged; the event was still stored)
 */
public record PipelineMetrics(
        long received,
        long duplicates,
        long rejected,
        Map<RejectReason, Long> rejectedByReason,
        long late,
        long stored,
        long storeRetries,
        long storeFailures,
        long storeFailedEvents,
        long storeAbandonedEvents,
        long backpressurePauses,
        long writerStalls,
        long queued,
        long liveConversations,
        long completed,
        long evicted,
        long errors) {

    public PipelineMetrics {
        EnumMap<RejectReason, Long> all = new EnumMap<>(RejectReason.class);
        for (RejectReason r : RejectReason.values()) {
            all.put(r, rejectedByReason.getOrDefault(r, 0L));
        }
        rejectedByReason = Collections.unmodifiableMap(all);
    }

    /** Source rejections for {@code reason}. */
    public long rejected(RejectReason reason) {
        return rejectedByReason.get(reason);
    }
}
