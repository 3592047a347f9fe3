package dev.gctimeline.testkit.internal.server;

import dev.gctimeline.testkit.SimulatorStats;
import java.util.concurrent.atomic.LongAdder;

/** The simulator's counters, incremented from any server thread; {@link #snapshot()} for tests. */
public final class Counters {
    final LongAdder tokensIssued = new LongAdder();
    final LongAdder tokenRequestsRejected = new LongAdder();
    final LongAdder tokenFailuresInjected = new LongAdder();
    final LongAdder apiCalls = new LongAdder();
    final LongAdder apiUnauthorized = new LongAdder();
    final LongAdder rateLimited = new LongAdder();
    final LongAdder channelsCreated = new LongAdder();
    final LongAdder channelsReplaced = new LongAdder();
    final LongAdder channelsExpired = new LongAdder();
    final LongAdder socketsOpened = new LongAdder();
    final LongAdder socketsRejected = new LongAdder();
    final LongAdder socketsReplaced = new LongAdder();
    final LongAdder socketsDropped = new LongAdder();
    final LongAdder socketsDroppedMidFrame = new LongAdder();
    final LongAdder documentsTruncated = new LongAdder();
    final LongAdder abruptClosesAfterSplitOrCorruptWrite = new LongAdder();
    final LongAdder socketsClosedAfterNotice = new LongAdder();
    final LongAdder messagesSent = new LongAdder();
    final LongAdder notificationsDelivered = new LongAdder();
    final LongAdder notificationsNoSocket = new LongAdder();
    final LongAdder notificationsLost = new LongAdder();
    final LongAdder unroutable = new LongAdder();
    final LongAdder messagesFragmented = new LongAdder();
    final LongAdder continuationFrames = new LongAdder();
    final LongAdder documentsSplit = new LongAdder();
    final LongAdder documentsBatched = new LongAdder();
    final LongAdder duplicatesScheduled = new LongAdder();
    final LongAdder reorderedScheduled = new LongAdder();
    final LongAdder tokenExpiriesInjected = new LongAdder();
    final LongAdder malformedSent = new LongAdder();
    final LongAdder oversizeSent = new LongAdder();
    final LongAdder socketClosingNotices = new LongAdder();
    final LongAdder noLongerSubscribedSent = new LongAdder();
    final LongAdder tokenRevokedSent = new LongAdder();
    final LongAdder heartbeatsSent = new LongAdder();
    final LongAdder heartbeatsMissed = new LongAdder();
    final LongAdder pongsSent = new LongAdder();
    final LongAdder clientMessagesRejected = new LongAdder();

    public SimulatorStats snapshot() {
        return new SimulatorStats(
                tokensIssued.sum(), tokenRequestsRejected.sum(), tokenFailuresInjected.sum(),
                apiCalls.sum(), apiUnauthorized.sum(), rateLimited.sum(),
                channelsCreated.sum(), channelsReplaced.sum(), channelsExpired.sum(),
                socketsOpened.sum(), socketsRejected.sum(), socketsReplaced.sum(), socketsDropped.sum(),
                socketsDroppedMidFrame.sum(), documentsTruncated.sum(), abruptClosesAfterSplitOrCorruptWrite.sum(),
                socketsClosedAfterNotice.sum(),
                messagesSent.sum(), notificationsDelivered.sum(), notificationsNoSocket.sum(), notificationsLost.sum(),
                unroutable.sum(),
                messagesFragmented.sum(), continuationFrames.sum(), documentsSplit.sum(), documentsBatched.sum(),
                duplicatesScheduled.sum(), reorderedScheduled.sum(), tokenExpiriesInjected.sum(),
                malformedSent.sum(), oversizeSent.sum(),
                socketClosingNotices.sum(), noLongerSubscribedSent.sum(), tokenRevokedSent.sum(),
                heartbeatsSent.sum(), heartbeatsMissed.sum(), pongsSent.sum(), clientMessagesRejected.sum());
    }
}
