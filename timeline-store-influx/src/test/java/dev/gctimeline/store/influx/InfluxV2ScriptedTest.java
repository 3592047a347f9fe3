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
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The v2 request and response shapes against a server answering as InfluxDB 2's documentation shows. */
class InfluxV2ScriptedTest {
    static final String TOKEN = "s3cr3t-t0ken-v2";
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
        InfluxConfig c = InfluxConfig.builder().url(server.url()).version(InfluxApiVersion.V2).org("my org")
                .bucket("timeline/b").token(TOKEN).batchSize(batchSize).build();
        return InfluxTimelineStore.builder(c).listener(partials::add).build();
    }

    @Test
    void writesAndReadsBackEveryEventExactly() throws IOException {
        List<TimelineEvent> events = TestEvents.generate(3, 60, 25);
        try (InfluxTimelineStore store = store(1000)) {
            store.append(events);
            List<ScriptedInflux.Request> writes = server.writes();
            assertEquals(2, writes.size());
            ScriptedInflux.Request w = writes.get(0);
            assertEquals("POST", w.method());
            assertEquals("/api/v2/write", w.path());
            assertEquals("org=my+org&bucket=timeline%2Fb&precision=ns", w.query());
            assertEquals("Token " + TOKEN, w.header("Authorization"));
            assertEquals("gzip", w.header("Content-Encoding"));
            assertTrue(w.header("Content-Type").startsWith("text/plain"));
            assertEquals(1000, w.body().split("\n").length);
            assertEquals(events.size(), server.pointCount());

            for (Map.Entry<String, Timeline> e : TestEvents.timelines(events).entrySet()) {
                assertEquals(e.getValue(), store.timeline(e.getKey()), e.getKey());
            }
            ScriptedInflux.Request q = server.requests.get(server.requests.size() - 1);
            assertEquals("/api/v2/query", q.path());
            assertEquals("org=my+org", q.query());
            assertEquals("Token " + TOKEN, q.header("Authorization"));
            assertEquals("flux", ScriptedInflux.jsonField(q.body(), "type"));
            assertTrue(q.body().contains("\"annotations\":[\"datatype\",\"group\",\"default\"]"), q.body());
            assertTrue(ScriptedInflux.jsonField(q.body(), "query").startsWith("from(bucket: \"timeline/b\")"));
        }
    }

    @Test
    void aPartialWriteIsReportedAndNotThrown() {
        server.then(ScriptedInflux.Answer.of(422, "{\"code\":\"unprocessable entity\",\"message\":\"failure writing points to "
                + "database: partial write: field type conflict: input field \\\"sequence\\\" on measurement \\\"timeline_event\\\" "
                + "is type float, already exists as type integer dropped=1\"}"));
        try (InfluxTimelineStore store = store(100)) {
            store.append(TestEvents.generate(1, 1, 3));
            assertEquals(1, partials.size());
            assertEquals(1, partials.get(0).dropped());
            assertTrue(partials.get(0).message().contains("field type conflict"));
            assertEquals(1, store.metrics().partialWrites());
            assertEquals(1, store.metrics().rejectedPoints());
            assertEquals(2, store.metrics().pointsWritten());
            assertEquals(0, store.metrics().permanentFailures());
        }
    }

    @Test
    void a413SplitsTheBatchUntilItFits() {
        server.maxLinesPerWrite(300);
        List<TimelineEvent> events = TestEvents.generate(5, 40, 25);
        try (InfluxTimelineStore store = store(1000)) {
            store.append(events);
            // 1000 -> 413; 500 -> 413 twice; 250 -> 204 four times
            assertEquals(7, server.writes().size());
            assertEquals(3, store.metrics().splits());
            assertEquals(1000, store.metrics().pointsWritten());
            assertEquals(1000, server.pointCount());
        }
        server.maxLinesPerWrite(0);
        try (InfluxTimelineStore store = store(10)) {
            store.append(events.subList(0, 2));
            assertEquals(2, store.metrics().rejectedPoints(), "a single line over the limit is reported, not retried");
            assertEquals(2, partials.size());
            assertEquals(events.get(0).eventId(), partials.get(0).lines().get(0).eventId());
        }
    }

    @Test
    void a401IsPermanentAndNeverRetried() throws Exception {
        server.then(ScriptedInflux.Answer.of(401, "{\"code\":\"unauthorized\",\"message\":\"unauthorized access\"}"));
        try (InfluxTimelineStore store = store(100)) {
            StoreException e = assertThrows(StoreException.class, () -> store.append(TestEvents.generate(1, 1, 2)));
            assertFalse(e.retryable());
            assertTrue(e.getMessage().contains("401"));
            assertFalse(e.getMessage().contains(TOKEN));
            assertFalse(store.toString().contains(TOKEN));
            assertEquals(1, store.metrics().permanentFailures());

            server.then(ScriptedInflux.Answer.of(401, "{\"code\":\"unauthorized\",\"message\":\"unauthorized access\"}"));
            // a long linger: only flush() sends, so the three events go as one batch (with a zero
            // linger the writer thread may send the first one alone, and the rest to a 204)
            try (InfluxBatchWriter w = InfluxBatchWriter.builder(store).linger(Duration.ofMinutes(1))
                    .retry(new RetryPolicy(Duration.ofMillis(1), Duration.ofMillis(5), 0, Duration.ofSeconds(1))).build()) {
                w.writeAll(TestEvents.generate(2, 1, 3));
                assertTrue(w.flush(Duration.ofSeconds(10)));
                assertEquals(0, w.retries());
                assertEquals(3, w.eventsFailed());
            }
            assertEquals(2, server.writes().size(), "one request per refusal, no retry");
        }
    }

    @Test
    void throttlingAndServerErrorsAreRetryableWithTheServersHint() {
        server.then(new ScriptedInflux.Answer(429, Map.of("Retry-After", "7"), "{\"code\":\"too many requests\",\"message\":\"slow down\"}"));
        server.then(new ScriptedInflux.Answer(503, Map.of("Retry-After", "2"), "{\"code\":\"unavailable\",\"message\":\"busy\"}"));
        server.then(ScriptedInflux.Answer.of(500, "{\"code\":\"internal error\",\"message\":\"oops\"}"));
        try (InfluxTimelineStore store = store(100)) {
            List<TimelineEvent> one = TestEvents.generate(1, 1, 1);
            StoreException a = assertThrows(StoreException.class, () -> store.append(one));
            assertTrue(a.retryable());
            assertEquals(Optional.of(Duration.ofSeconds(7)), a.retryAfter());
            StoreException b = assertThrows(StoreException.class, () -> store.append(one));
            assertEquals(Optional.of(Duration.ofSeconds(2)), b.retryAfter());
            StoreException c = assertThrows(StoreException.class, () -> store.append(one));
            assertTrue(c.retryable());
            assertEquals(Optional.empty(), c.retryAfter());
            store.append(one);
            assertEquals(1, store.metrics().throttled());
            assertEquals(2, store.metrics().serverErrors());
            assertEquals(1, store.metrics().pointsWritten());
        }
    }

    @Test
    void aFluxErrorTableFailsThePlayback() {
        server.then(new ScriptedInflux.Answer(200, Map.of("Content-Type", "text/csv"),
                "#datatype,string,long\r\n,error,reference\r\n,\"error calling function \"\"filter\"\"\",897\r\n\r\n"));
        try (InfluxTimelineStore store = store(100)) {
            StoreException e = assertThrows(StoreException.class, () -> store.timeline("c-1"));
            assertFalse(e.retryable());
            assertTrue(e.getMessage().contains("error calling function \"filter\""), e.getMessage());
        }
    }

    @Test
    void conversationsReadsTheYieldedTables() throws IOException {
        server.then(new ScriptedInflux.Answer(200, Map.of(), "#group,false,false,true,false\r\n#datatype,string,long,string,long\r\n"
                + "#default,_result,,,\r\n,result,table,conversationId,_value\r\n,,0,a \"1\",8000000000\r\n,,1,b,9000000000\r\n"
                + ",,2,c,7000000000\r\n\r\n"));
        server.then(new ScriptedInflux.Answer(200, Map.of(), "#group,false,false,true,false\r\n#datatype,string,long,string,long\r\n"
                + "#default,count,,,\r\n,result,table,conversationId,_value\r\n,,0,a \"1\",4\r\n,,1,b,2\r\n\r\n"
                + "#group,false,false,true,false\r\n#datatype,string,long,string,long\r\n"
                + "#default,first,,,\r\n,result,table,conversationId,_value\r\n,,0,a \"1\",1000000000\r\n,,1,b,8000000000\r\n\r\n"
                + "#group,false,false,true,false\r\n#datatype,string,long,string,long\r\n"
                + "#default,last,,,\r\n,result,table,conversationId,_value\r\n,,0,a \"1\",6000000000\r\n,,1,b,9500000000\r\n\r\n"));
        try (InfluxTimelineStore store = store(100)) {
            List<ConversationSummary> s = store.conversations(0, 10_000, 2);
            assertEquals(List.of(new ConversationSummary("b", 8000, 9500, 2), new ConversationSummary("a \"1\"", 1000, 6000, 4)), s);
            String window = ScriptedInflux.jsonField(server.requests.get(0).body(), "query");
            assertTrue(window.contains("range(start: time(v: 0), stop: time(v: 10000000000))"), window);
            String summary = ScriptedInflux.jsonField(server.requests.get(1).body(), "query");
            assertTrue(summary.contains("r.conversationId == \"b\" or r.conversationId == \"a \\\"1\\\"\""), summary);
        }
    }

    @Test
    void injectionAttemptsStayLiteral() throws IOException {
        List<String> ids = List.of("x\") |> drop(columns: [\"_value\"]) |> yield(name: \"", "${r._value}", "' OR 1=1 --",
                "a\" or r.conversationId != \"");
        List<TimelineEvent> events = new ArrayList<>();
        long id = 1;
        for (String conv : ids) {
            events.add(TimelineEvent.builder(conv, EventKind.OTHER, 1000).eventId(id++).build());
        }
        events.add(TimelineEvent.builder("victim", EventKind.OTHER, 1000).eventId(99).build());
        try (InfluxTimelineStore store = store(100)) {
            store.append(events);
            for (int i = 0; i < ids.size(); i++) {
                Timeline t = store.timeline(ids.get(i));
                assertEquals(List.of(events.get(i)), t.events(), ids.get(i));
                String flux = ScriptedInflux.jsonField(server.requests.get(server.requests.size() - 1).body(), "query");
                String literal = dev.gctimeline.store.influx.internal.FluxReader.literal(ids.get(i));
                assertTrue(flux.endsWith(" and r.conversationId == " + literal + ")"), flux);
                String outsideLiterals = flux.replace(literal, "");
                assertEquals(2, outsideLiterals.split("\\|>", -1).length - 1, "only range and filter: " + flux);
            }
            assertEquals("\"\\${r._value}\"", dev.gctimeline.store.influx.internal.FluxReader.literal("${r._value}"));
            assertEquals("\"a\\\" or b\\\\\"", dev.gctimeline.store.influx.internal.FluxReader.literal("a\" or b\\"));
            assertThrows(IllegalArgumentException.class, () -> store.timeline("back\\slash\") |> drop("));
        }
    }
}
