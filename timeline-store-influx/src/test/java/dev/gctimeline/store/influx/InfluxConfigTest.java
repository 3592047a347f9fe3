package dev.gctimeline.store.influx;

import dev.gctimeline.core.TimelineStore;
import dev.gctimeline.core.TimelineStores;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Options, their errors, secrecy, the ServiceLoader registration, and the retry policy's arithmetic. */
class InfluxConfigTest {
    static final String SECRET = "hunter2-very-secret";

    private static String error(Map<String, String> options) {
        return assertThrows(IllegalArgumentException.class, () -> InfluxConfig.fromOptions(options)).getMessage();
    }

    private static Map<String, String> with(String... kv) {
        Map<String, String> m = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    @Test
    void theProviderIsFoundByName() {
        assertTrue(TimelineStores.available().contains("influx"), TimelineStores.available().toString());
        try (TimelineStore s = TimelineStores.open("influx", with("url", "http://127.0.0.1:1", "db", "t"))) {
            assertInstanceOf(InfluxTimelineStore.class, s);
        }
    }

    @Test
    void eachVersionNeedsItsOwnTarget() {
        InfluxConfig v1 = InfluxConfig.fromOptions(with("url", "http://127.0.0.1:8086", "db", "t", "rp", "weekly"));
        assertEquals(InfluxApiVersion.V1, v1.version());
        assertEquals("weekly", v1.retentionPolicy());
        InfluxConfig v2 = InfluxConfig.fromOptions(with("url", "http://h:8086/", "version", "v2", "org", "o", "bucket", "b", "token", SECRET));
        assertEquals("b", v2.bucket());
        InfluxConfig v3 = InfluxConfig.fromOptions(with("url", "https://h", "version", "3", "database", "d", "batchSize", "100",
                "requestTimeout", "PT3S", "connectTimeout", "250", "gzip", "false"));
        assertEquals(100, v3.batchSize());
        assertEquals(Duration.ofSeconds(3), v3.requestTimeout());
        assertEquals(Duration.ofMillis(250), v3.connectTimeout());
        assertFalse(v3.gzip());
    }

    @Test
    void badOrMissingOptionsAreNamed() {
        assertTrue(error(with("db", "t")).contains("'url'"));
        assertTrue(error(with("url", "ftp://h", "db", "t")).contains("'url'"));
        assertTrue(error(with("url", "http://127.0.0.1:8086")).contains("'db'"));
        assertTrue(error(with("url", "http://h", "version", "v2", "bucket", "b", "token", "x")).contains("'org'"));
        assertTrue(error(with("url", "http://h", "version", "v2", "org", "o", "bucket", "b")).contains("'token'"));
        assertTrue(error(with("url", "http://h", "version", "v3")).contains("'database'"));
        assertTrue(error(with("url", "http://h", "version", "v4", "db", "t")).contains("'version'"));
        assertTrue(error(with("url", "http://h", "db", "t", "batchSize", "lots")).contains("'batchSize'"));
        assertTrue(error(with("url", "http://h", "db", "t", "batchSize", "0")).contains("'batchSize'"));
        assertTrue(error(with("url", "http://h", "db", "t", "bucket", "b")).contains("'bucket'"));
        assertTrue(error(with("url", "http://h", "db", "t", "measurement", "bad name")).contains("'measurement'"));
        assertTrue(error(with("url", "http://h", "db", "t", "requestTimeout", "soon")).contains("'requestTimeout'"));
        assertTrue(error(with("url", "http://h", "db", "t", "username", "u")).contains("'password'"));
        assertTrue(error(with("url", "http://h", "db", "t", "tokn", "x")).contains("unknown option 'tokn'"));
    }

    @Test
    void secretsAppearInNoMessageAndNoToString() {
        InfluxConfig c = InfluxConfig.fromOptions(with("url", "http://h", "db", "t", "username", "writer", "password", SECRET));
        assertFalse(c.toString().contains(SECRET));
        assertTrue(c.toString().contains("writer"));
        InfluxConfig t = InfluxConfig.fromOptions(with("url", "http://h", "version", "v2", "org", "o", "bucket", "b", "token", SECRET));
        assertFalse(t.toString().contains(SECRET));
        try (InfluxTimelineStore s = InfluxTimelineStore.create(t)) {
            assertFalse(s.toString().contains(SECRET));
        }
        assertFalse(error(with("url", "http://u:" + SECRET + "@h", "db", "t")).contains(SECRET));
        assertFalse(error(with("url", "http://h?p=" + SECRET, "db", "t")).contains(SECRET));
        assertFalse(error(with("url", "http://h", "db", "t", "token", SECRET, "username", "u", "password", SECRET)).contains(SECRET));
        assertFalse(error(with("url", "http://h", "version", "v2", "org", "o", "bucket", "b", "token", SECRET, "gzip", "maybe"))
                .contains(SECRET));
    }

    @Test
    void retryDelaysUseFullJitterUnderAGrowingCapAndHonourRetryAfter() {
        RetryPolicy p = new RetryPolicy(Duration.ofMillis(100), Duration.ofSeconds(1), 0, Duration.ofSeconds(30));
        for (int attempt = 1; attempt <= 10; attempt++) {
            long cap = Math.min(1000, 100L << (attempt - 1));
            for (int i = 0; i < 200; i++) {
                long d = p.delay(attempt, Optional.empty()).toMillis();
                assertTrue(d >= 0 && d <= cap, attempt + ": " + d);
            }
        }
        assertTrue(p.delay(1, Optional.of(Duration.ofSeconds(7))).compareTo(Duration.ofSeconds(7)) >= 0);
        assertEquals(Duration.ofSeconds(30), p.delay(1, Optional.of(Duration.ofHours(1))));
        assertThrows(IllegalArgumentException.class, () -> new RetryPolicy(Duration.ZERO, Duration.ofSeconds(1), 0, Duration.ZERO));
    }

    @Test
    void v1CredentialsTravelAsBasicAuthInAHeaderNeverInTheUrl() throws Exception {
        try (ScriptedInflux server = new ScriptedInflux()) {
            server.then(new ScriptedInflux.Answer(204, Map.of(), null));
            InfluxConfig c = InfluxConfig.fromOptions(with("url", server.url(), "db", "t db", "rp", "a week",
                    "username", "writer", "password", SECRET, "gzip", "false"));
            try (InfluxTimelineStore store = InfluxTimelineStore.create(c)) {
                store.append(TestEvents.generate(8, 1, 2));
            }
            ScriptedInflux.Request w = server.requests.get(0);
            assertEquals("/write", w.path());
            assertEquals("db=t+db&rp=a+week&precision=ns", w.query());
            assertEquals("Basic " + java.util.Base64.getEncoder().encodeToString(("writer:" + SECRET).getBytes(
                    java.nio.charset.StandardCharsets.UTF_8)), w.header("Authorization"));
            assertEquals(null, w.header("Content-Encoding"));
            assertEquals(2, w.body().split("\n").length);
            assertFalse(w.query().contains(SECRET));
        }
    }

    @Test
    void retryAfterParsesSecondsAndDates() {
        assertEquals(Duration.ofSeconds(120), dev.gctimeline.store.influx.internal.InfluxHttp.parseRetryAfter("120"));
        assertEquals(Duration.ZERO, dev.gctimeline.store.influx.internal.InfluxHttp.parseRetryAfter("Wed, 21 Oct 2015 07:28:00 GMT"));
        assertEquals(null, dev.gctimeline.store.influx.internal.InfluxHttp.parseRetryAfter("soon"));
    }
}
