package dev.gctimeline.store.influx;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An independent, test-only reader of line protocol with InfluxDB 1.x's unescaping (a delimiter
 * preceded by a backslash is literal; in string fields {@code \\} and {@code \"} unescape). It
 * checks the encoder from the outside and backs the scripted v2/v3 servers.
 */
final class LineProtocolParser {
    private LineProtocolParser() {
    }

    record Point(String measurement, Map<String, String> tags, Map<String, Object> fields, long time) {
        /** Tags and fields together, as a query would return the columns. */
        Map<String, Object> columns() {
            Map<String, Object> m = new LinkedHashMap<>(tags);
            m.putAll(fields);
            return m;
        }

        String seriesKey() {
            return measurement + tags;
        }
    }

    static List<Point> parse(String body) {
        List<Point> out = new ArrayList<>();
        for (String line : body.split("\n")) {
            if (!line.isEmpty()) {
                out.add(parseLine(line));
            }
        }
        return out;
    }

    static Point parseLine(String line) {
        int[] pos = {0};
        String measurement = token(line, pos, ",  ".toCharArray());
        Map<String, String> tags = new LinkedHashMap<>();
        while (line.charAt(pos[0]) == ',') {
            pos[0]++;
            String k = token(line, pos, new char[]{'='});
            expect(line, pos, '=');
            String v = token(line, pos, new char[]{',', ' '});
            if (v.isEmpty()) {
                throw new IllegalArgumentException("empty tag value in " + line);
            }
            tags.put(k, v);
        }
        expect(line, pos, ' ');
        Map<String, Object> fields = new LinkedHashMap<>();
        while (true) {
            String k = token(line, pos, new char[]{'='});
            expect(line, pos, '=');
            if (line.charAt(pos[0]) == '"') {
                pos[0]++;
                StringBuilder sb = new StringBuilder();
                while (true) {
                    char c = line.charAt(pos[0]++);
                    if (c == '"') {
                        break;
                    }
                    if (c == '\\' && (line.charAt(pos[0]) == '"' || line.charAt(pos[0]) == '\\')) {
                        c = line.charAt(pos[0]++);
                    }
                    sb.append(c);
                }
                fields.put(k, sb.toString());
            } else {
                int end = pos[0];
                while (end < line.length() && line.charAt(end) != ',' && line.charAt(end) != ' ') {
                    end++;
                }
                String raw = line.substring(pos[0], end);
                pos[0] = end;
                if (raw.endsWith("i")) {
                    fields.put(k, Long.parseLong(raw.substring(0, raw.length() - 1)));
                } else if (raw.equals("true") || raw.equals("false")) {
                    fields.put(k, Boolean.parseBoolean(raw));
                } else {
                    fields.put(k, Double.parseDouble(raw));
                }
            }
            if (pos[0] < line.length() && line.charAt(pos[0]) == ',') {
                pos[0]++;
                continue;
            }
            break;
        }
        expect(line, pos, ' ');
        long time = Long.parseLong(line.substring(pos[0]));
        return new Point(measurement, tags, fields, time);
    }

    private static void expect(String line, int[] pos, char c) {
        if (pos[0] >= line.length() || line.charAt(pos[0]) != c) {
            throw new IllegalArgumentException("expected '" + c + "' at " + pos[0] + " in " + line);
        }
        pos[0]++;
    }

    /** Up to an unescaped stop character; "\x" for a stop or '=' unescapes to x, other backslashes stay. */
    private static String token(String line, int[] pos, char[] stops) {
        StringBuilder sb = new StringBuilder();
        while (pos[0] < line.length()) {
            char c = line.charAt(pos[0]);
            if (c == '\\' && pos[0] + 1 < line.length()) {
                char n = line.charAt(pos[0] + 1);
                if (n == ',' || n == '=' || n == ' ') {
                    sb.append(n);
                    pos[0] += 2;
                    continue;
                }
            }
            for (char s : stops) {
                if (c == s) {
                    return sb.toString();
                }
            }
            sb.append(c);
            pos[0]++;
        }
        return sb.toString();
    }
}
