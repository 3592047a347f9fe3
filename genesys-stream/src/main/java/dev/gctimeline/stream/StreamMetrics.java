package dev.gctimeline.stream;

/**
 * A snapshot of a {@link GenesysEventStream}'s counters, for export to any metrics system.
 *
 * @param connects           sockets opened and subscribed (first connects, reconnects and rotations)
 * @param reconnects         reconnect attempts scheduled after a drop or a failed connect
 * @param rotations          make-before-break channel rotations (socket_closing, expiry, resubscribe failure)
 * @param socketClosings     {@code v2.system.socket_closing} notices received
 * @param heartbeatTimeouts  sockets given up because they went silent
 * @param gaps               windows without a socket reported to the listener
 * @param resubscribes       subscription sets restored (no_longer_subscribed, token_revoked)
 * @param follows            conversations whose topics auto-follow subscribed
 * @param unfollows          conversations whose topics auto-follow dropped
 * @param followed           conversations followed now
 * @param subscriptionErrors subscription calls that failed (retried) or follows that found no room
 * @param pauses             times a socket stopped requesting frames because the pipeline was full
 * @param failures           terminal failures (the stream stopped)
 * @param lostAtEnd          gaps (counted in {@code gaps} too) of a socket whose end the JDK WebSocket
 *                           client reported as its own internal error, having discarded the message
 *                           part it received last: that part lies in the gap too (backfill it)
 */
public record StreamMetrics(long connects, long reconnects, long rotations, long socketClosings,
                            long heartbeatTimeouts, long gaps, long resubscribes, long follows, long unfollows,
                            long followed, long subscriptionErrors, long pauses, long failures,
                            long lostAtEnd) {
}
