package dev.gctimeline.store.influx;

import dev.gctimeline.core.TimelineStore;
import dev.gctimeline.core.TimelineStoreProvider;

import java.util.Map;

/**
 * The {@code influx} store for {@code TimelineStores.open("influx", options)}; options as in
 * {@link InfluxConfig#fromOptions(Map)}.
 *
 * <pre>{@code TimelineStore s = TimelineStores.open("influx", Map.of("url", "http://127.0.0.1:8086", "db", "timeline"));}</pre>
 */
public final class InfluxTimelineStoreProvider implements TimelineStoreProvider {
    /** For ServiceLoader. */
    public InfluxTimelineStoreProvider() {
    }

    @Override
    public String name() {
        return "influx";
    }

    /**
     * @throws IllegalArgumentException naming the option that is unknown, missing or wrong (never
     *                                  quoting a token or password)
     */
    @Override
    public TimelineStore create(Map<String, String> options) {
        return InfluxTimelineStore.create(InfluxConfig.fromOptions(options));
    }
}
