package dev.gctimeline.store.influx;

/**
 * Hears what the store could not do silently. Called on the thread that called the store; keep it
 * short and never throw. The default implementation only logs, which the store does anyway.
 *
 * <pre>{@code InfluxTimelineStore.builder(config).listener(pw -> rejected.add(pw.dropped())).build();}</pre>
 */
@FunctionalInterface
public interface InfluxStoreListener {
    /** A write was accepted only in part. */
    void onPartialWrite(PartialWrite write);

    /** A listener that does nothing. */
    static InfluxStoreListener none() {
        return w -> {
        };
    }
}
