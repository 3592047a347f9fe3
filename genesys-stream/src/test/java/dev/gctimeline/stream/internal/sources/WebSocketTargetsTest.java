package dev.gctimeline.stream.internal.sources;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import org.junit.jupiter.api.Test;

class WebSocketTargetsTest {

    @Test
    void plainWsOnlyOnLoopbackLiterals() {
        for (String ok : new String[] {"ws://127.0.0.1:9/x", "ws://127.3.4.5/x", "ws://localhost/x", "ws://[::1]:8/x",
                "wss://api.mypurecloud.com/api/v2/streaming/events"}) {
            assertEquals(URI.create(ok), WebSocketTargets.check(URI.create(ok)), ok);
        }
        for (String bad : new String[] {"ws://example.com/x", "ws://10.0.0.1/x", "ws://127.0.0.1.nip.io/x",
                "ws://256.0.0.1/x", "http://127.0.0.1/x", "wss:opaque", "ws://127.0.0.1/x#frag"}) {
            assertThrows(IllegalArgumentException.class, () -> WebSocketTargets.check(URI.create(bad)), bad);
        }
    }

    @Test
    void theTokenQueryIsAddedEncodedAndShownRedacted() {
        URI base = URI.create("wss://feed.example.com/api/v2/streaming/events");
        String token = "a b+c/=&d";
        URI withToken = WebSocketTargets.withTokenQuery(base, token);
        assertEquals("wss://feed.example.com/api/v2/streaming/events?access_token=a+b%2Bc%2F%3D%26d", withToken.toString());
        assertEquals("wss://feed.example.com/api/v2/streaming/events?access_token=***", WebSocketTargets.shown(base, true));
        assertEquals(base.toString(), WebSocketTargets.shown(base, false));
        String message = "failed on " + withToken + " with token " + token;
        String scrubbed = WebSocketTargets.scrub(message, token);
        assertFalse(scrubbed.contains(token) || scrubbed.contains("a+b%2Bc"), scrubbed);
        assertTrue(scrubbed.contains("access_token=***"), scrubbed);
    }
}
