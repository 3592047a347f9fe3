package dev.gctimeline.store.influx;

import dev.gctimeline.core.EventKind;
import dev.gctimeline.core.Timeline;
import dev.gctimeline.core.TimelineEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** InfluxQL injection attempts on a real server, and many threads sharing one store and one batch writer. */
@ExtendWith(InfluxServer.Extension.class)
class InjectionAndConcurrencyTest {

    @Test
    void injectionAttemptsNeverReturnOtherConversations(InfluxServer influx) {
        String db = influx.newDatabase("inject");
        List<String> attempts = List.of("' OR 1=1 --", "victim' OR '1'='1", "x' OR \"conversationId\" =~ /.*/ --",
                "\") |> drop(columns: [\"_value\"])", "$cid", "'; DROP DATABASE \"" + db + "\"; --", "victim\"", " victim",
                "victim ", "v%", ".*", "/.*/");
        List<TimelineEvent> events = new ArrayList<>();
        events.add(TimelineEvent.builder("victim", EventKind.OTHER, 1000).eventId(1).state("secret").build());
        events.add(TimelineEvent.builder("victim-2", EventKind.OTHER, 1000).eventId(2).state("secret").build());
        long id = 10;
        for (String a : attempts) {
            events.add(TimelineEvent.builder(a, EventKind.OTHER, 2000).eventId(id++).state("own").build());
        }
        try (InfluxTimelineStore store = InfluxTimelineStore.create(InfluxConfig.builder().url(influx.url()).database(db).build())) {
            store.append(events);
            for (int i = 0; i < attempts.size(); i++) {
                Timeline t = store.timeline(attempts.get(i));
                assertEquals(List.of(events.get(i + 2)), t.events(), attempts.get(i));
            }
            for (String rejected : List.of("victim\\' OR 1=1", "a\\", "x\n' OR 1=1", "", "x\u0000")) {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> store.timeline(rejected));
                assertTrue(e.getMessage().startsWith("invalid conversation id"), e.getMessage());
            }
            assertEquals(2 + attempts.size(), influx.countPoints(db, "timeline_event", "eventId"), "nothing was dropped");
        }
    }

    @Test
    void manyThreadsAppendingToOneStoreLoseAndDuplicateNothing(InfluxServer influx) throws Exception {
        String db = influx.newDatabase("threads");
        List<TimelineEvent> events = TestEvents.generate(1234, 160, 25);
        int threads = 8;
        try (InfluxTimelineStore store = InfluxTimelineStore.create(InfluxConfig.builder().url(influx.url()).database(db)
                .batchSize(300).build())) {
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                CountDownLatch go = new CountDownLatch(1);
                List<Future<?>> done = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    int me = t;
                    done.add(pool.submit(() -> {
                        go.await();
                        // each thread appends its share in slices, and every thread also re-appends a common slice
                        List<TimelineEvent> mine = new ArrayList<>();
                        for (int i = me; i < events.size(); i += threads) {
                            mine.add(events.get(i));
                        }
                        for (int from = 0; from < mine.size(); from += 97) {
                            store.append(mine.subList(from, Math.min(mine.size(), from + 97)));
                        }
                        store.append(events.subList(0, 200));
                        return null;
                    }));
                }
                go.countDown();
                for (Future<?> f : done) {
                    f.get(60, TimeUnit.SECONDS);
                }
            } finally {
                pool.shutdownNow();
            }
            assertEquals(events.size(), influx.countPoints(db, "timeline_event", "eventId"));
            for (Map.Entry<String, Timeline> e : TestEvents.timelines(events).entrySet()) {
                assertEquals(e.getValue(), store.timeline(e.getKey()));
            }
        }
    }

    @Test
    void manyProducersThroughOneBatchWriter(InfluxServer influx) throws Exception {
        String db = influx.newDatabase("producers");
        List<TimelineEvent> events = TestEvents.generate(77, 100, 30);
        int threads = 6;
        try (InfluxTimelineStore store = InfluxTimelineStore.create(InfluxConfig.builder().url(influx.url()).database(db).build())) {
            InfluxBatchWriter writer = InfluxBatchWriter.builder(store).batchSize(400).capacity(500)
                    .linger(Duration.ofMillis(5)).build();
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                List<Future<?>> done = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    int me = t;
                    done.add(pool.submit(() -> {
                        for (int i = me; i < events.size(); i += threads) {
                            writer.write(events.get(i));
                        }
                        return null;
                    }));
                }
                for (Future<?> f : done) {
                    f.get(60, TimeUnit.SECONDS);
                }
            } finally {
                pool.shutdownNow();
            }
            writer.close(); // flushes
            assertEquals(events.size(), writer.eventsWritten());
            assertEquals(0, writer.pending());
            assertThrows(IllegalStateException.class, () -> writer.write(events.get(0)));
            assertEquals(events.size(), influx.countPoints(db, "timeline_event", "eventId"));
        }
    }
}
