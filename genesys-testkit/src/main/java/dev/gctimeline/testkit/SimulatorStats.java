package dev.gctimeline.testkit;

/**
 * A snapshot of the simulator's counters: every request served, every message sent and every fault
 * injected, so a test can reconcile what its client saw with what the server did.
 *
 * <pre>{@code SimulatorStats s = sim.stats(); assertEquals(s.duplicatesScheduled(), myClient.duplicatesDropped());}</pre>
 *
 * @param tokensIssued             access tokens issued by {@code POST /oauth/token}
 * @param tokenRequestsRejected    token requests refused for bad credentials or grant type
 * @param tokenFailuresInjected    token requests failed on purpose ({@code failNextTokenRequests})
 * @param apiCalls                 REST calls under {@code /api/v2} (whatever their answer)
 * @param apiUnauthorized          API calls answered 401 (no, expired or revoked token)
 * @param rateLimited              API calls answered 429 by a fault or {@code rateLimitNextApiCalls}
 * @param channelsCreated          channels created
 * @param channelsReplaced         channels removed to make room for a 21st
 * @param channelsExpired          channels that reached their expiry
 * @param socketsOpened            WebSocket handshakes accepted (channels and seed shapes)
 * @param socketsRejected          WebSocket handshakes refused (unknown channel, bad token, bad request)
 * @param socketsReplaced          sockets closed because a second one connected to the same channel
 * @param socketsDropped           sockets closed abruptly after a whole message (fault or {@code dropSocket})
 * @param socketsDroppedMidFrame   sockets closed abruptly in the middle of a frame (fault)
 * @param documentsTruncated       of those, the drops that cut the message after at least one byte of
 *                                 its document (the client holds an unfinished document when its socket
 *                                 dies; a cut inside the first frame header leaves it nothing)
 * @param abruptClosesAfterSplitOrCorruptWrite sockets closed without a close handshake right after a
 *                                 write whose loss in flight changes a client's rejection count by one (an
 *                                 unsplit malformed or oversize message, a document cut off inside its first
 *                                 frame, the last part of a document in several frames or messages): a
 *                                 client that loses the message in flight at an abrupt close (the JDK's
 *                                 WebSocket client does) counts one rejection more or fewer for each
 * @param socketsClosedAfterNotice sockets closed at the end of a socket_closing delay
 * @param messagesSent             WebSocket text messages written (everything: notifications, system, faults)
 * @param notificationsDelivered   delivery-log entries {@link Delivery.Outcome#DELIVERED}
 * @param notificationsNoSocket    delivery-log entries {@link Delivery.Outcome#NO_SOCKET}
 * @param notificationsLost        delivery-log entries {@link Delivery.Outcome#LOST}
 * @param unroutable               scheduled notifications with no topic on the channel route (never sent)
 * @param messagesFragmented       text messages sent as more than one frame
 * @param continuationFrames       continuation frames sent (frames beyond the first of a message)
 * @param documentsSplit           documents (or envelopes) split across several messages
 * @param documentsBatched         seed-shape messages carrying more than one document
 * @param duplicatesScheduled      extra copies scheduled
 * @param reorderedScheduled       notifications held back in the schedule
 * @param tokenExpiriesInjected    times every issued token was made invalid (fault or {@code expireTokens})
 * @param malformedSent            malformed JSON messages sent
 * @param oversizeSent             oversize messages sent
 * @param socketClosingNotices     {@code v2.system.socket_closing} notices sent
 * @param noLongerSubscribedSent   {@code v2.system.no_longer_subscribed} notices sent
 * @param tokenRevokedSent         {@code v2.system.token_revoked} notices sent
 * @param heartbeatsSent           heartbeats sent
 * @param heartbeatsMissed         heartbeat ticks skipped by the fault
 * @param pongsSent                pong envelopes sent in answer to a client {@code {"message":"ping"}}
 * @param clientMessagesRejected   client messages refused (unmasked, bad UTF-8, too large, protocol errors)
 */
public record SimulatorStats(
        long tokensIssued, long tokenRequestsRejected, long tokenFailuresInjected,
        long apiCalls, long apiUnauthorized, long rateLimited,
        long channelsCreated, long channelsReplaced, long channelsExpired,
        long socketsOpened, long socketsRejected, long socketsReplaced, long socketsDropped,
        long socketsDroppedMidFrame, long documentsTruncated, long abruptClosesAfterSplitOrCorruptWrite,
        long socketsClosedAfterNotice,
        long messagesSent, long notificationsDelivered, long notificationsNoSocket, long notificationsLost,
        long unroutable,
        long messagesFragmented, long continuationFrames, long documentsSplit, long documentsBatched,
        long duplicatesScheduled, long reorderedScheduled, long tokenExpiriesInjected,
        long malformedSent, long oversizeSent,
        long socketClosingNotices, long noLongerSubscribedSent, long tokenRevokedSent,
        long heartbeatsSent, long heartbeatsMissed, long pongsSent, long clientMessagesRejected) {
}
