package dev.gctimeline.stream.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.gctimeline.auth.AccessToken;
import dev.gctimeline.auth.TokenProvider;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * The notifications REST calls a stream needs: create a channel, replace or add its subscriptions,
 * check it still exists. Bearer tokens come from the {@link TokenProvider}; a 401 invalidates the
 * token and the call is tried once more with a fresh one, then fails. Nothing here retries beyond
 * that: the caller owns backoff (it knows whether a stream is waiting).
 *
 * <p>Thread-safe. Never logs or puts into an exception a token or a whole channel id.
 */
public final class NotificationsApi {
    private static final JsonFactory JSON = JsonFactory.builder().build();

    private final HttpClient http;
    private final URI apiBase;
    private final TokenProvider tokens;
    private final Duration timeout;

    public NotificationsApi(HttpClient http, URI apiBase, TokenProvider tokens, Duration timeout) {
        this.http = Objects.requireNonNull(http, "http");
        String base = apiBase.toString();
        this.apiBase = URI.create(base.endsWith("/") ? base.substring(0, base.length() - 1) : base);
        this.tokens = Objects.requireNonNull(tokens, "tokens");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
    }

    /** {@code POST /api/v2/notifications/channels}. */
    public Channel createChannel() {
        HttpResponse<byte[]> r = send("POST", "/api/v2/notifications/channels", "{}".getBytes(StandardCharsets.UTF_8),
                "create a notification channel");
        return parseChannel(r.body());
    }

    /** {@code PUT .../subscriptions?ignoreErrors=true}: the channel's topics become exactly {@code topics}. */
    public void replaceSubscriptions(String channelId, Collection<String> topics) {
        send("PUT", subscriptionsPath(channelId), topicsBody(topics), "replace the channel's subscriptions");
    }

    /** {@code POST .../subscriptions?ignoreErrors=true}: adds {@code topics} to the channel's set. */
    public void addSubscriptions(String channelId, Collection<String> topics) {
        send("POST", subscriptionsPath(channelId), topicsBody(topics), "add subscriptions to the channel");
    }

    /**
     * {@code DELETE .../subscriptions}: the channel keeps no topics, so Genesys stops publishing to it
     * (a channel given up after a rotation would otherwise go on receiving into the void).
     */
    public void removeAllSubscriptions(String channelId) {
        send("DELETE", "/api/v2/notifications/channels/" + channelId + "/subscriptions", null,
                "remove the channel's subscriptions");
    }

    /** {@code HEAD /api/v2/notifications/channels/{id}}: false once the channel expired or was replaced. */
    public boolean channelExists(String channelId) {
        try {
            send("HEAD", "/api/v2/notifications/channels/" + channelId, null, "check the channel");
            return true;
        } catch (NotificationsApiException e) {
            if (e.status() == 404) {
                return false;
            }
            throw e;
        }
    }

    private static String subscriptionsPath(String channelId) {
        return "/api/v2/notifications/channels/" + channelId + "/subscriptions?ignoreErrors=true";
    }

    private HttpResponse<byte[]> send(String method, String path, byte[] body, String what) {
        AccessToken token = tokens.token();
        HttpResponse<byte[]> r = sendOnce(method, path, body, token, what);
        if (r.statusCode() == 401) {
            tokens.invalidate(token);
            token = tokens.token();
            r = sendOnce(method, path, body, token, what);
        }
        int s = r.statusCode();
        if (s >= 200 && s < 300) {
            return r;
        }
        String correlation = r.headers().firstValue("ININ-Correlation-Id").map(c -> " (correlation id " + c + ")")
                .orElse("");
        String where = method + " " + redactPath(path);
        String channelId = channelIdIn(path);
        if (s == 401) {
            throw new NotificationsApiException("Genesys Cloud refused a fresh token to " + what + ": " + where
                    + " answered 401" + correlation + "; check the OAuth client is active", s, true, null, null);
        }
        if (s == 403) {
            throw new NotificationsApiException("missing permission to " + what + ": " + where + " answered 403"
                    + correlation + "; check the OAuth client's roles grant notifications and the topics' "
                    + "permissions (e.g. analytics:conversationDetail:view, routing:queue:view)", s, true, null, null);
        }
        if (s == 429) {
            throw new NotificationsApiException("rate limited trying to " + what + ": " + where + correlation, s, false,
                    retryAfter(r), null);
        }
        if (s == 404) {
            throw new NotificationsApiException("not found trying to " + what + ": " + where
                    + " (the channel expired or was replaced)" + correlation, s, false, null, null);
        }
        if (s >= 500) {
            throw new NotificationsApiException("Genesys Cloud failed to " + what + ": " + where + " answered " + s
                    + correlation, s, false, retryAfter(r), null);
        }
        throw new NotificationsApiException("Genesys Cloud rejected the request to " + what + ": " + where
                + " answered " + s + correlation + ": " + snippet(r.body(), channelId, token), s, true, null, null);
    }

    private HttpResponse<byte[]> sendOnce(String method, String path, byte[] body, AccessToken token, String what) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(apiBase + path)).timeout(timeout)
                .header("Authorization", "Bearer " + token.value())
                .header("Accept", "application/json");
        if (body != null) {
            b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofByteArray(body));
        } else {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        }
        try {
            return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new NotificationsApiException("could not reach Genesys Cloud to " + what + " at " + apiBase
                    + ": " + e.getClass().getSimpleName() + "; check the network path and the API host", 0, false,
                    null, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NotificationsApiException("interrupted trying to " + what, 0, true, null, e);
        }
    }

    static String redactPath(String path) {
        String id = channelIdIn(path);
        if (id == null) {
            return path;
        }
        int start = path.indexOf("/channels/") + "/channels/".length();
        return path.substring(0, start) + Channel.redact(id) + path.substring(start + id.length());
    }

    /** The channel id in a {@code .../channels/{id}[/...][?...]} path, or null. */
    private static String channelIdIn(String path) {
        int i = path.indexOf("/channels/");
        if (i < 0) {
            return null;
        }
        int start = i + "/channels/".length();
        int end = start;
        while (end < path.length() && path.charAt(end) != '/' && path.charAt(end) != '?') {
            end++;
        }
        return end > start ? path.substring(start, end) : null;
    }

    private static Duration retryAfter(HttpResponse<?> r) {
        return r.headers().firstValue("Retry-After").map(v -> {
            try {
                return Duration.ofSeconds(Math.max(0, Long.parseLong(v.trim())));
            } catch (NumberFormatException e) {
                return null;
            }
        }).orElse(null);
    }

    /**
     * The start of an error body for the exception message, with the channel id and the token
     * scrubbed: a server may echo either, and both are secrets.
     */
    static String snippet(byte[] body, String channelId, AccessToken token) {
        String s = new String(body, StandardCharsets.UTF_8);
        if (channelId != null) {
            s = s.replace(channelId, Channel.redact(channelId));
        }
        if (token != null && !token.value().isEmpty()) {
            s = s.replace(token.value(), "<token>");
        }
        return s.length() > 300 ? s.substring(0, 300) + "…" : s;
    }

    static byte[] topicsBody(Collection<String> topics) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(64 + topics.size() * 80);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartArray();
            for (String t : topics) {
                g.writeStartObject();
                g.writeStringField("id", t);
                g.writeEndObject();
            }
            g.writeEndArray();
        } catch (IOException e) {
            throw new IllegalStateException("cannot write topics JSON", e);
        }
        return out.toByteArray();
    }

    static Channel parseChannel(byte[] body) {
        String id = null;
        String connectUri = null;
        String expires = null;
        try (JsonParser p = JSON.createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new NotificationsApiException("channel answer is not a JSON object", 200, false, null, null);
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken v = p.nextToken();
                if (v == JsonToken.START_OBJECT || v == JsonToken.START_ARRAY) {
                    p.skipChildren();
                    continue;
                }
                switch (name) {
                    case "id":
                        id = p.getValueAsString();
                        break;
                    case "connectUri":
                        connectUri = p.getValueAsString();
                        break;
                    case "expires":
                        expires = p.getValueAsString();
                        break;
                    default:
                        break;
                }
            }
        } catch (IOException e) {
            throw new NotificationsApiException("channel answer is not valid JSON", 200, false, null, e);
        }
        if (id == null || connectUri == null) {
            throw new NotificationsApiException("channel answer lacks id or connectUri", 200, false, null, null);
        }
        Instant exp = null;
        if (expires != null) {
            try {
                exp = Instant.parse(expires);
            } catch (DateTimeParseException e) {
                try {
                    exp = java.time.OffsetDateTime.parse(expires).toInstant();
                } catch (DateTimeParseException ignored) {
                    exp = null; // unknown format: treat as unknown expiry (rotation falls back to 23 h)
                }
            }
        }
        return new Channel(id, URI.create(connectUri), exp);
    }

    /** Splits {@code topics} into chunks of at most {@code size} (a channel holds at most 1,000). */
    static List<List<String>> chunks(List<String> topics, int size) {
        List<List<String>> out = new ArrayList<>();
        for (int i = 0; i < topics.size(); i += size) {
            out.add(List.copyOf(topics.subList(i, Math.min(topics.size(), i + size))));
        }
        return out;
    }
}
