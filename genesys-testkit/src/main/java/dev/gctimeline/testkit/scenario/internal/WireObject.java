package dev.gctimeline.testkit.scenario.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * An ordered JSON object as the scenario writes it onto the wire. The same instance is rendered by
 * {@link WireJson} and read by {@link TruthEvents}, so the ground truth is derived from exactly the
 * fields that were sent, the way a decoder sees them. Values: {@link String}, {@link Long},
 * {@link Integer}, {@link Boolean}, {@link Iso} (rendered as an ISO-8601 string), {@link RawNumber}
 * (a number written as given), {@link WireObject}, {@link List}. Null values are not put, so
 * "absent" and "null" never differ.
 */
public final class WireObject {
    private final ArrayList<String> keys = new ArrayList<>(12);
    private final ArrayList<Object> values = new ArrayList<>(12);

    /** An ISO-8601 timestamp on the wire, epoch millis in memory (exact to the millisecond). */
    public record Iso(long millis) {
    }

    /** A JSON number written exactly as {@code text} (a transcript confidence, "as written"). */
    public record RawNumber(String text) {
    }

    /** Puts {@code key} unless {@code value} is null. */
    public WireObject put(String key, Object value) {
        if (value != null) {
            keys.add(key);
            values.add(value);
        }
        return this;
    }

    /** Puts a number unless it is negative (the model's "not set"). */
    public WireObject putMillis(String key, long value) {
        return value < 0 ? this : put(key, value);
    }

    /** Puts an ISO timestamp unless {@code millis} is negative (the model's "not set"). */
    public WireObject putIso(String key, long millis) {
        return millis < 0 ? this : put(key, new Iso(millis));
    }

    public Object get(String key) {
        for (int i = 0, n = keys.size(); i < n; i++) {
            if (keys.get(i).equals(key)) {
                return values.get(i);
            }
        }
        return null;
    }

    public String string(String key) {
        Object v = get(key);
        return v instanceof String s ? s : null;
    }

    public WireObject object(String key) {
        Object v = get(key);
        return v instanceof WireObject o ? o : null;
    }

    public List<?> list(String key) {
        Object v = get(key);
        return v instanceof List<?> l ? l : null;
    }

    /** The epoch millis of an {@link Iso} or number field, or -1. */
    public long millis(String key) {
        Object v = get(key);
        if (v instanceof Iso t) {
            return t.millis();
        }
        if (v instanceof Long l) {
            return l;
        }
        if (v instanceof Integer i) {
            return i;
        }
        return -1;
    }

    public int size() {
        return keys.size();
    }

    public String key(int i) {
        return keys.get(i);
    }

    public Object value(int i) {
        return values.get(i);
    }
}
