package dev.gctimeline.store.influx;

/**
 * One line InfluxDB refused, and the event it carried.
 *
 * <pre>{@code listener = (w) -> w.lines().forEach(l -> log.warn("{} {}: {}", l.conversationId(), l.eventId(), l.error()));}</pre>
 *
 * @param lineNumber     1-based line number inside the request the server refused it in
 * @param conversationId the event's conversation (null for a summary line)
 * @param eventId        the event's id (0 for a summary line)
 * @param error          the server's reason
 */
public record RejectedLine(int lineNumber, String conversationId, long eventId, String error) {
}
