/** Genesys Cloud notifications over WebSocket into a TimelinePipeline. */
module dev.gctimeline.stream {
    requires dev.gctimeline.core;
    requires dev.gctimeline.auth;
    requires java.net.http;
    requires com.fasterxml.jackson.core;
    requires org.slf4j;
}
