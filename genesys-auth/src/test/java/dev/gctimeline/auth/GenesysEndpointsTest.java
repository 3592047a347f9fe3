package dev.gctimeline.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class GenesysEndpointsTest {

    private static GenesysEndpoints all(String http, String ws) {
        return GenesysEndpoints.builder().api(http).login(http).streaming(ws).build();
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "127.0.0.1:8080", "127.255.1.2:1", "localhost:9", "LOCALHOST", "[::1]:8080",
            "[0:0:0:0:0:0:0:1]"})
    void plainTextIsAllowedOnLoopback(String hostPort) {
        GenesysEndpoints e = all("http://" + hostPort + "/", "ws://" + hostPort);
        assertEquals(URI.create("http://" + hostPort), e.api());
        assertEquals(URI.create("http://" + hostPort + "/oauth/token"), e.tokenUri());
        assertEquals("ws", e.streaming().getScheme());
    }

    @ParameterizedTest
    @ValueSource(strings = {"example.com", "10.0.0.1", "128.0.0.1", "0.0.0.0", "192.168.1.10", "[::2]",
            "localhost.example.com", "127.0.0.1.nip.io", "my-localhost", "api.mypurecloud.com"})
    void plainTextIsRejectedElsewhere(String host) {
        IllegalArgumentException api = assertThrows(IllegalArgumentException.class,
                () -> GenesysEndpoints.builder().region(GenesysRegion.US_EAST_1).api("http://" + host).build());
        assertTrue(api.getMessage().contains("allowed only for loopback hosts"), api.getMessage());
        assertTrue(api.getMessage().contains("use https://"), api.getMessage());
        IllegalArgumentException login = assertThrows(IllegalArgumentException.class,
                () -> GenesysEndpoints.builder().region(GenesysRegion.US_EAST_1).login("http://" + host + ":80").build());
        assertTrue(login.getMessage().contains("login URI"), login.getMessage());
        IllegalArgumentException ws = assertThrows(IllegalArgumentException.class,
                () -> GenesysEndpoints.builder().region(GenesysRegion.US_EAST_1).streaming("ws://" + host).build());
        assertTrue(ws.getMessage().contains("use wss://"), ws.getMessage());
    }

    @Test
    void hostThatIsNotAHostIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> all("http://127.0.0.256", "ws://127.0.0.1"));
        assertTrue(e.getMessage().contains("absolute with a host"), e.getMessage());
    }

    @Test
    void secureSchemesAnywhere() {
        GenesysEndpoints e = all("https://genesys-proxy.internal:8443/base/", "wss://ws-proxy.internal");
        assertEquals(URI.create("https://genesys-proxy.internal:8443/base"), e.api());
        assertEquals(URI.create("https://genesys-proxy.internal:8443/base/oauth/token"), e.tokenUri());
    }

    @Test
    void wrongSchemeForTheRoleIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> all("wss://x.example", "wss://x.example"));
        assertThrows(IllegalArgumentException.class, () -> all("https://x.example", "https://x.example"));
        assertThrows(IllegalArgumentException.class, () -> all("ftp://127.0.0.1", "ws://127.0.0.1"));
    }

    @Test
    void relativeQueryAndFragmentAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> all("api.mypurecloud.com", "wss://x.example"));
        assertThrows(IllegalArgumentException.class, () -> all("https://x.example?a=b", "wss://x.example"));
        assertThrows(IllegalArgumentException.class, () -> all("https://x.example#f", "wss://x.example"));
        assertThrows(IllegalArgumentException.class, () -> all("https://x example", "wss://x.example"));
        assertThrows(NullPointerException.class, () -> new GenesysEndpoints(null, null, null));
    }

    @Test
    void overridesWinOverTheRegion() {
        GenesysEndpoints e = GenesysEndpoints.builder().region(GenesysRegion.EU_WEST_1)
                .api("https://proxy.example/genesys").build();
        assertEquals(URI.create("https://proxy.example/genesys"), e.api());
        assertEquals(URI.create("https://login.mypurecloud.ie"), e.login());
        assertEquals(URI.create("wss://streaming.mypurecloud.ie"), e.streaming());
        assertEquals(GenesysRegion.EU_WEST_1.endpoints(), GenesysEndpoints.of(GenesysRegion.EU_WEST_1));
    }

    @Test
    void withoutRegionEveryUriIsNeeded() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> GenesysEndpoints.builder().api("http://127.0.0.1:1").build());
        assertTrue(e.getMessage().contains("missing: login, streaming"), e.getMessage());
    }
}
