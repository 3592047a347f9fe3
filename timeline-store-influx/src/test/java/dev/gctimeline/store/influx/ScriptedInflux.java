package dev.gctimeline.store.influx;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

/**
 * A loopback stand-in for InfluxDB 2 ({@code /api/v2/write}, {@code /api/v2/query}) and InfluxDB 3
 * ({@code /api/v3/write_lp}, {@code /api/v3/query_sql}) that answers in the shapes InfluxDB's
 * documentation shows: 204 for a write, annotated CSV (unpivoted: one table per series and field)
 * for Flux, a JSON array of row objects without null columns and with zone-less ISO times for SQL.
 * Writes are parsed with {@link LineProtocolParser} and kept like InfluxDB keeps points (same series
 * and time: one point, fields merged). Scripted answers can be queued for the next requests.
 */
final class ScriptedInflux implements AutoCloseable {
    static final JsonFactory JSON = new JsonFactory();

    record Request(String method, String path, String query, Map<String, List<String>> headers, String body) {
        String header(String name) {
            for (Map.Entry<String, List<String>> e : headers.entrySet()) {
                if (e.getKey().equalsIgnoreCase(name)) {
                    return e.getValue().get(0);
                }
            }
            return null;
        }
    }

    record Answer(int status, Map<String, String> headers, String body) {
        static Answer of(int status, String body) {
            return new Answer(status, Map.of("Content-Type", "application/json"), body);
        }
    }

    private final HttpServer server;
    final List<Request> requests = Collections.synchronizedList(new ArrayList<>());
    private final Deque<Function<Request, Answer>> script = new ArrayDeque<>();
    private final Map<String, LineProtocolParser.Point> points = new LinkedHashMap<>();
    private volatile int maxLinesPerWrite = Integer.MAX_VALUE;

    ScriptedInflux() throws IOException {
        // without it every small answer waits ~40 ms for a delayed ACK (Nagle)
        System.setProperty("sun.net.httpserver.nodelay", "true");
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Queues an answer for the next request (of any kind). */
    synchronized void then(Answer a) {
        script.add(r -> a);
    }

    /** Writes with more lines than this get InfluxDB 2's 413. */
    void maxLinesPerWrite(int n) {
        maxLinesPerWrite = n;
    }

    synchronized int pointCount() {
        return points.size();
    }

    List<Request> writes() {
        synchronized (requests) {
            return requests.stream().filter(r -> r.path.contains("write")).toList();
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            byte[] raw = ex.getRequestBody().readAllBytes();
            if ("gzip".equalsIgnoreCase(ex.getRequestHeaders().getFirst("Content-Encoding"))) {
                try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(raw))) {
                    raw = in.readAllBytes();
                }
            }
            Request req = new Request(ex.getRequestMethod(), ex.getRequestURI().getPath(), ex.getRequestURI().getRawQuery(),
                    Map.copyOf(ex.getRequestHeaders()), new String(raw, StandardCharsets.UTF_8));
            requests.add(req);
            Answer a = answer(req);
            a.headers().forEach((k, v) -> ex.getResponseHeaders().add(k, v));
            byte[] body = a.body() == null ? new byte[0] : a.body().getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(a.status(), body.length == 0 ? -1 : body.length);
            if (body.length > 0) {
                try (OutputStream out = ex.getResponseBody()) {
                    out.write(body);
                }
            }
        } catch (RuntimeException e) {
            e.printStackTrace();
            throw e;
        }
    }

    private synchronized Answer answer(Request r) throws IOException {
        Function<Request, Answer> scripted = script.poll();
        if (scripted != null) {
            return scripted.apply(r);
        }
        switch (r.path) {
            case "/api/v2/write", "/api/v3/write_lp" -> {
                List<LineProtocolParser.Point> ps = LineProtocolParser.parse(r.body);
                if (ps.size() > maxLinesPerWrite) {
                    return Answer.of(413, "{\"code\":\"request too large\",\"message\":\"unable to read data: points batch is too large\"}");
                }
                for (LineProtocolParser.Point p : ps) {
                    String key = p.seriesKey() + "@" + p.time();
                    LineProtocolParser.Point old = points.get(key);
                    if (old != null) {
                        Map<String, Object> merged = new LinkedHashMap<>(old.fields());
                        merged.putAll(p.fields());
                        p = new LineProtocolParser.Point(p.measurement(), p.tags(), merged, p.time());
                    }
                    points.put(key, p);
                }
                return new Answer(204, Map.of(), null);
            }
            case "/api/v2/query" -> {
                return new Answer(200, Map.of("Content-Type", "text/csv; charset=utf-8"), flux(r.body));
            }
            case "/api/v3/query_sql" -> {
                return new Answer(200, Map.of("Content-Type", "application/json"), sql(r.body));
            }
            default -> {
                return Answer.of(404, "{\"code\":\"not found\",\"message\":\"path not found\"}");
            }
        }
    }

    // ------------------------------------------------------------------ Flux (v2)

    private static final Pattern FLUX_ID = Pattern.compile("r\\.conversationId == \"((?:[^\"\\\\]|\\\\.)*)\"");

    static String unescapeFlux(String s) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\') {
                char n = s.charAt(++i);
                sb.append(switch (n) {
                    case 'n' -> '\n';
                    case 'r' -> '\r';
                    case 't' -> '\t';
                    default -> n;
                });
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    private String flux(String jsonBody) throws IOException {
        String query = jsonField(jsonBody, "query");
        Matcher m = FLUX_ID.matcher(Objects.requireNonNull(query));
        if (!m.find()) {
            throw new IllegalStateException("no conversation filter in " + query);
        }
        String id = unescapeFlux(m.group(1));
        StringBuilder csv = new StringBuilder();
        String lastSchema = null;
        int table = 0;
        for (LineProtocolParser.Point p : points.values()) {
            if (!p.measurement().equals("timeline_event") || !id.equals(p.tags().get("conversationId"))) {
                continue;
            }
            for (Map.Entry<String, Object> f : p.fields().entrySet()) {
                List<String> cols = new ArrayList<>(List.of("result", "table", "_start", "_stop", "_time", "_value",
                        "_field", "_measurement"));
                cols.addAll(p.tags().keySet());
                String type = f.getValue() instanceof Long ? "long" : f.getValue() instanceof Boolean ? "boolean"
                        : f.getValue() instanceof Double ? "double" : "string";
                String schema = cols + type;
                if (!schema.equals(lastSchema)) {
                    if (lastSchema != null) {
                        csv.append("\r\n");
                    }
                    StringBuilder g = new StringBuilder("#group,false,false,true,true,false,false,true,true");
                    StringBuilder d = new StringBuilder("#datatype,string,long,dateTime:RFC3339,dateTime:RFC3339,dateTime:RFC3339,")
                            .append(type).append(",string,string");
                    StringBuilder def = new StringBuilder("#default,_result,,,,,,,");
                    StringBuilder h = new StringBuilder(",result,table,_start,_stop,_time,_value,_field,_measurement");
                    for (String t : p.tags().keySet()) {
                        g.append(",true");
                        d.append(",string");
                        def.append(',');
                        h.append(',').append(cell(t));
                    }
                    csv.append(g).append("\r\n").append(d).append("\r\n").append(def).append("\r\n").append(h).append("\r\n");
                    lastSchema = schema;
                }
                csv.append(",,").append(table++).append(",1677-09-21T00:12:43.145224194Z,2262-04-11T23:47:16.854775806Z,")
                        .append(rfc3339(p.time())).append(',').append(cell(String.valueOf(f.getValue()))).append(',')
                        .append(cell(f.getKey())).append(',').append(p.measurement());
                for (String v : p.tags().values()) {
                    csv.append(',').append(cell(v));
                }
                csv.append("\r\n");
            }
        }
        return csv.append("\r\n").toString();
    }

    static String cell(String v) {
        if (v.indexOf(',') < 0 && v.indexOf('"') < 0 && v.indexOf('\n') < 0 && v.indexOf('\r') < 0) {
            return v;
        }
        return '"' + v.replace("\"", "\"\"") + '"';
    }

    static String rfc3339(long nanos) {
        return Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L)).toString();
    }

    // ------------------------------------------------------------------ SQL (v3)

    private String sql(String jsonBody) throws IOException {
        String q = jsonField(jsonBody, "q");
        Map<String, String> params = jsonParams(jsonBody);
        if (q == null || !q.contains("\"conversationId\" = $cid")) {
            throw new IllegalStateException("unexpected SQL " + q);
        }
        String id = params.get("cid");
        StringWriter sw = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(sw)) {
            g.writeStartArray();
            for (LineProtocolParser.Point p : points.values()) {
                if (!p.measurement().equals("timeline_event") || !p.tags().get("conversationId").equals(id)) {
                    continue;
                }
                g.writeStartObject();
                for (Map.Entry<String, Object> c : p.columns().entrySet()) {
                    if (c.getValue() instanceof Long l) {
                        g.writeNumberField(c.getKey(), l);
                    } else {
                        g.writeStringField(c.getKey(), String.valueOf(c.getValue()));
                    }
                }
                g.writeStringField("time", LocalDateTime.ofEpochSecond(Math.floorDiv(p.time(), 1_000_000_000L),
                        (int) Math.floorMod(p.time(), 1_000_000_000L), ZoneOffset.UTC).toString());
                g.writeEndObject();
            }
            g.writeEndArray();
        }
        return sw.toString();
    }

    static String jsonField(String json, String name) throws IOException {
        try (JsonParser p = JSON.createParser(json)) {
            p.nextToken();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String n = p.currentName();
                p.nextToken();
                if (n.equals(name) && p.currentToken() == JsonToken.VALUE_STRING) {
                    return p.getText();
                }
                p.skipChildren();
            }
        }
        return null;
    }

    static Map<String, String> jsonParams(String json) throws IOException {
        Map<String, String> out = new LinkedHashMap<>();
        try (JsonParser p = JSON.createParser(json)) {
            p.nextToken();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String n = p.currentName();
                p.nextToken();
                if (n.equals("params") && p.currentToken() == JsonToken.START_OBJECT) {
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String k = p.currentName();
                        p.nextToken();
                        out.put(k, p.getText());
                    }
                } else {
                    p.skipChildren();
                }
            }
        }
        return out;
    }
}
