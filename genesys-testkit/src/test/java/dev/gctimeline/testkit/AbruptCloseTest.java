package dev.gctimeline.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * An abrupt drop is a lingering close: FIN right after the last byte written, the client's later
 * frames read and dropped, the socket closed once the client closes its side. A client that writes
 * across the drop (a ping just after it, as a stream's keep-alive does) still reads every byte the
 * simulator logged, then a clean end of stream. Closing at once would answer that ping with a TCP
 * reset: the client's next write fails, and the JDK client then ends the socket and discards what it
 * had received but not yet handed to its listener (more than the last message).
 */
class AbruptCloseTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final int DROPS = 30;

    @Test
    void aClientWritingAcrossADropStillReadsEveryByteThenACleanEnd() throws Exception {
        try (GenesysCloudSimulator sim = GenesysCloudSimulator.builder().heartbeatInterval(Duration.ZERO).build()) {
            Rest rest = new Rest(sim);
            String token = rest.login();
            String channel = rest.createChannel(token).id();
            for (int i = 0; i < DROPS; i++) {
                try (RawWs raw = RawWs.connect(sim.webSocketPort(), "/channels/" + channel)) {
                    assertEquals(101, raw.status);
                    sim.awaitConnected(channel, WAIT);
                    assertTrue(sim.sendNoLongerSubscribed(channel));
                    assertTrue(sim.dropSocket(channel));
                    assertFalse(sim.isConnected(channel), "a dropped socket is gone for deliveries at once");
                    // The server has ended the socket; this client has not read anything yet.
                    ping(raw, i);
                    Thread.sleep(5); // time for a reset to come back, were one sent
                    ping(raw, i);
                    RawWs.Message notice = readOrFail(raw, i);
                    assertNotNull(notice, "drop " + i + ": the message written before the drop");
                    assertTrue(notice.text().contains("v2.system.no_longer_subscribed"), notice.text());
                    assertNull(readOrFail(raw, i), "drop " + i + ": then the end, no pong, no close frame");
                }
            }
            assertEquals(DROPS, sim.stats().socketsDropped());
            assertEquals(DROPS, sim.abruptCloses().size());
        }
    }

    @Test
    void aClientThatNeverClosesIsClosedWhenTheSimulatorCloses() throws Exception {
        GenesysCloudSimulator sim = GenesysCloudSimulator.builder().heartbeatInterval(Duration.ZERO).build();
        try (sim; RawWs raw = connected(sim)) {
            String channel = sim.channelIds().get(0);
            assertTrue(sim.dropSocket(channel));
            assertNull(raw.readMessage(), "FIN at once");
            raw.sendText("{\"message\":\"ping\"}"); // still read by the lingering server, not answered
            sim.close();
            long deadline = System.nanoTime() + WAIT.toNanos();
            boolean reset = false;
            while (!reset && System.nanoTime() < deadline) {
                try {
                    raw.sendText("{\"message\":\"ping\"}");
                    Thread.sleep(10);
                } catch (IOException e) {
                    reset = true; // the socket is fully closed now: writes meet a reset
                }
            }
            assertTrue(reset, "the simulator's close ends lingering sockets");
        }
    }

    private static RawWs connected(GenesysCloudSimulator sim) throws IOException {
        Rest rest = new Rest(sim);
        String channel = rest.createChannel(rest.login()).id();
        RawWs raw = RawWs.connect(sim.webSocketPort(), "/channels/" + channel);
        sim.awaitConnected(channel, WAIT);
        return raw;
    }

    /** A write the server must take in: a reset here would make a JDK client discard what it had not read. */
    private static void ping(RawWs raw, int drop) {
        try {
            raw.sendText("{\"message\":\"ping\"}");
        } catch (IOException e) {
            throw new AssertionError("drop " + drop + ": the server reset the connection: " + e, e);
        }
    }

    private static RawWs.Message readOrFail(RawWs raw, int drop) {
        try {
            return raw.readMessage();
        } catch (IOException e) {
            throw new AssertionError("drop " + drop + ": the client lost the end of the stream: " + e, e);
        }
    }
}
