package dev.gctimeline.store.influx;

import static dev.gctimeline.store.influx.FaultProxy.Fault;
import static dev.gctimeline.store.influx.FaultProxy.Kind;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gctimeline.core.PipelineMetrics;
import dev.gctimeline.core.Timeline;
import dev.gctimeline.core.TimelineEvent;
import dev.gctimeline.core.TimelinePipeline;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The store as a user runs it: behind core's TimelinePipeline, whose StoreWriter does the retrying.
 * While InfluxDB throttles, fails or is unreachable, the writer's backpressure holds the producers
 * (offer returns false) instead of dropping anything, and every event ends up stored exactly once.
 */
@ExtendWith(InfluxServer.Extension.class)
class InfluxPipelineFaultTest {

    @Test
    void thePipelinesWriterRetriesEveryFaultAndTheStreamIsHeldNotDropped(InfluxServer influx) throws Exception {
        String db = influx.newDatabase("pipeline_faults");
        List<Fault> script = List.of(
                Fault.status(429, "1"),
                Fault.status(503, null),
                Fault.of(Kind.DROP_BEFORE),
                Fault.of(Kind.DROP_AFTER),  // stored, answer lost: the retry rewrites the same points
                Fault.status(503, "0"),
                Fault.of(Kind.HANG),
                Fault.status(429, null),
                Fault.of(Kind.DROP_BEFORE),
                Fault.status(503, null),
                Fault.of(Kind.DROP_BEFORE));
        List<TimelineEvent> events = TestEvents.generate(2026, 200, 20);
        try (FaultProxy proxy = new FaultProxy(influx.port(), script);
             InfluxTimelineStore store = InfluxTimelineStore.create(InfluxConfig.builder().url(proxy.url())
                     .database(db).batchSize(1000).requestTimeout(Duration.ofSeconds(2)).build())) {
            TimelinePipeline pipeline = TimelinePipeline.builder().store(store).ringCapacity(256).batchSize(300)
                    .maxPendingBatches(1).linger(Duration.ofMillis(10))
                    .retryBackoff(Duration.ofMillis(5), Duration.ofMillis(50)).build();
            pipeline.start();
            long refused = 0;
            for (TimelineEvent e : events) {
                while (!pipeline.offer(e)) {
                    refused++;
                    Thread.sleep(1);
                }
            }
            pipeline.close(); // flushes everything accepted, retrying as long as it takes

            PipelineMetrics m = pipeline.metrics();
            InfluxStoreMetrics s = store.metrics();
            assertEquals(script.size(), proxy.injected.size(), "every scripted fault was met");
            assertEquals(script.size(), s.retryableFailures(), "each fault failed exactly one try");
            assertEquals(s.retryableFailures(), m.storeRetries(), "the pipeline retried every retryable failure");
            assertEquals(0, m.storeFailures());
            assertTrue(refused > 0, "producers were held back while the store failed, not dropped");
            assertEquals(events.size(), m.received());
            assertEquals(events.size(), m.stored(), "each event counted stored once, retries or not");
            assertEquals(events.size(), influx.countPoints(db, "timeline_event", "eventId"), "stored exactly once");
            for (Map.Entry<String, Timeline> e : TestEvents.timelines(events).entrySet()) {
                assertEquals(e.getValue(), store.timeline(e.getKey()));
            }
        }
    }
}
