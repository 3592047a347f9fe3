package dev.gctimeline.core;

import java.util.Map;

/**
 * Makes {@link TimelineStore}s of one kind; registered with {@code provides
 * dev.gctimeline.core.TimelineStoreProvider with ...} in a module (or META-INF/services on the class
 * path) and looked up by {@link #name()} through {@link TimelineStores#open}.
 */
public interface TimelineStoreProvider {

    /** The name users pick the store by, e.g. {@code memory} or {@code influx}. */
    String name();

    /**
     * A new store configured from {@code options} (store-specific keys, documented by the provider).
     *
     * @throws IllegalArgumentException naming the option that is missing or wrong
     */
    TimelineStore create(Map<String, String> options);
}
