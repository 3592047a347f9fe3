package dev.gctimeline.testkit.internal.server;

import dev.gctimeline.testkit.Faults;
import dev.gctimeline.testkit.Notification;
import dev.gctimeline.testkit.ScenarioFeed;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Everything the public builder collected, immutable. {@code clients} maps client id to secret:
 * this record's {@code toString} is overridden so a secret never reaches a log.
 */
public record SimulatorConfig(int port, int webSocketPort, Clock clock, long seed, Map<String, String> clients,
                              Duration tokenLifetime, Duration channelLifetime, Duration heartbeatInterval,
                              Duration socketClosingDelay, Duration retryAfter, Faults faults,
                              Set<String> forbiddenTopicPrefixes, int maxClientMessageBytes,
                              ScenarioFeed feed, List<Notification> analyticsStream, List<Notification> streamingEvents,
                              int deliveryLogLimit) {

    public SimulatorConfig {
        clients = Map.copyOf(clients);
        forbiddenTopicPrefixes = Set.copyOf(forbiddenTopicPrefixes);
        analyticsStream = List.copyOf(analyticsStream);
        streamingEvents = List.copyOf(streamingEvents);
    }

    @Override
    public String toString() {
        return "SimulatorConfig[port=" + port + ", webSocketPort=" + webSocketPort + ", clients=" + clients.keySet()
                + " (secrets hidden), tokenLifetime=" + tokenLifetime + ", channelLifetime=" + channelLifetime
                + ", heartbeatInterval=" + heartbeatInterval + ", socketClosingDelay=" + socketClosingDelay
                + ", faults=" + faults + "]";
    }
}
