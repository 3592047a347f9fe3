package dev.gctimeline.auth.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LoopbackTest {
    @Test
    void onlyLiteralsAndLocalhost() {
        for (String h : new String[] {"localhost", "LocalHost", "127.0.0.1", "127.0.0.0", "127.255.255.255", "[::1]",
                "::1", "[0:0:0:0:0:0:0:1]"}) {
            assertTrue(Loopback.isLoopbackHost(h), h);
        }
        for (String h : new String[] {null, "", "128.0.0.1", "126.255.255.255", "10.0.0.1", "0.0.0.0", "[::]", "[::2]",
                "127.0.0.1.example.com", "localhost.localdomain", "example.com", "1.2.3.4.5", "999.0.0.1",
                "127.0.0.999", "[fe80::1]", "[::ffff:8.8.8.8]"}) {
            assertFalse(Loopback.isLoopbackHost(h), String.valueOf(h));
        }
    }
}
