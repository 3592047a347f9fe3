package dev.gctimeline.store.influx.internal;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.gctimeline.core.ConversationSummary;
import dev.gctimeline.core.StoreException;
import dev.gctimeline.core.TimelineEvent;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Playback over InfluxDB 1.x {@code /query}: InfluxQL, JSON answers (chunked, several root objects),
 * times as epoch nanoseconds. The conversation id travels as a bound parameter ({@code $cid}); names
 * are quoted identifiers; time bounds are integers this code formats.
 */
public final class InfluxQlReader implements QueryReader {
    /** Ids per request of the whole-conversation summary query. */
    static final int IDS_PER_QUERY = 200;

    private final InfluxHttp http;
    private final String from;

    public InfluxQlReader(InfluxHttp http, String measurement, String retentionPolicy) {
        this.http = http;
        this.from = (retentionPolicy != null ? identifier(retentionPolicy) + "." : "") + identifier(measurement);
    }

    /** An InfluxQL double-quoted identifier. */
    public static String identifier(String name) {
        return '"' + name.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }

    /** An InfluxQL single-quoted string literal (used only where a bound parameter cannot go). */
    public static String literal(String value) {
        return '\'' + value.replace("\\", "\\\\").replace("'", "\\'") + '\'';
    }

    @Override
    public List<TimelineEvent> events(String conversationId) {
        String q = "SELECT * FROM " + from + " WHERE \"conversationId\" = $cid";
        byte[] body = http.queryInfluxQl(q, Json.stringMap(Map.of("cid", conversationId)));
        List<TimelineEvent> out = new ArrayList<>();
        parse(body, (statement, series) -> {
            int timeCol = series.columns.indexOf("time");
            for (Object[] row : series.rows) {
                Map<String, Object> cols = new HashMap<>(row.length * 2);
                for (int i = 0; i < row.length; i++) {
                    if (row[i] != null && i != timeCol) {
                        cols.put(series.columns.get(i), row[i]);
                    }
                }
                cols.putAll(series.tags);
                if (timeCol >= 0 && row[timeCol] instanceof Long) {
                    TimelineEvent e = EventCodec.decode((Long) row[timeCol], cols);
                    if (e != null) {
                        out.add(e);
                    }
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
        String window = " WHERE time >= " + QueryReader.toNanos(fromMillis) + " AND time < " + QueryReader.toNanos(toMillis);
        Map<String, Long> lastInWindow = new HashMap<>();
        parse(http.queryInfluxQl("SELECT last(\"eventId\") FROM " + from + window + " GROUP BY \"conversationId\"", null),
                (statement, series) -> collectTime(series, lastInWindow, true));
        List<String> ids = QueryReader.mostRecent(lastInWindow, limit);
        Map<String, Long> first = new HashMap<>();
        Map<String, Long> last = new HashMap<>();
        Map<String, Long> count = new HashMap<>();
        for (int start = 0; start < ids.size(); start += IDS_PER_QUERY) {
            List<String> chunk = ids.subList(start, Math.min(ids.size(), start + IDS_PER_QUERY));
            Map<String, String> params = new LinkedHashMap<>();
            StringBuilder where = new StringBuilder(" WHERE (");
            for (int i = 0; i < chunk.size(); i++) {
                params.put("c" + i, chunk.get(i));
                where.append(i == 0 ? "" : " OR ").append("\"conversationId\" = $c").append(i);
            }
            where.append(") GROUP BY \"conversationId\"");
            String q = "SELECT count(\"eventId\") FROM " + from + where
                    + "; SELECT first(\"eventId\") FROM " + from + where
                    + "; SELECT last(\"eventId\") FROM " + from + where;
            parse(http.queryInfluxQl(q, Json.stringMap(params)), (statement, series) -> {
                switch (statement) {
                    case 0 -> collectValue(series, count);
                    case 1 -> collectTime(series, first, false);
                    default -> collectTime(series, last, true);
                }
            });
        }
        return QueryReader.summaries(ids, first, last, count);
    }

    private static void collectTime(Series s, Map<String, Long> into, boolean max) {
        String id = s.tags.get("conversationId") instanceof String ? (String) s.tags.get("conversationId") : null;
        int timeCol = s.columns.indexOf("time");
        if (id == null || timeCol < 0) {
            return;
        }
        for (Object[] row : s.rows) {
            if (row[timeCol] instanceof Long) {
                long t = (Long) row[timeCol];
                into.merge(id, t, max ? Math::max : Math::min);
            }
        }
    }

    private static void collectValue(Series s, Map<String, Long> into) {
        String id = s.tags.get("conversationId") instanceof String ? (String) s.tags.get("conversationId") : null;
        if (id == null || s.columns.size() < 2) {
            return;
        }
        for (Object[] row : s.rows) {
            if (row[1] instanceof Long) {
                into.merge(id, (Long) row[1], Long::sum);
            }
        }
    }

    /** One series of a statement's result. */
    static final class Series {
        final Map<String, Object> tags = new HashMap<>();
        final List<String> columns = new ArrayList<>();
        final List<Object[]> rows = new ArrayList<>();
    }

    interface SeriesSink {
        void accept(int statementId, Series series);
    }

    /** Reads every root object (one per chunk) of a /query answer; an error anywhere throws. */
    static void parse(byte[] body, SeriesSink sink) {
        try (JsonParser p = InfluxHttp.JSON.createParser(body)) {
            JsonToken t;
            while ((t = p.nextToken()) != null) {
                if (t != JsonToken.START_OBJECT) {
                    throw new IOException("expected an object, got " + t);
                }
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    JsonToken v = p.nextToken();
                    if ("results".equals(name) && v == JsonToken.START_ARRAY) {
                        while (p.nextToken() == JsonToken.START_OBJECT) {
                            result(p, sink);
                        }
                    } else if ("error".equals(name) && v == JsonToken.VALUE_STRING) {
                        throw StoreException.permanent("InfluxQL query failed: " + InfluxHttp.shorten(p.getText()), null);
                    } else {
                        p.skipChildren();
                    }
                }
            }
        } catch (IOException e) {
            throw StoreException.permanent("unreadable InfluxQL answer: " + e.getMessage(), e);
        }
    }

    private static void result(JsonParser p, SeriesSink sink) throws IOException {
        int statement = 0;
        List<Series> found = new ArrayList<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken v = p.nextToken();
            if ("statement_id".equals(name) && v == JsonToken.VALUE_NUMBER_INT) {
                statement = p.getIntValue();
            } else if ("error".equals(name) && v == JsonToken.VALUE_STRING) {
                // InfluxQL reports statement errors inside a 200 answer
                throw StoreException.permanent("InfluxQL statement failed: " + InfluxHttp.shorten(p.getText()), null);
            } else if ("series".equals(name) && v == JsonToken.START_ARRAY) {
                while (p.nextToken() == JsonToken.START_OBJECT) {
                    found.add(series(p));
                }
            } else {
                p.skipChildren();
            }
        }
        for (Series s : found) {
            sink.accept(statement, s);
        }
    }

    private static Series series(JsonParser p) throws IOException {
        Series s = new Series();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken v = p.nextToken();
            if ("tags".equals(name) && v == JsonToken.START_OBJECT) {
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String k = p.currentName();
                    p.nextToken();
                    Object val = Json.scalar(p);
                    if (val != null && !"".equals(val)) {
                        s.tags.put(k, val);
                    }
                }
            } else if ("columns".equals(name) && v == JsonToken.START_ARRAY) {
                while (p.nextToken() == JsonToken.VALUE_STRING) {
                    s.columns.add(p.getText());
                }
            } else if ("values".equals(name) && v == JsonToken.START_ARRAY) {
                List<Object> row = new ArrayList<>();
                while (p.nextToken() == JsonToken.START_ARRAY) {
                    row.clear();
                    while (p.nextToken() != JsonToken.END_ARRAY) {
                        row.add(Json.scalar(p));
                    }
                    s.rows.add(row.toArray());
                }
            } else {
                p.skipChildren();
            }
        }
        return s;
    }
}
