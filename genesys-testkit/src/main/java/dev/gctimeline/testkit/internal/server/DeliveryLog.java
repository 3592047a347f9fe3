package dev.gctimeline.testkit.internal.server;

import dev.gctimeline.testkit.Delivery;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every publication's outcome per channel, in the order recorded, up to the configured limit (the
 * oldest entries go first past it, and {@link #truncated()} says so). Thread-safe (monitor); the
 * publisher is its only writer, tests read copies.
 */
public final class DeliveryLog {
    private final Engine engine;
    private final ArrayDeque<Delivery> entries = new ArrayDeque<>();
    private final int limit;
    private long recorded;
    private final Map<Long, Long> abruptCloses = new LinkedHashMap<>();

    DeliveryLog(Engine engine) {
        this.engine = engine;
        this.limit = engine.config().deliveryLogLimit();
    }

    void record(String channelId, long connectionId, Delivery.Route route, int index, boolean duplicate,
                Delivery.Outcome outcome) {
        long at = engine.clock().millis();
        synchronized (this) {
            if (entries.size() == limit) {
                entries.pollFirst();
            }
            entries.addLast(new Delivery(recorded++, channelId, connectionId, route, index, duplicate, at, outcome));
        }
        switch (outcome) {
            case DELIVERED -> engine.counters().notificationsDelivered.increment();
            case NO_SOCKET -> engine.counters().notificationsNoSocket.increment();
            case LOST -> engine.counters().notificationsLost.increment();
        }
    }

    void abruptClose(long connectionId) {
        long at = engine.clock().millis();
        synchronized (this) {
            abruptCloses.putIfAbsent(connectionId, at);
        }
    }

    /** Connections closed without a close handshake, with the clock's time then; insertion order. */
    public synchronized Map<Long, Long> abruptCloses() {
        return Collections.unmodifiableMap(new LinkedHashMap<>(abruptCloses));
    }

    /** True once entries were let go to stay within the limit: the log no longer holds every publication. */
    public synchronized boolean truncated() {
        return recorded > entries.size();
    }

    /** Entries recorded since the start, including those let go. */
    public synchronized long recorded() {
        return recorded;
    }

    public synchronized List<Delivery> all() {
        return List.copyOf(entries);
    }

    public synchronized List<Delivery> forChannel(String channelId) {
        List<Delivery> out = new ArrayList<>();
        for (Delivery d : entries) {
            if (d.channelId().equals(channelId)) {
                out.add(d);
            }
        }
        return List.copyOf(out);
    }
}
