package dev.gctimeline.store.influx;

import dev.gctimeline.core.StoreException;
import dev.gctimeline.core.Timeline;
import dev.gctimeline.core.TimelineEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static dev.gctimeline.store.influx.FaultProxy.Fault;
import static dev.gctimeline.store.influx.FaultProxy.Kind;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Faults between the store and a real InfluxDB: every event ends up stored exactly once, and the
 * retry counters equal what the proxy injected.
 */
@ExtendWith(InfluxServer.Extension.class)
class InfluxFaultTest {

    @Test
    void everyEventIsStoredOnceThroughThrottlingErrorsDropsAndSilence(InfluxServer influx) throws Exception {
        String db = influx.newDatabase("faults");
        List<Fault> script = List.of(
                Fault.status(429, "1"),
                Fault.status(503, null),
                Fault.of(Kind.DROP_BEFORE),
                Fault.slow(300),            // slow but inside the timeout: not a failure
                Fault.of(Kind.DROP_AFTER),  // InfluxDB stored it, the answer was lost: the retry rewrites it
                Fault.status(503, "0"),
                Fault.of(Kind.HANG),        // no answer: the request times out
                Fault.status(429, null),
                Fault.of(Kind.DROP_BEFORE));
        List<TimelineEvent> events = TestEvents.generate(99, 100, 30);
        try (FaultProxy proxy = new FaultProxy(influx.port(), script);
             InfluxTimelineStore store = InfluxTimelineStore.create(InfluxConfig.builder().url(proxy.url()).database(db)
                     .batchSize(500).requestTimeout(Duration.ofSeconds(2)).build())) {
            RetryPolicy fast = new RetryPolicy(Duration.ofMillis(5), Duration.ofMillis(50), 0, Duration.ofSeconds(2));
            try (InfluxBatchWriter writer = InfluxBatchWriter.builder(store).batchSize(500).linger(Duration.ofMillis(20))
                    .capacity(1000).retry(fast).build()) {
                writer.writeAll(events);
                assertTrue(writer.flush(Duration.ofSeconds(60)), "flushed");
                assertEquals(events.size(), writer.eventsWritten());
                assertEquals(0, writer.eventsFailed());

                InfluxStoreMetrics m = store.metrics();
                assertEquals(proxy.count(Kind.STATUS, 429), m.throttled());
                assertEquals(proxy.count(Kind.STATUS, 503), m.serverErrors());
                assertEquals(proxy.count(Kind.DROP_BEFORE, 0) + proxy.count(Kind.DROP_AFTER, 0), m.connectionErrors());
                assertEquals(proxy.count(Kind.HANG, 0), m.timeouts());
                assertEquals(script.size() - 1, m.retryableFailures(), "every fault but the slow answer failed a try");
                assertEquals(m.retryableFailures(), writer.retries());
                assertEquals(script.size(), proxy.injected.size());
            }
            assertEquals(events.size(), influx.countPoints(db, "timeline_event", "eventId"), "stored exactly once");
            Map<String, Timeline> expected = TestEvents.timelines(events);
            for (Map.Entry<String, Timeline> e : expected.entrySet()) {
                assertEquals(e.getValue(), store.timeline(e.getKey()));
            }
        }
    }

    @Test
    void whileInfluxIsUnreachableTheWriterHoldsEverythingAndLosesNothing(InfluxServer influx) throws Exception {
        String db = influx.newDatabase("down");
        List<TimelineEvent> events = TestEvents.generate(5, 10, 10);
        // A port bound but not listening refuses every connection, and while it stays bound no other
        // process can take it (a port freed before the store connects could be reused by anyone).
        try (Socket dead = new Socket()) {
            dead.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            InfluxConfig unreachable = InfluxConfig.builder().url("http://127.0.0.1:" + dead.getLocalPort()).database(db)
                    .build();
            try (InfluxTimelineStore down = InfluxTimelineStore.create(unreachable)) {
                StoreException e = assertThrows(StoreException.class, () -> down.append(events));
                assertTrue(e.retryable());
                assertEquals(1, down.metrics().connectionErrors());
            }
        }
        // a store that is down for its first tries, then comes back (the proxy refuses 5 times)
        List<Fault> outage = List.of(Fault.of(Kind.DROP_BEFORE), Fault.status(503, null), Fault.of(Kind.DROP_BEFORE),
                Fault.status(503, null), Fault.of(Kind.DROP_BEFORE));
        try (FaultProxy proxy = new FaultProxy(influx.port(), outage);
             InfluxTimelineStore store = InfluxTimelineStore.create(InfluxConfig.builder().url(proxy.url()).database(db).build());
             InfluxBatchWriter writer = InfluxBatchWriter.builder(store).capacity(10).batchSize(10).linger(Duration.ZERO)
                     .retry(new RetryPolicy(Duration.ofMillis(5), Duration.ofMillis(20), 0, Duration.ofSeconds(1))).build()) {
            writer.writeAll(events); // capacity 10 < 100 events: write() blocks until the outage ends
            assertTrue(writer.flush(Duration.ofSeconds(30)));
            assertEquals(5, writer.retries());
            assertEquals(0, writer.eventsFailed());
        }
        assertEquals(events.size(), influx.countPoints(db, "timeline_event", "eventId"));
    }
}
