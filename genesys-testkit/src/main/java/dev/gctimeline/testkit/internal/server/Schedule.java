package dev.gctimeline.testkit.internal.server;

import dev.gctimeline.testkit.Delivery;
import dev.gctimeline.testkit.Faults;
import dev.gctimeline.testkit.Notification;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.SplittableRandom;

/**
 * The order in which the simulator publishes: the feed's notifications and the two seed-shape
 * lists merged by send time (stable), with the schedule-level faults applied once, from the seed:
 * duplicates and reordering within a window, seed-shape documents batched together, token expiry
 * before a slot. Every socket sees the same schedule, filtered by what it subscribed.
 */
final class Schedule {

    /**
     * One publication.
     *
     * @param route        where it goes
     * @param indices      index (or, batched, indices) into the route's list
     * @param duplicate    the extra copy of a notification
     * @param expireTokens invalidate every token just before publishing
     * @param paceAtMillis scenario time this slot is due (monotonic over the schedule)
     */
    record Slot(Delivery.Route route, int[] indices, boolean duplicate, boolean expireTokens, long paceAtMillis) {
    }

    record Built(List<Slot> slots, int duplicates, int reordered) {
    }

    private record Item(Delivery.Route route, int index, long sendAt, long order) {
    }

    private record Held(long releaseAfter, long seq, Item item, boolean duplicate) {
    }

    private Schedule() {
    }

    static Built build(List<Notification> channel, List<Notification> shapeA, List<Notification> shapeB, Faults faults) {
        List<Item> items = new ArrayList<>(channel.size() + shapeA.size() + shapeB.size());
        long order = 0;
        order = addAll(items, Delivery.Route.CHANNEL, channel, order);
        order = addAll(items, Delivery.Route.ANALYTICS_STREAM, shapeA, order);
        addAll(items, Delivery.Route.STREAMING_EVENTS, shapeB, order);
        items.sort(Comparator.comparingLong(Item::sendAt).thenComparingLong(Item::order));

        SplittableRandom rng = new SplittableRandom(WireFaults.mix(faults.seed() ^ 0x7363686564L));
        int window = faults.reorderWindow();
        List<Held> emitted = new ArrayList<>(items.size());
        PriorityQueue<Held> held = new PriorityQueue<>(Comparator.comparingLong(Held::releaseAfter).thenComparingLong(Held::seq));
        long seq = 0;
        int duplicates = 0;
        int reordered = 0;
        for (int i = 0; i < items.size(); i++) {
            Item item = items.get(i);
            if (faults.reorder() > 0 && rng.nextDouble() < faults.reorder()) {
                held.add(new Held(i + 1 + rng.nextInt(window), seq++, item, false));
                reordered++;
            } else {
                emitted.add(new Held(i, seq++, item, false));
            }
            if (faults.duplicate() > 0 && rng.nextDouble() < faults.duplicate()) {
                held.add(new Held(i + rng.nextInt(window + 1), seq++, item, true));
                duplicates++;
            }
            while (!held.isEmpty() && held.peek().releaseAfter() <= i) {
                emitted.add(held.poll());
            }
        }
        while (!held.isEmpty()) {
            emitted.add(held.poll());
        }

        List<Slot> slots = new ArrayList<>(emitted.size());
        long pace = Long.MIN_VALUE;
        for (int i = 0; i < emitted.size(); i++) {
            Held h = emitted.get(i);
            Item item = h.item();
            pace = Math.max(pace, item.sendAt());
            int[] indices = {item.index()};
            if (item.route() != Delivery.Route.CHANNEL && !h.duplicate()
                    && faults.documentBatch() > 0 && rng.nextDouble() < faults.documentBatch()) {
                int extra = 1 + rng.nextInt(2);
                List<Integer> more = new ArrayList<>();
                while (more.size() < extra && i + 1 < emitted.size()
                        && emitted.get(i + 1).item().route() == item.route() && !emitted.get(i + 1).duplicate()) {
                    i++;
                    more.add(emitted.get(i).item().index());
                    pace = Math.max(pace, emitted.get(i).item().sendAt());
                }
                if (!more.isEmpty()) {
                    indices = new int[1 + more.size()];
                    indices[0] = item.index();
                    for (int k = 0; k < more.size(); k++) {
                        indices[k + 1] = more.get(k);
                    }
                }
            }
            boolean expire = faults.tokenExpiry() > 0 && rng.nextDouble() < faults.tokenExpiry();
            slots.add(new Slot(item.route(), indices, h.duplicate(), expire, pace));
        }
        return new Built(List.copyOf(slots), duplicates, reordered);
    }

    private static long addAll(List<Item> items, Delivery.Route route, List<Notification> list, long order) {
        for (int i = 0; i < list.size(); i++) {
            items.add(new Item(route, i, list.get(i).sendAtMillis(), order++));
        }
        return order;
    }
}
