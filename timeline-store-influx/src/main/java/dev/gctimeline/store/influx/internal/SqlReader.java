package dev.gctimeline.store.influx.internal;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.gctimeline.core.ConversationSummary;
import dev.gctimeline.core.StoreException;
import dev.gctimeline.core.TimelineEvent;

import java.io.IOException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Playback over InfluxDB 3 {@code /api/v3/query_sql}: SQL with bound parameters ({@code $cid},
 * {@code $c0}...), answered as a JSON array of row objects in which a null column is left out and
 * {@code time} is an ISO-8601 timestamp without zone (UTC). Names are double-quoted identifiers;
 * time bounds are RFC 3339 literals this code formats.
 */
public final class SqlReader implements QueryReader {
    private final InfluxHttp http;
    private final String database;
    private final String table;

    public SqlReader(InfluxHttp http, String database, String measurement) {
        this.http = http;
        this.database = database;
        this.table = identifier(measurement);
    }

    /** A SQL double-quoted identifier. */
    public static String identifier(String name) {
        return '"' + name.replace("\"", "\"\"") + '"';
    }

    /** The timeline query (visible for tests); the id is the parameter {@code $cid}. */
    public String timelineQuery() {
        return "SELECT * FROM " + table + " WHERE \"conversationId\" = $cid";
    }

    @Override
    public List<TimelineEvent> events(String conversationId) {
        List<TimelineEvent> out = new ArrayList<>();
        rows(timelineQuery(), Map.of("cid", conversationId), row -> {
            Object time = row.remove("time");
            if (time instanceof String) {
                TimelineEvent e = EventCodec.decode(nanos((String) time), row);
                if (e != null) {
                    out.add(e);
                }
            }
        });
        return out;
    }

    @Override
    public List<ConversationSummary> conversations(long fromMillis, long toMillis, int limit) {
        if (limit <= 0 || fromMillis >= toMillis) {
            return List.of();
        }
        String q = "SELECT \"conversationId\", max(time) AS \"last\" FROM " + table
                + " WHERE time >= '" + QueryReader.rfc3339(QueryReader.toNanos(fromMillis)) + "'"
                + " AND time < '" + QueryReader.rfc3339(QueryReader.toNanos(toMillis)) + "'"
                + " GROUP BY \"conversationId\" ORDER BY \"last\" DESC, \"conversationId\" ASC LIMIT " + limit;
        Map<String, Long> lastInWindow = new HashMap<>();
        rows(q, Map.of(), row -> {
            if (row.get("conversationId") instanceof String && row.get("last") instanceof String) {
                lastInWindow.put((String) row.get("conversationId"), nanos((String) row.get("last")));
            }
        });
        List<String> ids = QueryReader.mostRecent(lastInWindow, limit);
        Map<String, Long> first = new HashMap<>();
        Map<String, Long> last = new HashMap<>();
        Map<String, Long> count = new HashMap<>();
        for (int start = 0; start < ids.size(); start += InfluxQlReader.IDS_PER_QUERY) {
            List<String> chunk = ids.subList(start, Math.min(ids.size(), start + InfluxQlReader.IDS_PER_QUERY));
            Map<String, String> params = new LinkedHashMap<>();
            StringBuilder in = new StringBuilder();
            for (int i = 0; i < chunk.size(); i++) {
                params.put("c" + i, chunk.get(i));
                in.append(i == 0 ? "$c" : ", $c").append(i);
            }
            String sq = "SELECT \"conversationId\", count(*) AS \"n\", min(time) AS \"first\", max(time) AS \"last\" FROM "
                    + table + " WHERE \"conversationId\" IN (" + in + ") GROUP BY \"conversationId\"";
            rows(sq, params, row -> {
                if (row.get("conversationId") instanceof String id && row.get("n") instanceof Long n
                        && row.get("first") instanceof String f && row.get("last") instanceof String l) {
                    count.put(id, n);
                    first.put(id, nanos(f));
                    last.put(id, nanos(l));
                }
            });
        }
        return QueryReader.summaries(ids, first, last, count);
    }

    private void rows(String sql, Map<String, String> params, Consumer<Map<String, Object>> sink) {
        String body = Json.object(g -> {
            g.writeStringField("db", database);
            g.writeStringField("q", sql);
            g.writeStringField("format", "json");
            if (!params.isEmpty()) {
                g.writeObjectFieldStart("params");
                for (Map.Entry<String, String> e : params.entrySet()) {
                    g.writeStringField(e.getKey(), e.getValue());
                }
                g.writeEndObject();
            }
        });
        byte[] answer = http.querySql(body);
        try (JsonParser p = InfluxHttp.JSON.createParser(answer)) {
            JsonToken t = p.nextToken();
            if (t == null) {
                return; // an empty body: no rows
            }
            if (t != JsonToken.START_ARRAY) {
                throw new IOException("expected a JSON array of rows, got " + t);
            }
            while (p.nextToken() == JsonToken.START_OBJECT) {
                Map<String, Object> row = new HashMap<>();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    p.nextToken();
                    Object v = Json.scalar(p);
                    if (v != null) {
                        row.put(name, v);
                    }
                }
                sink.accept(row);
            }
        } catch (IOException e) {
            throw StoreException.permanent("unreadable SQL answer: " + e.getMessage(), e);
        }
    }

    /** {@code 2024-11-22T01:46:40.000123456} (UTC, no zone) or with {@code Z}/offset, to epoch ns. */
    static long nanos(String iso) {
        try {
            Instant i;
            char last = iso.charAt(iso.length() - 1);
            if (last == 'Z' || last == 'z') {
                i = Instant.parse(iso);
            } else if (iso.length() > 19 && (iso.lastIndexOf('+') > 18 || iso.lastIndexOf('-') > 18)) {
                i = OffsetDateTime.parse(iso).toInstant();
            } else {
                i = LocalDateTime.parse(iso.replace(' ', 'T')).toInstant(ZoneOffset.UTC);
            }
            return FluxReader.epochNanos(i);
        } catch (DateTimeParseException | ArithmeticException | StringIndexOutOfBoundsException e) {
            throw StoreException.permanent("unreadable time '" + InfluxHttp.shorten(iso) + "' in a SQL answer", e);
        }
    }
}
