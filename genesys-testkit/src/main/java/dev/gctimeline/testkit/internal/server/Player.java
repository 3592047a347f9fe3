package dev.gctimeline.testkit.internal.server;

import dev.gctimeline.testkit.Delivery;
import dev.gctimeline.testkit.Notification;
import dev.gctimeline.testkit.ScenarioFeed;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * Publishes the schedule, one slot at a time, in order. {@link #step()} publishes the next slot;
 * {@link #play(double)} publishes the rest, as fast as the sockets take it (infinite speed: each
 * write blocks while the client does not read) or paced by the scenario's send times divided by
 * the speed. Steps are serialised: the schedule is one sequence whoever drives it.
 */
public final class Player {
    private final Engine engine;
    private volatile ScenarioFeed feed;
    // Written under the monitor, read without it: a reader must never wait behind a publisher that
    // is blocked writing to a client that does not read.
    private volatile List<Notification> channelList = List.of();
    private volatile List<Notification> shapeA = List.of();
    private volatile List<Notification> shapeB = List.of();
    private volatile List<Schedule.Slot> slots = List.of();
    private volatile int cursor;

    Player(Engine engine) {
        this.engine = engine;
    }

    /** Replaces what is played and rewinds to the start. */
    public synchronized void load(ScenarioFeed feed, List<Notification> analyticsStream, List<Notification> streamingEvents) {
        this.feed = feed;
        this.channelList = feed == null ? List.of() : List.copyOf(feed.notifications());
        this.shapeA = List.copyOf(analyticsStream);
        this.shapeB = List.copyOf(streamingEvents);
        Schedule.Built built = Schedule.build(channelList, shapeA, shapeB, engine.config().faults());
        this.slots = built.slots();
        this.cursor = 0;
        engine.counters().duplicatesScheduled.add(built.duplicates());
        engine.counters().reorderedScheduled.add(built.reordered());
    }

    public ScenarioFeed feed() {
        return feed;
    }

    /** The list a route's delivery indices point into. */
    public List<Notification> list(Delivery.Route route) {
        return switch (route) {
            case CHANNEL -> channelList;
            case ANALYTICS_STREAM -> shapeA;
            case STREAMING_EVENTS -> shapeB;
        };
    }

    public int size() {
        return slots.size();
    }

    public int position() {
        return cursor;
    }

    /** Scenario time the next slot is due at, or Long.MAX_VALUE when the schedule is done. */
    public long nextDueMillis() {
        List<Schedule.Slot> s = slots;
        int c = cursor;
        return c < s.size() ? s.get(c).paceAtMillis() : Long.MAX_VALUE;
    }

    /** Publishes the next slot; false when the schedule is done (or the simulator closed). */
    public synchronized boolean step() {
        if (cursor >= slots.size() || engine.isClosed()) {
            return false;
        }
        publish(slots.get(cursor++));
        return true;
    }

    /** Publishes every slot due at or before {@code scenarioMillis}; returns how many. */
    public synchronized int publishUntil(long scenarioMillis) {
        int n = 0;
        while (cursor < slots.size() && slots.get(cursor).paceAtMillis() <= scenarioMillis && step()) {
            n++;
        }
        return n;
    }

    /**
     * Publishes the rest of the schedule. {@code speed} is scenario time per real time
     * ({@code Double.POSITIVE_INFINITY}: no pacing at all). Returns when done, closed or interrupted.
     */
    public void play(double speed) {
        if (!(speed > 0)) {
            throw new IllegalArgumentException("speed must be positive, was " + speed);
        }
        long startNanos = System.nanoTime();
        long startScenario = nextDueMillis();
        while (!Thread.currentThread().isInterrupted()) {
            long due = nextDueMillis();
            if (due == Long.MAX_VALUE) {
                return;
            }
            if (!Double.isInfinite(speed)) {
                long targetNanos = startNanos + (long) ((due - startScenario) * 1_000_000.0 / speed);
                long wait;
                while ((wait = targetNanos - System.nanoTime()) > 0 && !engine.isClosed()) {
                    LockSupport.parkNanos(Math.min(wait, 50_000_000L));
                    if (Thread.currentThread().isInterrupted()) {
                        return;
                    }
                }
            }
            if (!step()) {
                return;
            }
        }
    }

    private void publish(Schedule.Slot slot) {
        if (slot.expireTokens()) {
            engine.expireTokens();
        }
        engine.channels().sweepExpired();
        DeliveryLog log = engine.log();
        if (slot.route() == Delivery.Route.CHANNEL) {
            int index = slot.indices()[0];
            Notification n = channelList.get(index);
            if (n.topicName() == null) {
                engine.counters().unroutable.increment();
                return;
            }
            List<byte[]> doc = List.of(n.json().getBytes(StandardCharsets.UTF_8));
            for (ChannelRegistry.Target t : engine.channels().targets(n.topicName())) {
                if (t.socket() == null) {
                    log.record(t.channel().id, -1, slot.route(), index, slot.duplicate(), Delivery.Outcome.NO_SOCKET);
                } else {
                    Delivery.Outcome o = t.socket().deliver(slot.route(), doc, n.topicName());
                    log.record(t.channel().id, o == Delivery.Outcome.NO_SOCKET ? -1 : t.socket().id, slot.route(), index,
                            slot.duplicate(), o);
                }
            }
            return;
        }
        List<Notification> list = slot.route() == Delivery.Route.ANALYTICS_STREAM ? shapeA : shapeB;
        String pseudoChannel = slot.route() == Delivery.Route.ANALYTICS_STREAM
                ? Engine.ANALYTICS_STREAM_CHANNEL : Engine.STREAMING_EVENTS_CHANNEL;
        List<byte[]> docs = new ArrayList<>(slot.indices().length);
        String conversationId = null;
        for (int index : slot.indices()) {
            Notification n = list.get(index);
            docs.add(n.json().getBytes(StandardCharsets.UTF_8));
            if (conversationId == null) {
                conversationId = n.conversationId();
            }
        }
        List<WsConnection> targets = engine.seedTargets(slot.route());
        if (targets.isEmpty()) {
            for (int index : slot.indices()) {
                log.record(pseudoChannel, -1, slot.route(), index, slot.duplicate(), Delivery.Outcome.NO_SOCKET);
            }
            return;
        }
        for (WsConnection c : targets) {
            Delivery.Outcome o = c.deliver(slot.route(), docs, conversationId);
            for (int index : slot.indices()) {
                log.record(pseudoChannel, o == Delivery.Outcome.NO_SOCKET ? -1 : c.id, slot.route(), index, slot.duplicate(), o);
            }
        }
    }
}
