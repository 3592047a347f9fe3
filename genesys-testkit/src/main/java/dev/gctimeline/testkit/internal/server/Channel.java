package dev.gctimeline.testkit.internal.server;

import java.util.LinkedHashSet;

/** One notification channel. Every field is guarded by the {@link ChannelRegistry}'s monitor. */
final class Channel {
    final String id;
    final String clientId;
    /** Creation order across the simulator: seeds the channel's sockets' fault generators. */
    final int ordinal;
    final LinkedHashSet<String> topics = new LinkedHashSet<>();
    long expiresAtMillis;
    /** Registry tick of the last create, subscribe or connect: "oldest last used" picks the victim. */
    long lastUsedTick;
    WsConnection socket;
    /** Sockets ever attached, to seed each new one's fault generator differently. */
    int socketsAttached;
    boolean removed;

    Channel(String id, String clientId, int ordinal, long expiresAtMillis, long tick) {
        this.id = id;
        this.clientId = clientId;
        this.ordinal = ordinal;
        this.expiresAtMillis = expiresAtMillis;
        this.lastUsedTick = tick;
    }
}
