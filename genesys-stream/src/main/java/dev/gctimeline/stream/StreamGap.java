package dev.gctimeline.stream;

import java.time.Instant;

/**
 * A window in which a channel slot had no open socket, so whatever Genesys Cloud published for its
 * topics then never reached the stream. Backfill it from the analytics API.
 *
 * @param slot    the channel slot
 * @param channel the channel that was lost (redacted id)
 * @param from    the latest moment the server is known to have been alive on the old socket: the send
 *                time of the last ping it answered (or when that socket began connecting). Not the
 *                last message's arrival, which may have waited in buffers long after it was written
 * @param to      when the new socket was open on the old channel (which kept its subscriptions), or,
 *                when the channel was gone or rotated away from, when the new channel's
 *                subscriptions were set
 * @param cause   what ended the old socket; when the JDK WebSocket client ended it with an internal
 *                error and discarded the message part it had received last, it says so (and
 *                {@link StreamMetrics#lostAtEnd()} counts it): that part lies in this gap too
 */
public record StreamGap(int slot, String channel, Instant from, Instant to, String cause) {
}
