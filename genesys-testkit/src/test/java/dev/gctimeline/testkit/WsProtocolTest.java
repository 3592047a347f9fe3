package dev.gctimeline.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The server's RFC 6455 behaviour toward well- and ill-behaved clients. */
class WsProtocolTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    private static String channel(GenesysCloudSimulator sim) {
        Rest rest = new Rest(sim);
        return rest.createChannel(rest.login()).id();
    }

    private static GenesysCloudSimulator sim() {
        return GenesysCloudSimulator.builder().heartbeatInterval(Duration.ZERO).build();
    }

    private static int closeCode(RawWs.Message m) {
        assertEquals(0x8, m.opcode(), "a close frame");
        return ((m.payload()[0] & 0xFF) << 8) | (m.payload()[1] & 0xFF);
    }

    private static String rawHandshake(int port, String request) throws IOException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(5000);
            s.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            InputStream in = s.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        }
    }

    @Test
    void badHandshakesAreRefused() throws IOException {
        try (GenesysCloudSimulator sim = sim()) {
            String id = channel(sim);
            int port = sim.webSocketPort();
            assertTrue(rawHandshake(port, "GET /channels/" + id + " HTTP/1.1\r\nHost: x\r\n\r\n").startsWith("HTTP/1.1 400"));
            assertTrue(rawHandshake(port, "GET /channels/" + id + " HTTP/1.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: AAAAAAAAAAAAAAAAAAAAAA==\r\nSec-WebSocket-Version: 8\r\n\r\n")
                    .startsWith("HTTP/1.1 426"));
            assertTrue(rawHandshake(port, "GET /channels/" + id + " HTTP/1.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: short\r\nSec-WebSocket-Version: 13\r\n\r\n").startsWith("HTTP/1.1 400"));
            try (RawWs unknown = RawWs.connect(port, "/channels/streaming-nope")) {
                assertEquals(404, unknown.status);
            }
            try (RawWs elsewhere = RawWs.connect(port, "/elsewhere")) {
                assertEquals(404, elsewhere.status);
            }
            assertTrue(sim.stats().socketsRejected() >= 5);
            assertEquals(0, sim.stats().socketsOpened());
        }
    }

    @Test
    void controlFramesAndFragmentedClientMessages() throws IOException {
        try (GenesysCloudSimulator sim = sim()) {
            String id = channel(sim);
            try (RawWs ws = RawWs.connect(sim.webSocketPort(), "/channels/" + id)) {
                sim.awaitConnected(id, WAIT);
                byte[] ping = "are you there".getBytes(StandardCharsets.UTF_8);
                ws.sendFrame(true, 0x9, ping, true);
                RawWs.Message pong = ws.readMessage();
                assertEquals(0xA, pong.opcode());
                assertArrayEquals(ping, pong.payload(), "a pong echoes the ping's payload");

                // {"message":"ping"} in three frames, with a control frame between the fragments
                ws.sendFrame(false, 0x1, "{\"mess".getBytes(StandardCharsets.UTF_8), true);
                ws.sendFrame(true, 0x9, new byte[0], true);
                ws.sendFrame(false, 0x0, "age\":\"pi".getBytes(StandardCharsets.UTF_8), true);
                ws.sendFrame(true, 0x0, "ng\"}".getBytes(StandardCharsets.UTF_8), true);
                assertEquals(0xA, ws.readMessage().opcode());
                assertEquals("{\"topicName\":\"channel.metadata\",\"eventBody\":{\"message\":\"pong\"}}", ws.readMessage().text());

                ws.sendFrame(true, 0x8, new byte[] {0x03, (byte) 0xE8}, true);
                assertEquals(1000, closeCode(ws.readMessage()), "the server answers a close with a close");
            }
        }
    }

    @Test
    void unmaskedClientFramesFailTheConnection() throws IOException {
        try (GenesysCloudSimulator sim = sim()) {
            String id = channel(sim);
            try (RawWs ws = RawWs.connect(sim.webSocketPort(), "/channels/" + id)) {
                sim.awaitConnected(id, WAIT);
                ws.sendFrame(true, 0x1, "{\"message\":\"ping\"}".getBytes(StandardCharsets.UTF_8), false);
                assertEquals(1002, closeCode(ws.readMessage()));
                assertEquals(1, sim.stats().clientMessagesRejected());
            }
        }
    }

    @Test
    void invalidUtf8AndBinaryAndOversizeAreRefused() throws IOException {
        try (GenesysCloudSimulator sim = GenesysCloudSimulator.builder().heartbeatInterval(Duration.ZERO)
                .maxClientMessageBytes(1024).build()) {
            int port = sim.webSocketPort();
            String id = channel(sim);
            try (RawWs ws = RawWs.connect(port, "/channels/" + id)) {
                ws.sendFrame(true, 0x1, new byte[] {'"', (byte) 0xC3, '"'}, true);
                assertEquals(1007, closeCode(ws.readMessage()));
            }
            try (RawWs ws = RawWs.connect(port, "/channels/" + id)) {
                ws.sendFrame(true, 0x2, new byte[] {1, 2, 3}, true);
                assertEquals(1003, closeCode(ws.readMessage()));
            }
            try (RawWs ws = RawWs.connect(port, "/channels/" + id)) {
                ws.sendFrame(true, 0x1, new byte[2000], true);
                assertEquals(1009, closeCode(ws.readMessage()));
            }
            assertEquals(3, sim.stats().clientMessagesRejected());
        }
    }
}
