package dev.gctimeline.testkit.scenario.internal;

/**
 * How a session ended, in the three casings Genesys uses: detail events {@code CLIENT},
 * snapshots {@code client} / {@code transfer.consult}, analytics {@code client} / {@code transferConsult}.
 */
public enum Disconnect {
    ENDPOINT("ENDPOINT", "endpoint", "endpoint"),
    CLIENT("CLIENT", "client", "client"),
    SYSTEM("SYSTEM", "system", "system"),
    PEER("PEER", "peer", "peer"),
    TRANSFER("TRANSFER", "transfer", "transfer"),
    TRANSFER_CONSULT("TRANSFER_CONSULT", "transfer.consult", "transferConsult");

    public final String detail;
    public final String snapshot;
    public final String analytics;

    Disconnect(String detail, String snapshot, String analytics) {
        this.detail = detail;
        this.snapshot = snapshot;
        this.analytics = analytics;
    }
}
