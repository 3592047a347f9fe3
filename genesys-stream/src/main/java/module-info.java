/** Genesys Cloud notifications over WebSocket into a TimelinePipeline. */
module dev.gctimeline.stream {
    requires transitive dev.gctimeline.core;
    requires transitive dev.gctimeline.auth;
    requires java.net.http;
    requires com.fasterxml.jackson.core;
    requires org.slf4j;

    exports dev.gctimeline.stream;
}
