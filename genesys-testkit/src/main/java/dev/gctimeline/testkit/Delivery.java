package dev.gctimeline.testkit;

/**
 * One entry of the simulator's delivery log: what became of one scheduled notification on one
 * channel (or seed-shape endpoint) at the moment it was published. Together the entries are the
 * ground truth "as seen through the subscriptions": a notification reaches a channel iff its topic
 * was subscribed there at send time, and it is logged {@link Outcome#NO_SOCKET} when the channel had
 * no open socket then (Genesys queues nothing for a closed socket).
 *
 * <pre>{@code sim.deliveries(channelId).stream().filter(d -> d.outcome() == Delivery.Outcome.NO_SOCKET).count();}</pre>
 *
 * @param sequence     position in the log (0, 1, 2, ...), the order entries were recorded in
 * @param channelId    the channel id; for seed shapes the pseudo-channel {@code "analytics-stream"} or
 *                     {@code "streaming-events"}
 * @param connectionId the socket (simulator-wide ordinal) it went to, or -1 when there was none
 * @param route        which kind of endpoint it was published on
 * @param index        index of the notification in its feed list ({@link ScenarioFeed#notifications()},
 *                     or the seed-shape list)
 * @param duplicate    true for the second, fault-injected copy of a notification
 * @param atMillis     the simulator clock when it was published
 * @param outcome      delivered, undeliverable for want of a socket, or lost in a failing socket
 */
public record Delivery(long sequence, String channelId, long connectionId, Route route, int index, boolean duplicate,
                       long atMillis, Outcome outcome) {

    /** The endpoint family a notification was published on. */
    public enum Route {
        /** A notifications channel ({@code ws://.../channels/{id}}), filtered by its subscriptions. */
        CHANNEL,
        /** Seed shape A, {@code /api/v2/analytics/conversations/details/stream}. */
        ANALYTICS_STREAM,
        /** Seed shape B, {@code /api/v2/streaming/events}, once the client sent its subscribe message. */
        STREAMING_EVENTS
    }

    /** What became of the notification on that channel. */
    public enum Outcome {
        /** Every byte of the message was written to the socket. */
        DELIVERED,
        /** Subscribed, but no socket was open at send time: lost to the stream, as on Genesys. */
        NO_SOCKET,
        /** The socket failed or was dropped (a fault) while the message was being written. */
        LOST
    }
}
