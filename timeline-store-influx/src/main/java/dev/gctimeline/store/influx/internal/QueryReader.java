package dev.gctimeline.store.influx.internal;

import dev.gctimeline.core.ConversationSummary;
import dev.gctimeline.core.TimelineEvent;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The read side of one query language (InfluxQL, Flux, SQL). Implementations put user values into
 * queries only as bound parameters or escaped literals, after {@link EventCodec#conversationIdProblem}
 * accepted them; numbers and times are formatted by this code, never taken from text.
 */
public interface QueryReader {

    /** Every stored event of a (validated) conversation, in no particular order. */
    List<TimelineEvent> events(String conversationId);

    /**
     * Conversations with at least one event in [fromMillis, toMillis): the {@code limit} whose latest
     * event inside the window is most recent (ties by id), each summarised over all its stored
     * events, in that order.
     */
    List<ConversationSummary> conversations(long fromMillis, long toMillis, int limit);

    /** ms to ns, saturated to InfluxDB's time range. */
    static long toNanos(long millis) {
        if (millis <= EventCodec.MIN_EVENT_TIME) {
            return EventCodec.MIN_TIMESTAMP;
        }
        if (millis >= EventCodec.MAX_EVENT_TIME) {
            return EventCodec.MAX_TIMESTAMP;
        }
        return millis * EventCodec.NANOS_PER_MILLI;
    }

    /** RFC 3339 with nanoseconds, UTC. */
    static String rfc3339(long nanos) {
        return Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L)).toString();
    }

    /** The {@code limit} ids whose in-window latest time is highest, ties by id. */
    static List<String> mostRecent(Map<String, Long> lastInWindow, int limit) {
        List<Map.Entry<String, Long>> all = new ArrayList<>(lastInWindow.entrySet());
        all.sort(Comparator.<Map.Entry<String, Long>>comparingLong(Map.Entry::getValue).reversed()
                .thenComparing(Map.Entry::getKey));
        List<String> ids = new ArrayList<>(Math.min(limit, all.size()));
        for (int i = 0; i < all.size() && i < limit; i++) {
            ids.add(all.get(i).getKey());
        }
        return ids;
    }

    /** Summaries for {@code ids} in that order from whole-conversation first/last (ns) and counts. */
    static List<ConversationSummary> summaries(List<String> ids, Map<String, Long> first, Map<String, Long> last,
                                               Map<String, Long> count) {
        List<ConversationSummary> out = new ArrayList<>(ids.size());
        for (String id : ids) {
            Long f = first.get(id);
            Long l = last.get(id);
            Long n = count.get(id);
            if (f == null || l == null || n == null) {
                continue; // deleted between the two queries
            }
            out.add(new ConversationSummary(id, Math.floorDiv(f, EventCodec.NANOS_PER_MILLI),
                    Math.floorDiv(l, EventCodec.NANOS_PER_MILLI), n));
        }
        return out;
    }
}
