package dev.gctimeline.testkit;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Delivers EventBridge records the way AWS does: at least once (some records come twice, with the
 * same record id) and unordered (each delivery lands up to {@code reorderWindow} positions away
 * from where it was published). Deterministic from its seed: the same records, seed and settings give
 * the same delivery order.
 *
 * <pre>{@code
 * List<Notification> deliveries = EventBridgeFeed.builder(scenario.eventBridgeRecords())
 *     .seed(7).duplicateRate(0.05).reorderWindow(20).build().deliveries();
 * }</pre>
 *
 * <p>Each delivery is one of the given {@link Notification}s, unchanged (its {@code sendAtMillis} is
 * the time it was published; the list order is the delivery order). The union of the carries of the
 * deliveries equals the union over the records: nothing is ever lost, only repeated and reordered.
 */
public final class EventBridgeFeed {
    private final List<Notification> deliveries;
    private final int duplicates;

    private EventBridgeFeed(Builder b) {
        SplittableRandom r = new SplittableRandom(b.seed);
        record Slot(double key, int index, int copy, Notification n) {
        }
        List<Slot> slots = new ArrayList<>(b.records.size() + b.records.size() / 8 + 4);
        int dups = 0;
        for (int i = 0; i < b.records.size(); i++) {
            Notification n = b.records.get(i);
            slots.add(new Slot(i + (b.reorderWindow == 0 ? 0 : r.nextInt(b.reorderWindow + 1)), i, 0, n));
            if (r.nextDouble() < b.duplicateRate) {
                // A redelivery comes after the first attempt, within the window.
                slots.add(new Slot(i + 0.5 + r.nextInt(b.reorderWindow + 1), i, 1, n));
                dups++;
            }
        }
        slots.sort(Comparator.comparingDouble(Slot::key).thenComparingInt(Slot::index).thenComparingInt(Slot::copy));
        List<Notification> out = new ArrayList<>(slots.size());
        for (Slot s : slots) {
            out.add(s.n());
        }
        this.deliveries = List.copyOf(out);
        this.duplicates = dups;
    }

    /** A builder delivering {@code records} (usually {@link ContactCenterScenario#eventBridgeRecords()}). */
    public static Builder builder(List<Notification> records) {
        return new Builder(records);
    }

    /** Every delivery, in delivery order (duplicates included). */
    public List<Notification> deliveries() {
        return deliveries;
    }

    /** How many records were delivered twice. */
    public int duplicates() {
        return duplicates;
    }

    /** Options of an {@link EventBridgeFeed}. Defaults: seed 1, duplicate rate 0.05, reorder window 16. */
    public static final class Builder {
        private final List<Notification> records;
        private long seed = 1;
        private double duplicateRate = 0.05;
        private int reorderWindow = 16;

        private Builder(List<Notification> records) {
            this.records = List.copyOf(Objects.requireNonNull(records, "records"));
        }

        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Probability in [0, 1] that a record is delivered a second time. */
        public Builder duplicateRate(double rate) {
            if (!(rate >= 0 && rate <= 1)) {
                throw new IllegalArgumentException("duplicateRate must be in [0, 1]: " + rate);
            }
            this.duplicateRate = rate;
            return this;
        }

        /** How many positions a delivery may move away from its publication order (0: in order). */
        public Builder reorderWindow(int window) {
            if (window < 0) {
                throw new IllegalArgumentException("reorderWindow must not be negative: " + window);
            }
            this.reorderWindow = window;
            return this;
        }

        public EventBridgeFeed build() {
            return new EventBridgeFeed(this);
        }
    }
}
