package dev.gctimeline.store.influx;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * A real InfluxDB (Debian's influxdb 1.6.7 {@code influxd}) for the tests: started once per test
 * JVM on 127.0.0.1 with free ports, data under target/, usage reporting off; stopped when the test
 * run ends (JUnit closes it with the root context). Tests take it as a parameter:
 *
 * <pre>{@code @ExtendWith(InfluxServer.Extension.class) class T { @Test void t(InfluxServer influx) {...} } }</pre>
 *
 * If influxd is missing the test fails (never skips) and says to run bin/test, which installs it.
 */
final class InfluxServer implements AutoCloseable {
    private static final AtomicInteger DATABASES = new AtomicInteger();

    private final Process process;
    private final int port;
    private final Path dir;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private InfluxServer(Process process, int port, Path dir) {
        this.process = process;
        this.port = port;
        this.dir = dir;
    }

    /** JUnit extension giving tests the shared server. */
    static final class Extension implements ParameterResolver {
        @Override
        public boolean supportsParameter(ParameterContext p, ExtensionContext c) {
            return p.getParameter().getType() == InfluxServer.class;
        }

        @Override
        public Object resolveParameter(ParameterContext p, ExtensionContext c) {
            return c.getRoot().getStore(ExtensionContext.Namespace.create(InfluxServer.class))
                    .computeIfAbsent("influxd", k -> start(), InfluxServer.class);
        }
    }

    public int port() {
        return port;
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    /** A fresh database with a unique name. */
    public String newDatabase(String prefix) {
        String db = prefix + "_" + DATABASES.incrementAndGet() + "_" + ProcessHandle.current().pid();
        query("CREATE DATABASE \"" + db + "\"", null);
        return db;
    }

    /** Runs InfluxQL and returns the raw JSON answer. */
    public String query(String q, String db) {
        try {
            String form = "q=" + URLEncoder.encode(q, StandardCharsets.UTF_8)
                    + (db != null ? "&db=" + URLEncoder.encode(db, StandardCharsets.UTF_8) : "");
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url() + "/query?epoch=ns"))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200 || r.body().contains("\"error\"")) {
                throw new IllegalStateException("influx query failed: " + r.statusCode() + " " + r.body());
            }
            return r.body();
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Number of points in a measurement (count of the always-present eventId field). */
    public long countPoints(String db, String measurement, String field) {
        String body = query("SELECT count(\"" + field + "\") FROM \"" + measurement + "\"", db);
        Matcher m = Pattern.compile("\"values\":\\[\\[\\d+,(\\d+)\\]\\]").matcher(body);
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }

    private static InfluxServer start() {
        Path influxd = findInfluxd();
        try {
            int httpPort = freePort();
            int rpcPort = freePort();
            Path dir = Path.of("target", "influxd-" + httpPort).toAbsolutePath();
            deleteTree(dir);
            Files.createDirectories(dir);
            Path conf = dir.resolve("influxdb.conf");
            Files.writeString(conf, String.join("\n",
                    "reporting-enabled = false",
                    "bind-address = \"127.0.0.1:" + rpcPort + "\"",
                    "[meta]",
                    "  dir = \"" + dir.resolve("meta") + "\"",
                    "[data]",
                    "  dir = \"" + dir.resolve("data") + "\"",
                    "  wal-dir = \"" + dir.resolve("wal") + "\"",
                    "  query-log-enabled = false",
                    "[monitor]",
                    "  store-enabled = false",
                    "[continuous_queries]",
                    "  enabled = false",
                    "[http]",
                    "  bind-address = \"127.0.0.1:" + httpPort + "\"",
                    "  log-enabled = false",
                    ""));
            Process p = new ProcessBuilder(influxd.toString(), "run", "-config", conf.toString(),
                    "-pidfile", dir.resolve("influxd.pid").toString())
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve("influxd.log").toFile())
                    .start();
            InfluxServer s = new InfluxServer(p, httpPort, dir);
            s.awaitPing();
            return s;
        } catch (IOException e) {
            fail("could not start influxd: " + e);
            throw new AssertionError(e);
        }
    }

    private void awaitPing() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                fail("influxd exited with " + process.exitValue() + "; log: " + logTail());
            }
            try {
                HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create(url() + "/ping"))
                        .timeout(Duration.ofSeconds(1)).GET().build(), HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 204) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("interrupted waiting for influxd");
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("interrupted waiting for influxd");
            }
        }
        close();
        fail("influxd did not answer /ping with 204 within 30 s; log: " + logTail());
    }

    private String logTail() {
        try {
            List<String> lines = Files.readAllLines(dir.resolve("influxd.log"));
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "(no log)";
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        try {
            deleteTree(dir);
        } catch (IOException e) {
            // leave it for mvn clean
        }
    }

    private static Path findInfluxd() {
        String path = System.getenv("PATH");
        if (path != null) {
            for (String d : path.split(java.io.File.pathSeparator)) {
                Path p = Path.of(d, "influxd");
                if (Files.isExecutable(p)) {
                    return p;
                }
            }
        }
        for (String d : List.of("/usr/bin", "/usr/sbin", "/usr/local/bin")) {
            Path p = Path.of(d, "influxd");
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        fail("influxd (Debian's influxdb package) is not installed; run bin/test, which installs it");
        throw new AssertionError();
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) s.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(p);
            }
        }
    }
}
