package dev.gctimeline.store.influx.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.gctimeline.core.StoreException;
import dev.gctimeline.store.influx.InfluxApiVersion;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Optional;

/**
 * The HTTP side of the store: one JDK {@link HttpClient} (HTTP/1.1, no redirects), the write and
 * query endpoints of the configured API version, the {@code Authorization} header, and the
 * classification of failures into retryable and permanent {@link StoreException}s.
 *
 * <p>Credentials travel only in the header; URLs carry database, bucket and precision, never a
 * secret, so they may appear in messages. Thread-safe.
 */
public final class InfluxHttp {
    static final JsonFactory JSON = JsonFactory.builder().build();
    private static final int MAX_MESSAGE = 400;

    private final HttpClient client;
    private final URI base;
    private final InfluxApiVersion api;
    private final String authorization;
    private final Duration requestTimeout;
    private final boolean gzip;
    private final Counters counters;
    private final URI writeUri;
    private final String database;
    private final String org;

    public InfluxHttp(URI base, InfluxApiVersion api, String authorization, String database, String retentionPolicy, String org,
                      String bucket, Duration connectTimeout, Duration requestTimeout, boolean gzip, Counters counters) {
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        String b = base.toString();
        this.base = URI.create(b.endsWith("/") ? b.substring(0, b.length() - 1) : b);
        this.api = api;
        this.authorization = authorization;
        this.requestTimeout = requestTimeout;
        this.gzip = gzip;
        this.counters = counters;
        this.database = database;
        this.org = org;
        this.writeUri = switch (api) {
            case V1 -> resolve("/write?db=" + enc(database)
                    + (retentionPolicy != null ? "&rp=" + enc(retentionPolicy) : "") + "&precision=ns");
            case V2 -> resolve("/api/v2/write?org=" + enc(org) + "&bucket=" + enc(bucket) + "&precision=ns");
            case V3 -> resolve("/api/v3/write_lp?db=" + enc(database) + "&precision=nanosecond");
        };
    }

    public InfluxApiVersion api() {
        return api;
    }

    public boolean gzip() {
        return gzip;
    }

    /** Where writes go (no secrets in it). */
    public URI writeUri() {
        return writeUri;
    }

    private URI resolve(String pathAndQuery) {
        return URI.create(base + pathAndQuery);
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /** The answer to a write: status, the server's Retry-After, and its body text (small). */
    public record Answer(int status, Optional<Duration> retryAfter, String body) {
    }

    /**
     * POSTs one line-protocol body ({@code len} bytes of {@code body} from {@code off}, already gzipped when
     * {@link #gzip()}). Failures to get any answer come back as a retryable StoreException, counted.
     */
    public Answer write(byte[] body, int off, int len) {
        HttpRequest.Builder rb = HttpRequest.newBuilder(writeUri)
                .timeout(requestTimeout)
                .header("Content-Type", "text/plain; charset=utf-8")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body, off, len));
        if (gzip) {
            rb.header("Content-Encoding", "gzip");
        }
        if (authorization != null) {
            rb.header("Authorization", authorization);
        }
        counters.writeRequests.increment();
        counters.bytesSent.add(len);
        HttpResponse<byte[]> r = send(rb.build(), "write to " + writeUri, true);
        return new Answer(r.statusCode(), retryAfter(r), new String(r.body(), StandardCharsets.UTF_8));
    }

    /** InfluxQL over {@code /query} (v1): POST form with the statement and its bound parameters. */
    public byte[] queryInfluxQl(String q, String paramsJson) {
        URI uri = resolve("/query?db=" + enc(database) + "&epoch=ns&chunked=true&chunk_size=10000");
        String form = "q=" + enc(q) + (paramsJson != null ? "&params=" + enc(paramsJson) : "");
        HttpRequest.Builder rb = HttpRequest.newBuilder(uri).timeout(requestTimeout)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(form, StandardCharsets.UTF_8));
        return query(rb, "InfluxQL query");
    }

    /** Flux over {@code /api/v2/query}: JSON body, annotated CSV back. */
    public byte[] queryFlux(String fluxJsonBody) {
        URI uri = resolve("/api/v2/query?org=" + enc(org));
        HttpRequest.Builder rb = HttpRequest.newBuilder(uri).timeout(requestTimeout)
                .header("Content-Type", "application/json")
                .header("Accept", "application/csv")
                .POST(HttpRequest.BodyPublishers.ofString(fluxJsonBody, StandardCharsets.UTF_8));
        return query(rb, "Flux query");
    }

    /** SQL over {@code /api/v3/query_sql}: JSON body with bound parameters, JSON rows back. */
    public byte[] querySql(String sqlJsonBody) {
        URI uri = resolve("/api/v3/query_sql");
        HttpRequest.Builder rb = HttpRequest.newBuilder(uri).timeout(requestTimeout)
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(sqlJsonBody, StandardCharsets.UTF_8));
        return query(rb, "SQL query");
    }

    private byte[] query(HttpRequest.Builder rb, String what) {
        if (authorization != null) {
            rb.header("Authorization", authorization);
        }
        counters.queries.increment();
        HttpRequest req = rb.build();
        HttpResponse<byte[]> r;
        try {
            r = send(req, what, false);
        } catch (StoreException e) {
            counters.queryFailures.increment();
            throw e;
        }
        int s = r.statusCode();
        if (s == 200) {
            return r.body();
        }
        counters.queryFailures.increment();
        String msg = what + " answered " + s + ": " + message(new String(r.body(), StandardCharsets.UTF_8));
        if (s == 429 || s >= 500) {
            throw StoreException.retryable(msg, retryAfter(r).orElse(null), null);
        }
        throw StoreException.permanent(msg + hint(s), null);
    }

    private HttpResponse<byte[]> send(HttpRequest req, String what, boolean countFailures) {
        try {
            return client.send(req, HttpResponse.BodyHandlers.ofByteArray());
        } catch (HttpConnectTimeoutException | ConnectException e) {
            if (countFailures) {
                counters.connectionErrors.increment();
            }
            throw StoreException.retryable(what + " failed: cannot connect to " + base + " (" + e.getClass().getSimpleName() + ")", null, e);
        } catch (HttpTimeoutException e) {
            if (countFailures) {
                counters.timeouts.increment();
            }
            throw StoreException.retryable(what + " got no answer within " + requestTimeout.toMillis() + " ms", null, e);
        } catch (IOException e) {
            if (countFailures) {
                counters.connectionErrors.increment();
            }
            throw StoreException.retryable(what + " lost the connection: " + e.getClass().getSimpleName()
                    + (e.getMessage() != null ? " " + e.getMessage() : ""), null, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw StoreException.retryable(what + " interrupted", null, e);
        }
    }

    /** What to check next for a permanent status. */
    public static String hint(int status) {
        return switch (status) {
            case 401 -> " (check the token or username/password)";
            case 403 -> " (the credentials lack permission for this database or bucket)";
            case 404 -> " (does the database or bucket exist? InfluxDB 1.x needs CREATE DATABASE first)";
            default -> "";
        };
    }

    /** Retry-After as seconds or an HTTP date; absent, unparsable or negative means no hint. */
    static Optional<Duration> retryAfter(HttpResponse<?> r) {
        return r.headers().firstValue("Retry-After").map(InfluxHttp::parseRetryAfter);
    }

    public static Duration parseRetryAfter(String v) {
        String t = v.trim();
        try {
            long secs = Long.parseLong(t);
            return Duration.ofSeconds(Math.max(0, Math.min(secs, 3600)));
        } catch (NumberFormatException e) {
            try {
                ZonedDateTime when = ZonedDateTime.parse(t, DateTimeFormatter.RFC_1123_DATE_TIME);
                Duration d = Duration.between(ZonedDateTime.now(when.getZone()), when);
                return d.isNegative() ? Duration.ZERO : d;
            } catch (RuntimeException e2) {
                return null;
            }
        }
    }

    /** The human part of an error body: {@code error} (v1, v3) or {@code message} (v2), else the text, shortened. */
    public static String message(String body) {
        String t = body == null ? "" : body.trim();
        if (t.startsWith("{")) {
            try (JsonParser p = JSON.createParser(t)) {
                if (p.nextToken() == JsonToken.START_OBJECT) {
                    String error = null;
                    String message = null;
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String name = p.currentName();
                        JsonToken v = p.nextToken();
                        if (v == JsonToken.VALUE_STRING && "error".equals(name)) {
                            error = p.getText();
                        } else if (v == JsonToken.VALUE_STRING && "message".equals(name)) {
                            message = p.getText();
                        } else {
                            p.skipChildren();
                        }
                    }
                    String m = message != null ? message : error;
                    if (m != null) {
                        return shorten(m);
                    }
                }
            } catch (IOException | RuntimeException ignored) {
                // not JSON after all: fall back to the raw text
            }
        }
        return t.isEmpty() ? "(no body)" : shorten(t);
    }

    static String shorten(String s) {
        return s.length() <= MAX_MESSAGE ? s : s.substring(0, MAX_MESSAGE) + "...";
    }
}
