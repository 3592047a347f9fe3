package dev.gctimeline.store.influx.internal;

import dev.gctimeline.core.ConversationSummary;
import dev.gctimeline.core.StoreException;
import dev.gctimeline.core.TimelineEvent;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Playback over InfluxDB 2 {@code /api/v2/query}: Flux, answered in annotated CSV.
 *
 * <p>The timeline query is deliberately not pivoted: each stored field comes back as its own row
 * ({@code _field}, {@code _value}), so an absent field (a null) and a present empty string stay
 * distinct, which a pivot's empty cell could not show. Rows are regrouped into points by series
 * (the tag set) and {@code _time}.
 *
 * <p>Flux has no bound parameters in InfluxDB OSS, so every string is put into the query as a
 * Flux string literal escaped by {@link #literal}: backslash, double quote, {@code ${}, and control
 * characters. Ids are validated before they get here.
 */
public final class FluxReader implements QueryReader {
    /** Columns of a Flux row that are not tags of the stored point. */
    private static final Set<String> NOT_TAGS = Set.of("result", "table", "_start", "_stop", "_time", "_value",
            "_field", "_measurement");
    static final String ALL_TIME = "start: 1677-09-21T00:12:43.145224194Z, stop: 2262-04-11T23:47:16.854775806Z";

    private final InfluxHttp http;
    private final String bucket;
    private final String measurement;

    public FluxReader(InfluxHttp http, String bucket, String measurement) {
        this.http = http;
        this.bucket = bucket;
        this.measurement = measurement;
    }

    /** A Flux string literal. */
    public static String literal(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\\' -> sb.append("\\\\");
                case '"' -> sb.append("\\\"");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case '$' -> {
                    if (i + 1 < s.length() && s.charAt(i + 1) == '{') {
                        sb.append("\\$");
                    } else {
                        sb.append('$');
                    }
                }
                default -> sb.append(c);
            }
        }
        return sb.append('"').toString();
    }

    private String source() {
        return "from(bucket: " + literal(bucket) + ")";
    }

    /** The timeline query of one conversation (visible for tests). */
    public String timelineQuery(String conversationId) {
        return source() + "\n  |> range(" + ALL_TIME + ")"
                + "\n  |> filter(fn: (r) => r._measurement == " + literal(measurement)
                + " and r.conversationId == " + literal(conversationId) + ")";
    }

    @Override
    public List<TimelineEvent> events(String conversationId) {
        List<AnnotatedCsv.Table> tables = run(timelineQuery(conversationId));
        Map<String, Map<String, Object>> points = new LinkedHashMap<>();
        Map<String, Long> times = new HashMap<>();
        for (AnnotatedCsv.Table t : tables) {
            int timeCol = t.column("_time");
            int fieldCol = t.column("_field");
            int valueCol = t.column("_value");
            if (timeCol < 0 || fieldCol < 0 || valueCol < 0) {
                continue;
            }
            List<Integer> tagCols = new ArrayList<>();
            for (int i = 0; i < t.columns.size(); i++) {
                if (!NOT_TAGS.contains(t.columns.get(i)) && !t.columns.get(i).isEmpty()) {
                    tagCols.add(i);
                }
            }
            String valueType = t.datatype(valueCol);
            for (String[] row : t.rows) {
                String time = t.value(row, timeCol);
                StringBuilder key = new StringBuilder(time);
                for (int c : tagCols) {
                    key.append('\u0000').append(t.columns.get(c)).append('=').append(t.value(row, c));
                }
                String k = key.toString();
                Map<String, Object> cols = points.get(k);
                if (cols == null) {
                    cols = new HashMap<>();
                    for (int c : tagCols) {
                        String v = t.value(row, c);
                        if (!v.isEmpty()) {
                            cols.put(t.columns.get(c), v);
                        }
                    }
                    points.put(k, cols);
                    times.put(k, nanos(time));
                }
                cols.put(t.value(row, fieldCol), typed(t.value(row, valueCol), valueType));
            }
        }
        List<TimelineEvent> out = new ArrayList<>(points.size());
        for (Map.Entry<String, Map<String, Object>> p : points.entrySet()) {
            TimelineEvent e = EventCodec.decode(times.get(p.getKey()), p.getValue());
            if (e != null) {
                out.add(e);
            }
        }
        return out;
    }

    /** The first step of {@link #conversations}: latest event time (ns) per conversation in a window. */
    public String windowQuery(long fromNanos, long toNanos) {
        return source() + "\n  |> range(start: time(v: " + fromNanos + "), stop: time(v: " + toNanos + "))"
                + eventIdTimes("") + "\n  |> max()";
    }

    /** The second step: count, first and last over all time for a set of conversations. */
    public String summaryQuery(List<String> ids) {
        StringBuilder any = new StringBuilder(" and (");
        for (int i = 0; i < ids.size(); i++) {
            any.append(i == 0 ? "" : " or ").append("r.conversationId == ").append(literal(ids.get(i)));
        }
        any.append(')');
        return "data = " + source() + "\n  |> range(" + ALL_TIME + ")" + eventIdTimes(any.toString())
                + "\ndata |> count() |> yield(name: \"count\")"
                + "\ndata |> min() |> yield(name: \"first\")"
                + "\ndata |> max() |> yield(name: \"last\")";
    }

    /** Rows of (conversationId, _value = point time as int ns), grouped by conversation. */
    private String eventIdTimes(String extraFilter) {
        return "\n  |> filter(fn: (r) => r._measurement == " + literal(measurement) + " and r._field == \"eventId\""
                + extraFilter + ")"
                + "\n  |> map(fn: (r) => ({conversationId: r.conversationId, _value: int(v: r._time)}))"
                + "\n  |> group(columns: [\"conversationId\"])";
    }

    @Override
    public List<ConversationSummary> conversations(long fromMillis, long toMillis, int limit) {
        if (limit <= 0 || fromMillis >= toMillis) {
            return List.of();
        }
        Map<String, Long> lastInWindow = new HashMap<>();
        for (AnnotatedCsv.Table t : run(windowQuery(QueryReader.toNanos(fromMillis), QueryReader.toNanos(toMillis)))) {
            collect(t, lastInWindow, null);
        }
        List<String> ids = QueryReader.mostRecent(lastInWindow, limit);
        Map<String, Long> first = new HashMap<>();
        Map<String, Long> last = new HashMap<>();
        Map<String, Long> count = new HashMap<>();
        for (int start = 0; start < ids.size(); start += InfluxQlReader.IDS_PER_QUERY) {
            List<String> chunk = ids.subList(start, Math.min(ids.size(), start + InfluxQlReader.IDS_PER_QUERY));
            for (AnnotatedCsv.Table t : run(summaryQuery(chunk))) {
                Map<String, Map<String, Long>> byResult = Map.of("count", count, "first", first, "last", last);
                collect(t, null, byResult);
            }
        }
        return QueryReader.summaries(ids, first, last, count);
    }

    private static void collect(AnnotatedCsv.Table t, Map<String, Long> into, Map<String, Map<String, Long>> byResult) {
        int idCol = t.column("conversationId");
        int valueCol = t.column("_value");
        int resultCol = t.column("result");
        if (idCol < 0 || valueCol < 0) {
            return;
        }
        for (String[] row : t.rows) {
            String id = t.value(row, idCol);
            String v = t.value(row, valueCol);
            if (id.isEmpty() || v.isEmpty()) {
                continue;
            }
            Map<String, Long> target = into;
            if (byResult != null) {
                target = resultCol < 0 ? null : byResult.get(t.value(row, resultCol));
            }
            if (target != null) {
                target.put(id, parseLong(v));
            }
        }
    }

    private List<AnnotatedCsv.Table> run(String flux) {
        String body = Json.object(g -> {
            g.writeStringField("query", flux);
            g.writeStringField("type", "flux");
            g.writeObjectFieldStart("dialect");
            g.writeBooleanField("header", true);
            g.writeStringField("delimiter", ",");
            g.writeArrayFieldStart("annotations");
            g.writeString("datatype");
            g.writeString("group");
            g.writeString("default");
            g.writeEndArray();
            g.writeStringField("dateTimeFormat", "RFC3339Nano");
            g.writeEndObject();
        });
        byte[] csv = http.queryFlux(body);
        List<AnnotatedCsv.Table> tables;
        try {
            tables = AnnotatedCsv.read(new ByteArrayInputStream(csv));
        } catch (IOException e) {
            throw StoreException.permanent("unreadable Flux answer: " + e.getMessage(), e);
        }
        for (AnnotatedCsv.Table t : tables) {
            if (t.isError()) {
                String msg = t.rows.isEmpty() ? "(no message)" : t.value(t.rows.get(0), t.column("error"));
                throw StoreException.permanent("Flux query failed: " + InfluxHttp.shorten(msg), null);
            }
        }
        return tables;
    }

    private static Object typed(String v, String datatype) {
        switch (datatype) {
            case "long":
            case "unsignedLong":
                return parseLong(v);
            case "double":
                return v.isEmpty() ? null : Double.parseDouble(v);
            case "boolean":
                return v.isEmpty() ? null : Boolean.parseBoolean(v);
            default:
                // a raw from() row is a stored value: an empty string cell is the empty string
                return v;
        }
    }

    private static Long parseLong(String v) {
        try {
            return v.isEmpty() ? null : Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw StoreException.permanent("unreadable integer in a Flux answer", e);
        }
    }

    /** Epoch nanoseconds of an instant; exact down to InfluxDB's minimum time. */
    static long epochNanos(Instant i) {
        long secs = i.getEpochSecond();
        long nanos = i.getNano();
        if (secs < 0 && nanos > 0) {
            secs += 1;
            nanos -= 1_000_000_000L;
        }
        return Math.addExact(Math.multiplyExact(secs, 1_000_000_000L), nanos);
    }

    /** RFC 3339 (any fraction) to epoch nanoseconds. */
    static long nanos(String rfc3339) {
        try {
            Instant i = Instant.parse(rfc3339);
            return epochNanos(i);
        } catch (DateTimeParseException | ArithmeticException e) {
            throw StoreException.permanent("unreadable time '" + InfluxHttp.shorten(rfc3339) + "' in a Flux answer", e);
        }
    }
}
