package dev.gctimeline.testkit.internal.server;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.regex.Pattern;

/**
 * The channels of every client and their subscriptions, with Genesys Cloud's documented rules:
 * 20 channels per client (a 21st replaces the least recently used, idle ones first), 1,000 topics
 * per channel (more is a 400), one socket per channel, expiry extended by resubscribing.
 * Thread-safe: every method holds the registry's monitor; sockets are closed by the caller, outside
 * it, because a close may block on a slow peer.
 */
final class ChannelRegistry {
    static final int MAX_CHANNELS_PER_CLIENT = 20;
    static final int MAX_TOPICS_PER_CHANNEL = 1000;
    static final int MAX_TOPIC_LENGTH = 200;
    private static final Pattern TOPIC = Pattern.compile("v2\\.[A-Za-z0-9_.\\-]+");

    /** A channel and its socket at one moment (the socket may be null). */
    record Target(Channel channel, WsConnection socket) {
    }

    /** A created channel and the one it replaced (null if the client was under its limit). */
    record Created(Channel channel, Channel replaced, WsConnection replacedSocket) {
    }

    /** The answer to a subscription call: HTTP status, Genesys error code and message, resulting topics. */
    record SubscriptionResult(int status, String code, String message, List<String> topics) {
        static SubscriptionResult ok(Set<String> topics) {
            return new SubscriptionResult(200, null, null, List.copyOf(topics));
        }

        static SubscriptionResult error(int status, String code, String message) {
            return new SubscriptionResult(status, code, message, List.of());
        }
    }

    enum Mode { REPLACE, ADD, REMOVE_ALL }

    private final Engine engine;
    private final LinkedHashMap<String, Channel> channels = new LinkedHashMap<>();
    private final SplittableRandom idRandom;
    private int ordinals;
    private long tick;

    ChannelRegistry(Engine engine, long seed) {
        this.engine = engine;
        this.idRandom = new SplittableRandom(seed ^ 0x6368616E6E656CL);
    }

    synchronized Created create(String clientId) {
        long now = engine.clock().millis();
        sweepLocked(now);
        List<Channel> own = new ArrayList<>();
        for (Channel c : channels.values()) {
            if (c.clientId.equals(clientId)) {
                own.add(c);
            }
        }
        Channel victim = null;
        WsConnection victimSocket = null;
        if (own.size() >= MAX_CHANNELS_PER_CLIENT) {
            for (Channel c : own) {
                boolean idle = c.socket == null;
                boolean victimIdle = victim != null && victim.socket == null;
                if (victim == null || (idle && !victimIdle) || (idle == victimIdle && c.lastUsedTick < victim.lastUsedTick)) {
                    victim = c;
                }
            }
            victimSocket = victim.socket;
            removeLocked(victim);
            engine.counters().channelsReplaced.increment();
        }
        String id = "streaming-" + Integer.toString(ordinals, 36) + "-" + hex(idRandom.nextLong()) + hex(idRandom.nextLong());
        Channel ch = new Channel(id, clientId, ordinals++, now + engine.config().channelLifetime().toMillis(), ++tick);
        channels.put(id, ch);
        engine.counters().channelsCreated.increment();
        return new Created(ch, victim, victimSocket);
    }

    /** The channel if it exists and has not expired; an expired one is removed on the way. */
    synchronized Channel live(String id) {
        sweepLocked(engine.clock().millis());
        return channels.get(id);
    }

    /** Channels of a client, live ones, creation order. */
    synchronized List<Channel> channelsOf(String clientId) {
        sweepLocked(engine.clock().millis());
        List<Channel> out = new ArrayList<>();
        for (Channel c : channels.values()) {
            if (c.clientId.equals(clientId)) {
                out.add(c);
            }
        }
        return out;
    }

    synchronized List<String> ids() {
        sweepLocked(engine.clock().millis());
        return List.copyOf(channels.keySet());
    }

    synchronized Set<String> topics(String id) {
        Channel c = live(id);
        return c == null ? Set.of() : Set.copyOf(c.topics);
    }

    synchronized WsConnection socketOf(String id) {
        Channel c = live(id);
        return c == null ? null : c.socket;
    }

    synchronized SubscriptionResult subscribe(String channelId, String clientId, Mode mode, List<String> requested,
                                              boolean ignoreErrors) {
        Channel ch = live(channelId);
        if (ch == null || !ch.clientId.equals(clientId)) {
            return SubscriptionResult.error(404, "not.found", "channel " + channelId + " not found");
        }
        ch.lastUsedTick = ++tick;
        if (mode == Mode.REMOVE_ALL) {
            ch.topics.clear();
            return SubscriptionResult.ok(ch.topics);
        }
        LinkedHashSet<String> accepted = new LinkedHashSet<>();
        for (String given : requested) {
            List<String> expanded = expand(given);
            if (expanded == null) {
                if (ignoreErrors) {
                    continue;
                }
                return SubscriptionResult.error(400, "bad.request", "invalid topic '" + given + "'");
            }
            boolean forbidden = false;
            for (String t : expanded) {
                for (String prefix : engine.config().forbiddenTopicPrefixes()) {
                    if (t.startsWith(prefix)) {
                        forbidden = true;
                    }
                }
            }
            if (forbidden) {
                if (ignoreErrors) {
                    continue;
                }
                return SubscriptionResult.error(403, "missing.permissions", "not permitted to subscribe to '" + given + "'");
            }
            accepted.addAll(expanded);
        }
        LinkedHashSet<String> next = new LinkedHashSet<>();
        if (mode == Mode.ADD) {
            next.addAll(ch.topics);
        }
        next.addAll(accepted);
        if (next.size() > MAX_TOPICS_PER_CHANNEL) {
            return SubscriptionResult.error(400, "bad.request", "a channel may subscribe to at most "
                    + MAX_TOPICS_PER_CHANNEL + " topics; this request would make " + next.size());
        }
        ch.topics.clear();
        ch.topics.addAll(next);
        // Genesys: a channel lives 24 h and resubscribing extends it.
        ch.expiresAtMillis = engine.clock().millis() + engine.config().channelLifetime().toMillis();
        return SubscriptionResult.ok(ch.topics);
    }

    /**
     * A topic as given, expanded: {@code v2.users.{id}?presence&routingStatus} becomes
     * {@code v2.users.{id}.presence} and {@code v2.users.{id}.routingStatus}. Null when invalid.
     */
    static List<String> expand(String given) {
        if (given == null || given.isEmpty() || given.length() > MAX_TOPIC_LENGTH) {
            return null;
        }
        int q = given.indexOf('?');
        List<String> out = new ArrayList<>(2);
        if (q < 0) {
            out.add(given);
        } else {
            String base = given.substring(0, q);
            for (String suffix : given.substring(q + 1).split("&", -1)) {
                if (suffix.isEmpty()) {
                    return null;
                }
                out.add(base + "." + suffix);
            }
        }
        for (String t : out) {
            if (!TOPIC.matcher(t).matches() || t.endsWith(".") || t.contains("..")) {
                return null;
            }
        }
        return out;
    }

    /** Every live channel that subscribes {@code topic}, with its socket at this moment. */
    synchronized List<Target> targets(String topic) {
        List<Target> out = new ArrayList<>(2);
        for (Channel c : channels.values()) {
            if (c.topics.contains(topic)) {
                out.add(new Target(c, c.socket));
            }
        }
        return out;
    }

    /** Clears a channel's subscriptions (no_longer_subscribed); true if it exists. */
    synchronized boolean unsubscribeAll(String channelId) {
        Channel c = live(channelId);
        if (c == null) {
            return false;
        }
        c.topics.clear();
        return true;
    }

    /**
     * Attaches a new socket to a live channel; returns the socket it displaces (one socket per
     * channel: the second connection drops the first), or null. Refuses (returns the new socket
     * itself) when the channel is gone.
     */
    synchronized WsConnection attach(Channel ch, WsConnection socket) {
        if (ch.removed) {
            return socket;
        }
        WsConnection previous = ch.socket;
        ch.socket = socket;
        ch.lastUsedTick = ++tick;
        return previous;
    }

    /** Socket ordinal on this channel, for its fault generator's seed. */
    synchronized int nextSocketOrdinal(Channel ch) {
        return ch.socketsAttached++;
    }

    synchronized void detach(Channel ch, WsConnection socket) {
        if (ch.socket == socket) {
            ch.socket = null;
            ch.lastUsedTick = ++tick;
        }
    }

    /** Removes expired channels and closes their sockets (on a timer thread). */
    synchronized void sweepExpired() {
        sweepLocked(engine.clock().millis());
    }

    private void sweepLocked(long now) {
        List<WsConnection> sockets = null;
        for (Iterator<Channel> it = channels.values().iterator(); it.hasNext(); ) {
            Channel c = it.next();
            if (c.expiresAtMillis <= now) {
                it.remove();
                c.removed = true;
                engine.counters().channelsExpired.increment();
                if (c.socket != null) {
                    if (sockets == null) {
                        sockets = new ArrayList<>(1);
                    }
                    sockets.add(c.socket);
                    c.socket = null;
                }
            }
        }
        if (sockets != null) {
            // Close outside this monitor: a close may wait on the peer.
            List<WsConnection> toClose = sockets;
            engine.timers().execute(() -> toClose.forEach(s -> s.closeGracefully(1001, "channel expired")));
        }
    }

    private void removeLocked(Channel c) {
        channels.remove(c.id);
        c.removed = true;
        c.socket = null;
    }

    private static String hex(long v) {
        String s = Long.toHexString(v).toLowerCase(Locale.ROOT);
        return "0".repeat(16 - s.length()) + s;
    }
}
