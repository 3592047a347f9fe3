package dev.gctimeline.store.influx;

import java.util.List;

/**
 * A write InfluxDB accepted only in part: the accepted points are stored, the rejected ones never
 * will be (a field type conflict, a point outside the retention policy, a line too large even
 * alone). Retrying would not help, so the store reports it instead of throwing.
 *
 * <pre>{@code InfluxTimelineStore.builder(config).listener(pw -> alert(pw.message())).build();}</pre>
 *
 * @param message the server's message (v1, v2) or a summary (v3)
 * @param dropped how many points were dropped, -1 when the server did not say
 * @param lines   the rejected lines with their events when the server names them (v3, or a single
 *                line still over the size limit after splitting); empty otherwise
 */
public record PartialWrite(String message, long dropped, List<RejectedLine> lines) {
    public PartialWrite {
        lines = List.copyOf(lines);
    }
}
