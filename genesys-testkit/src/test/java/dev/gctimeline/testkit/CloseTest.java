package dev.gctimeline.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** close() gives back both ports and every thread the simulator started. */
class CloseTest {

    private static long simulatorThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().startsWith("gc-sim-")).count();
    }

    @Test
    void closeReleasesPortsAndThreads() throws Exception {
        int rest;
        int ws;
        List<Notification> feed = Envelopes.conversations(50);
        try (GenesysCloudSimulator sim = GenesysCloudSimulator.builder().feed(new ListFeed(feed))
                .heartbeatInterval(Duration.ofMillis(10)).build()) {
            rest = sim.port();
            ws = sim.webSocketPort();
            Rest client = new Rest(sim);
            String token = client.login();
            Rest.ChannelInfo ch = client.createChannel(token);
            client.subscribeOk(token, ch.id(), List.of(feed.get(0).topicName()));
            JdkWs.connect(client.http, ch.connectUri());
            sim.awaitConnected(ch.id(), Duration.ofSeconds(10));
            sim.playInBackground(1.0); // still running when closed
            assertTrue(simulatorThreads() > 0);
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (simulatorThreads() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertEquals(0, simulatorThreads(), "every gc-sim thread ended");
        for (int port : new int[] {rest, ws}) {
            try (ServerSocket s = new ServerSocket()) {
                s.setReuseAddress(true);
                s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            }
        }
    }
}
