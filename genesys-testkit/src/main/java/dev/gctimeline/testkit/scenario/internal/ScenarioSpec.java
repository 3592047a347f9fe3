package dev.gctimeline.testkit.scenario.internal;

import java.util.List;

/**
 * Everything a scenario is generated from; the public builder fills it in. Media weights are in
 * {@link Media} declaration order (voice, callback, chat, message), already zeroed for switched-off media.
 */
public record ScenarioSpec(long seed, int conversations, double arrivalRatePerSecond, long startMillis,
                           List<String> queueIds, List<String> agentUserIds, int[] mediaWeights,
                           boolean transcripts, boolean attributes, boolean consultTransfers,
                           boolean blindTransfers, double snapshotRepeatRate, String organizationId) {
}
