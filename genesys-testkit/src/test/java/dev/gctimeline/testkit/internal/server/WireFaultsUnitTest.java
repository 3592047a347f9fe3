package dev.gctimeline.testkit.internal.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gctimeline.testkit.Delivery;
import dev.gctimeline.testkit.Faults;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class WireFaultsUnitTest {
    private static final byte[] TEXT = "{\"t\":\"Grüße 東京 🎧 ok\"}".getBytes(StandardCharsets.UTF_8);

    @Test
    void documentSplitsFallOnCodePointBoundariesForEverySeed() {
        Faults faults = Faults.builder().envelopeSplit(1.0).build();
        for (long seed = 0; seed < 2000; seed++) {
            List<byte[]> parts = new WireFaults(faults, seed).split(TEXT, 1.0);
            ByteArrayOutputStream joined = new ByteArrayOutputStream();
            for (byte[] p : parts) {
                assertTrue(p.length > 0);
                assertTrue((p[0] & 0xC0) != 0x80, "seed " + seed + ": a part starts inside a character");
                joined.write(p, 0, p.length);
            }
            assertTrue(parts.size() >= 2 && parts.size() <= 4);
            assertArrayEquals(TEXT, joined.toByteArray());
        }
    }

    @Test
    void frameCutsAreStrictlyIncreasingInsideTheMessageAndReachEveryOffset() {
        Faults faults = Faults.builder().frameSplit(1.0).maxFramesPerMessage(4).build();
        boolean[] seen = new boolean[TEXT.length];
        for (long seed = 0; seed < 2000; seed++) {
            int[] cuts = new WireFaults(faults, seed).frameCuts(TEXT.length);
            assertTrue(cuts.length >= 1 && cuts.length <= 3, "2 to 4 frames");
            for (int i = 0; i < cuts.length; i++) {
                assertTrue(cuts[i] > 0 && cuts[i] < TEXT.length);
                assertTrue(i == 0 || cuts[i] > cuts[i - 1]);
                seen[cuts[i]] = true;
            }
        }
        for (int off = 1; off < TEXT.length; off++) {
            assertTrue(seen[off], "offset " + off + " is a possible cut");
        }
    }

    @Test
    void framesOfASplitMessageCarryTheBytesInOrder() {
        byte[] frames = WsFrames.textMessage(TEXT, new int[] {1, 9, 10});
        // text(1) cont(8) cont(1) cont(rest, FIN)
        assertEquals(0x01, frames[0] & 0xFF);
        assertEquals(1, frames[1]);
        assertEquals(0x00, frames[3] & 0xFF);
        int lastHeader = 2 + 1 + 2 + 8 + 2 + 1;
        assertEquals(0x80, frames[lastHeader] & 0xFF, "FIN continuation");
        assertEquals(TEXT.length - 10, frames[lastHeader + 1]);
    }

    @Test
    void oversizeIsOneByteOverTheBoundOnEveryRoute() {
        Faults faults = Faults.builder().oversize(1.0, 300).build();
        WireFaults w = new WireFaults(faults, 1);
        for (Delivery.Route r : Delivery.Route.values()) {
            assertEquals(301, w.oversize(r, "x").length, r.name());
        }
    }

    @Test
    void acceptKeyMatchesRfc6455Example() {
        assertEquals("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", WsFrames.acceptKey("dGhlIHNhbXBsZSBub25jZQ=="));
    }
}
