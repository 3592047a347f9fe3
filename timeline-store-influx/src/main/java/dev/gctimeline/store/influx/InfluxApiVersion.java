package dev.gctimeline.store.influx;

import java.util.Locale;

/**
 * Which InfluxDB HTTP API the store speaks.
 *
 * <pre>{@code InfluxConfig.builder().url("http://127.0.0.1:8086").version(InfluxApiVersion.V2).org("o").bucket("b").token(t)}</pre>
 */
public enum InfluxApiVersion {
    /** InfluxDB 1.x: {@code /write} (line protocol) and {@code /query} (InfluxQL, JSON); database + retention policy. */
    V1,
    /** InfluxDB 2.x and Cloud 2: {@code /api/v2/write} and {@code /api/v2/query} (Flux, annotated CSV); org + bucket. */
    V2,
    /** InfluxDB 3 (Core, Enterprise): {@code /api/v3/write_lp} and {@code /api/v3/query_sql} (SQL, JSON); database. */
    V3;

    /** {@code v1}, {@code 1}, {@code V2}, ... */
    public static InfluxApiVersion parse(String s) {
        String t = s.trim().toLowerCase(Locale.ROOT);
        switch (t) {
            case "v1", "1" -> {
                return V1;
            }
            case "v2", "2" -> {
                return V2;
            }
            case "v3", "3" -> {
                return V3;
            }
            default -> throw new IllegalArgumentException("option 'version' must be v1, v2 or v3, not '" + s + "'");
        }
    }
}
