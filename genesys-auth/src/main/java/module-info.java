/** OAuth client credentials for Genesys Cloud, regions and hosts. */
module dev.gctimeline.auth {
    requires java.net.http;
    requires com.fasterxml.jackson.core;
    requires org.slf4j;
}
