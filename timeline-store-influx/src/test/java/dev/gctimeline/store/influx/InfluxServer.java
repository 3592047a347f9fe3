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
import java.util.ArrayList;
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
 * JVM on 127.0.0.1 with free ports (a start that loses a port to another process is retried on
 * fresh ones), config, meta and log under target/, points on /dev/shm when there is one, usage
 * reporting off; ready once its own log says it listens on our port and /ping answers; stopped
 * when the test run ends (JUnit closes it with the root context). Tests take it as a parameter:
 *
 * <pre>{@code @ExtendWith(InfluxServer.Extension.class) class T { @Test void t(InfluxServer influx) {...} } }</pre>
 *
 * If influxd is missing the test fails (never skips) and says to run bin/test, which installs it.
 */
final class InfluxServer implements AutoCloseable {
    private static final AtomicInteger DATABASES = new AtomicInteger();

    private static final int START_ATTEMPTS = 5;

    private final Process process;
    private final int port;
    private final Path dir;
    private final Path data;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private InfluxServer(Process process, int port, Path dir, Path data) {
        this.process = process;
        this.port = port;
        this.dir = dir;
        this.data = data;
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
        // Free ports are only probed: another process can bind one before influxd does. Such a start
        // fails fast (influxd exits) and is retried on fresh ports.
        List<String> failed = new ArrayList<>();
        for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
            InfluxServer s = startOnce(influxd, failed);
            if (s != null) {
                return s;
            }
        }
        fail("influxd did not start in " + START_ATTEMPTS + " attempts:\n" + String.join("\n---\n", failed));
        throw new AssertionError();
    }

    /** One start on fresh ports; null (with the reason added to {@code failed}) if influxd exited. */
    private static InfluxServer startOnce(Path influxd, List<String> failed) {
        try {
            int[] ports = freePorts(2);
            int httpPort = ports[0];
            int rpcPort = ports[1];
            Path dir = Path.of("target", "influxd-" + httpPort).toAbsolutePath();
            deleteTree(dir);
            Files.createDirectories(dir);
            // Points go to memory when the machine has a tmpfs: InfluxDB fsyncs its WAL on every
            // write, and a stalled disk on a busy machine must not turn a write into a client timeout
            // (the fault tests count timeouts exactly).
            Path data = scratchRoot().resolve("gctimeline-influxd-" + ProcessHandle.current().pid() + "-" + httpPort);
            deleteTree(data);
            Files.createDirectories(data);
            Path conf = dir.resolve("influxdb.conf");
            Files.writeString(conf, String.join("\n",
                    "reporting-enabled = false",
                    "bind-address = \"127.0.0.1:" + rpcPort + "\"",
                    "[meta]",
                    "  dir = \"" + dir.resolve("meta") + "\"",
                    "[data]",
                    "  dir = \"" + data.resolve("data") + "\"",
                    "  wal-dir = \"" + data.resolve("wal") + "\"",
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
            InfluxServer s = new InfluxServer(p, httpPort, dir, data);
            if (s.awaitReady()) {
                return s;
            }
            failed.add("ports " + httpPort + "/" + rpcPort + ": influxd exited with " + p.exitValue() + "; log:\n"
                    + s.logTail());
            s.close();
            return null;
        } catch (IOException e) {
            fail("could not start influxd: " + e);
            throw new AssertionError(e);
        }
    }

    /** /dev/shm when it is a writable tmpfs with room, else target/. */
    private static Path scratchRoot() {
        Path shm = Path.of("/dev/shm");
        try {
            if (Files.isDirectory(shm) && Files.isWritable(shm) && Files.getFileStore(shm).getUsableSpace() > (1L << 30)) {
                return shm;
            }
        } catch (IOException e) {
            // no usable tmpfs
        }
        return Path.of("target").toAbsolutePath();
    }

    /**
     * True once this influxd answers: its own log says it listens on our HTTP port (so a /ping
     * answer cannot come from another process that took the port) and /ping says 204. False if
     * influxd exited (a port was taken between probing and binding). Fails after 60 s.
     */
    private boolean awaitReady() {
        String listening = "msg=\"Listening on HTTP\"";
        String address = "addr=127.0.0.1:" + port + " ";
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() - deadline < 0) {
            if (!process.isAlive()) {
                return false;
            }
            if (logLines().stream().anyMatch(l -> l.contains(listening) && l.contains(address))) {
                try {
                    HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create(url() + "/ping"))
                            .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.discarding());
                    if (r.statusCode() == 204) {
                        return true;
                    }
                } catch (IOException e) {
                    // not answering yet
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    fail("interrupted waiting for influxd");
                }
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("interrupted waiting for influxd");
            }
        }
        String log = logTail();
        close();
        fail("influxd did not listen and answer /ping with 204 within 60 s; log: " + log);
        throw new AssertionError();
    }

    private List<String> logLines() {
        try {
            return Files.readAllLines(dir.resolve("influxd.log"));
        } catch (IOException e) {
            return List.of();
        }
    }

    private String logTail() {
        List<String> lines = logLines();
        return lines.isEmpty() ? "(no log)" : String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
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
        for (Path p : List.of(dir, data)) {
            try {
                deleteTree(p);
            } catch (IOException e) {
                // leave it for mvn clean (or the next boot, for a tmpfs)
            }
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

    /** {@code n} distinct ports free now: all probes are held open together, so none repeats. */
    static int[] freePorts(int n) throws IOException {
        List<ServerSocket> probes = new ArrayList<>();
        try {
            int[] ports = new int[n];
            for (int i = 0; i < n; i++) {
                ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                probes.add(s);
                ports[i] = s.getLocalPort();
            }
            return ports;
        } finally {
            for (ServerSocket s : probes) {
                s.close();
            }
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
