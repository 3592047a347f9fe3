package dev.gctimeline.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

/**
 * Finds {@link TimelineStoreProvider}s through {@link ServiceLoader} and opens stores by name.
 *
 * <pre>{@code TimelineStore store = TimelineStores.open("influx", Map.of("url", "http://127.0.0.1:8086", "db", "timeline"));}</pre>
 */
public final class TimelineStores {
    private TimelineStores() {
    }

    /**
     * Opens the store called {@code name} with {@code options}.
     *
     * @throws IllegalArgumentException if no provider has that name (the message lists those found)
     */
    public static TimelineStore open(String name, Map<String, String> options) {
        List<String> names = new ArrayList<>();
        for (TimelineStoreProvider p : ServiceLoader.load(TimelineStoreProvider.class)) {
            if (p.name().equals(name)) {
                return p.create(options);
            }
            names.add(p.name());
        }
        throw new IllegalArgumentException("no timeline store named '" + name + "'; found: " + names
                + " (is the store's module on the module path?)");
    }

    /** The names of every store provider found. */
    public static List<String> available() {
        List<String> names = new ArrayList<>();
        for (TimelineStoreProvider p : ServiceLoader.load(TimelineStoreProvider.class)) {
            names.add(p.name());
        }
        return names;
    }
}
