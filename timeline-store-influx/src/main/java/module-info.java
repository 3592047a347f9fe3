/** TimelineStore on InfluxDB over line protocol. */
module dev.gctimeline.store.influx {
    requires transitive dev.gctimeline.core;
    requires java.net.http;
    requires com.fasterxml.jackson.core;
    requires org.slf4j;
}
