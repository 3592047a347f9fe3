package dev.gctimeline.stream;

import java.time.Instant;

/**
 * A window in which a channel slot had no open socket, so whatever Genesys Cloud published for its
 * topics then never reached the stream. Backfill it from the analytics API.
 *
 * @param slot    the channel slot
 * @param channel the channel that was lost (redacted id)
 * @param from    the last moment the old socket was known alive (its last message)
 * @param to      when the new socket was open and subscribed
 * @param cause   what ended the old socket
 */
public record StreamGap(int slot, String channel, Instant from, Instant to, String cause) {
}
