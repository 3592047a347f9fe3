package dev.gctimeline.store.influx;

import dev.gctimeline.core.ConversationSummary;
import dev.gctimeline.core.EventKind;
import dev.gctimeline.core.StoreException;
import dev.gctimeline.core.Timeline;
import dev.gctimeline.core.TimelineEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The v3 request and response shapes against a server answering as InfluxDB 3's documentation shows. */
class InfluxV3ScriptedTest {
    static final String TOKEN = "apiv3_s3cr3t";
    private ScriptedInflux server;
    private final List<PartialWrite> partials = new ArrayList<>();

    @BeforeEach
    void start() throws IOException {
        server = new ScriptedInflux();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private InfluxTimelineStore store(int batchSize) {
        InfluxConfig c = InfluxConfig.fromOptions(Map.of("url", server.url(), "version", "v3", "database", "timeline db",
                "token", TOKEN, "batchSize", String.valueOf(batchSize)));
        return InfluxTimelineStore.builder(c).listener(partials::add).build();
    }

    @Test
    void writesAndReadsBackEveryEventExactly() throws IOException {
        List<TimelineEvent> events = TestEvents.generate(11, 50, 20);
        try (InfluxTimelineStore store = store(5000)) {
            store.append(events);
            ScriptedInflux.Request w = server.writes().get(0);
            assertEquals("/api/v3/write_lp", w.path());
            assertEquals("db=timeline+db&precision=nanosecond", w.query());
            assertEquals("Bearer " + TOKEN, w.header("Authorization"));
            assertEquals("gzip", w.header("Content-Encoding"));
            assertEquals(events.size(), server.pointCount());
            for (Map.Entry<String, Timeline> e : TestEvents.timelines(events).entrySet()) {
                assertEquals(e.getValue(), store.timeline(e.getKey()), e.getKey());
                ScriptedInflux.Request q = server.requests.get(server.requests.size() - 1);
                assertEquals("/api/v3/query_sql", q.path());
                assertEquals("timeline db", ScriptedInflux.jsonField(q.body(), "db"));
                assertEquals("json", ScriptedInflux.jsonField(q.body(), "format"));
                assertEquals("SELECT * FROM \"timeline_event\" WHERE \"conversationId\" = $cid", ScriptedInflux.jsonField(q.body(), "q"));
                assertEquals(Map.of("cid", e.getKey()), ScriptedInflux.jsonParams(q.body()), "the id is a bound parameter");
            }
        }
    }

    @Test
    void aPartialWriteNamesTheRejectedEvents() {
        List<TimelineEvent> events = TestEvents.generate(2, 1, 4);
        server.then(ScriptedInflux.Answer.of(400, "{\"error\":\"partial write of line protocol occurred\",\"data\":["
                + "{\"original_line\":\"timeline_event,conversationId=x sequence=1.5\",\"line_number\":2,"
                + "\"error_message\":\"invalid column type for column 'sequence', expected iox::column_type::field::integer, "
                + "got iox::column_type::field::float\"},"
                + "{\"original_line\":\"...\",\"line_number\":4,\"error_message\":\"No fields were provided\"}]}"));
        try (InfluxTimelineStore store = store(100)) {
            store.append(events);
            assertEquals(1, partials.size());
            PartialWrite pw = partials.get(0);
            assertEquals(2, pw.dropped());
            assertEquals(List.of(
                    new RejectedLine(2, events.get(1).conversationId(), events.get(1).eventId(),
                            "invalid column type for column 'sequence', expected iox::column_type::field::integer, got iox::column_type::field::float"),
                    new RejectedLine(4, events.get(3).conversationId(), events.get(3).eventId(), "No fields were provided")),
                    pw.lines());
            assertEquals(2, store.metrics().rejectedPoints());
            assertEquals(2, store.metrics().pointsWritten());
        }
    }

    @Test
    void aWholeBatchRefusalIsPermanent() {
        server.then(ScriptedInflux.Answer.of(400, "{\"error\":\"parsing failed for write_lp endpoint\",\"data\":"
                + "{\"original_line\":\"x\",\"line_number\":1,\"error_message\":\"Could not parse entire line\"}}"));
        try (InfluxTimelineStore store = store(100)) {
            StoreException e = assertThrows(StoreException.class, () -> store.append(TestEvents.generate(1, 1, 2)));
            assertFalse(e.retryable());
            assertTrue(e.getMessage().contains("parsing failed for write_lp endpoint"), e.getMessage());
            assertEquals(0, partials.size());
        }
    }

    @Test
    void a413SplitsAndA401IsNotRetried() {
        server.maxLinesPerWrite(40);
        try (InfluxTimelineStore store = store(100)) {
            store.append(TestEvents.generate(4, 4, 25));
            assertEquals(100, server.pointCount());
            assertEquals(3, store.metrics().splits()); // 100 -> 50, 50 -> 25 + 25 twice
            server.then(ScriptedInflux.Answer.of(401, "{\"error\":\"the request was not authenticated\"}"));
            int before = server.writes().size();
            StoreException e = assertThrows(StoreException.class, () -> store.append(TestEvents.generate(5, 1, 1)));
            assertFalse(e.retryable());
            assertFalse(e.getMessage().contains(TOKEN));
            assertEquals(before + 1, server.writes().size());
        }
    }

    @Test
    void conversationsUsesBoundIdsAndReadsZonelessTimes() throws IOException {
        server.then(ScriptedInflux.Answer.of(200, "[{\"conversationId\":\"b\",\"last\":\"1970-01-01T00:00:09.5\"},"
                + "{\"conversationId\":\"a'1\",\"last\":\"1970-01-01T00:00:06\"}]"));
        server.then(ScriptedInflux.Answer.of(200, "[{\"conversationId\":\"a'1\",\"n\":4,\"first\":\"1970-01-01T00:00:01\","
                + "\"last\":\"1970-01-01T00:00:06.000000001\"},{\"conversationId\":\"b\",\"n\":2,\"first\":\"1970-01-01T00:00:08\","
                + "\"last\":\"1970-01-01T00:00:09.500\"}]"));
        try (InfluxTimelineStore store = store(100)) {
            assertEquals(List.of(new ConversationSummary("b", 8000, 9500, 2), new ConversationSummary("a'1", 1000, 6000, 4)),
                    store.conversations(0, 10_000, 5));
            String q1 = ScriptedInflux.jsonField(server.requests.get(0).body(), "q");
            assertTrue(q1.contains("time >= '1970-01-01T00:00:00Z' AND time < '1970-01-01T00:00:10Z'"), q1);
            assertTrue(q1.endsWith("LIMIT 5"), q1);
            String q2 = ScriptedInflux.jsonField(server.requests.get(1).body(), "q");
            assertTrue(q2.contains("IN ($c0, $c1)"), q2);
            assertEquals(Map.of("c0", "b", "c1", "a'1"), ScriptedInflux.jsonParams(server.requests.get(1).body()));
        }
    }

    @Test
    void injectionAttemptsAreOnlyEverParameters() throws IOException {
        List<String> ids = List.of("' OR 1=1 --", "x'; DROP TABLE timeline_event; --", "\" OR \"1\"=\"1", "$c0 OR 1=1");
        List<TimelineEvent> events = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            events.add(TimelineEvent.builder(ids.get(i), EventKind.OTHER, 1000).eventId(i + 1).build());
        }
        events.add(TimelineEvent.builder("victim", EventKind.OTHER, 1000).eventId(99).build());
        try (InfluxTimelineStore store = store(100)) {
            store.append(events);
            for (int i = 0; i < ids.size(); i++) {
                assertEquals(List.of(events.get(i)), store.timeline(ids.get(i)).events());
                String body = server.requests.get(server.requests.size() - 1).body();
                assertFalse(ScriptedInflux.jsonField(body, "q").contains(ids.get(i)));
            }
            assertThrows(IllegalArgumentException.class, () -> store.timeline("x\\' OR 1=1"));
        }
    }
}
