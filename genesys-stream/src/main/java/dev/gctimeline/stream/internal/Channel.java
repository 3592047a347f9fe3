package dev.gctimeline.stream.internal;

import java.net.URI;
import java.time.Instant;

/**
 * A notification channel as the API created it. The id is a bearer secret (whoever knows it can
 * connect), so {@link #toString()} shows only a prefix.
 *
 * @param id         the channel id
 * @param connectUri the WebSocket URI to connect to
 * @param expires    when the channel expires unless resubscribed, or null if the API did not say
 */
public record Channel(String id, URI connectUri, Instant expires) {

    /** A log-safe form of a channel id: its first characters only. */
    public static String redact(String channelId) {
        if (channelId == null) {
            return "null";
        }
        int keep = Math.min(channelId.length(), 14);
        return channelId.substring(0, keep) + (keep < channelId.length() ? "…" : "");
    }

    @Override
    public String toString() {
        return "Channel[" + redact(id) + ", expires " + expires + "]";
    }
}
