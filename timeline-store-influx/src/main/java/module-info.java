/**
 * TimelineStore on InfluxDB (1.x, 2.x, 3) over line protocol: {@code dev.gctimeline.store.influx}
 * is the API; {@code ...influx.internal} (encoder, readers, HTTP) stays hidden.
 */
module dev.gctimeline.store.influx {
    requires transitive dev.gctimeline.core;
    requires java.net.http;
    requires com.fasterxml.jackson.core;
    requires org.slf4j;

    exports dev.gctimeline.store.influx;

    provides dev.gctimeline.core.TimelineStoreProvider with dev.gctimeline.store.influx.InfluxTimelineStoreProvider;
}
