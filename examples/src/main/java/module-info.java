/** Runnable examples. */
module dev.gctimeline.examples {
    requires dev.gctimeline.core;
    requires dev.gctimeline.auth;
    requires dev.gctimeline.stream;
    requires dev.gctimeline.store.influx;
    requires dev.gctimeline.testkit;
    requires com.fasterxml.jackson.core;
    requires org.slf4j;
    requires jdk.httpserver;
}
