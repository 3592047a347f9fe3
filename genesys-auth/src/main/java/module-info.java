/**
 * Genesys Cloud regions, endpoints and OAuth client-credentials tokens.
 *
 * <p>Exports only {@code dev.gctimeline.auth}: {@link dev.gctimeline.auth.GenesysRegion},
 * {@link dev.gctimeline.auth.GenesysEndpoints}, {@link dev.gctimeline.auth.TokenProvider} and its
 * implementation, and the typed failures. The HTTP exchange, the JSON reading and the loopback
 * rules live in {@code dev.gctimeline.auth.internal}, which is not exported.
 */
module dev.gctimeline.auth {
    requires transitive java.net.http;
    requires com.fasterxml.jackson.core;
    requires org.slf4j;

    exports dev.gctimeline.auth;
}
