package dev.gctimeline.testkit.internal.server;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.gctimeline.testkit.ScenarioFeed;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The REST side on the JDK {@code HttpServer}: {@code POST /oauth/token}, the notifications API and
 * the two analytics conversation-details calls. Every {@code /api/v2} call needs a valid bearer
 * token (401 otherwise) and may be answered 429 with Retry-After (fault or on-demand switch).
 * Error bodies follow Genesys's {@code {"message","code","status"}}; none ever contains a token or
 * a secret.
 */
final class RestApi implements HttpHandler {
    private static final int MAX_BODY = 4 << 20;
    private static final int MAX_PAGE_SIZE = 200;
    private static final int DEFAULT_PAGE_SIZE = 25;
    private static final Pattern CHANNEL = Pattern.compile("/api/v2/notifications/channels/([^/]+)");
    private static final Pattern SUBSCRIPTIONS = Pattern.compile("/api/v2/notifications/channels/([^/]+)/subscriptions");
    private static final Pattern CONVERSATION_DETAILS = Pattern.compile("/api/v2/analytics/conversations/([^/]+)/details");
    private static final List<String[]> AVAILABLE_TOPICS = List.of(
            new String[] {"v2.detail.events.conversation.{id}.customer.start", "A customer session started"},
            new String[] {"v2.detail.events.conversation.{id}.customer.end", "A customer session ended"},
            new String[] {"v2.detail.events.conversation.{id}.user.start", "An agent session started"},
            new String[] {"v2.detail.events.conversation.{id}.user.end", "An agent session ended"},
            new String[] {"v2.detail.events.conversation.{id}.acd.start", "A conversation entered a queue"},
            new String[] {"v2.detail.events.conversation.{id}.acd.end", "A conversation left a queue"},
            new String[] {"v2.detail.events.conversation.{id}.acw", "After-call work ended"},
            new String[] {"v2.detail.events.conversation.{id}.attributes", "Participant attributes changed"},
            new String[] {"v2.routing.queues.{id}.conversations", "Conversations of a queue (snapshots)"},
            new String[] {"v2.users.{id}.conversations", "Conversations of a user (snapshots)"},
            new String[] {"v2.users.{id}.presence", "A user's presence"},
            new String[] {"v2.users.{id}.routingStatus", "A user's routing status"},
            new String[] {"v2.conversations.{id}.transcription", "Transcription of a conversation"});

    private final Engine engine;
    private final AtomicLong correlationIds = new AtomicLong();

    RestApi(Engine engine) {
        this.engine = engine;
    }

    @Override
    public void handle(HttpExchange ex) throws IOException {
        try {
            String path = ex.getRequestURI().getRawPath();
            if (path.equals("/oauth/token")) {
                token(ex);
            } else if (path.startsWith("/api/v2/")) {
                api(ex, path);
            } else {
                error(ex, 404, "not.found", "no such resource");
            }
        } catch (RuntimeException e) {
            error(ex, 500, "internal.server.error", "the simulator failed: " + e.getClass().getSimpleName());
        } finally {
            ex.close();
        }
    }

    // ----- OAuth -----

    private void token(HttpExchange ex) throws IOException {
        if (!ex.getRequestMethod().equals("POST")) {
            error(ex, 405, "method.not.allowed", "use POST");
            return;
        }
        byte[] body = readBody(ex);
        int injected = engine.tokens().takeTokenFailure();
        if (injected != 0) {
            engine.counters().tokenFailuresInjected.increment();
            switch (injected) {
                case 429 -> {
                    retryAfter(ex);
                    oauthError(ex, 429, "rate_limited", "too many token requests");
                }
                case 401 -> oauthError(ex, 401, "invalid_client", "client authentication failed");
                default -> oauthError(ex, injected, "server_error", "the token service failed");
            }
            return;
        }
        String[] credentials = basicCredentials(ex.getRequestHeaders().getFirst("Authorization"));
        if (credentials == null || !engine.tokens().authenticate(credentials[0], credentials[1])) {
            engine.counters().tokenRequestsRejected.increment();
            oauthError(ex, 401, "invalid_client", "client authentication failed");
            return;
        }
        Map<String, String> form = form(new String(body, StandardCharsets.UTF_8));
        if (!"client_credentials".equals(form.get("grant_type"))) {
            engine.counters().tokenRequestsRejected.increment();
            oauthError(ex, 400, "unsupported_grant_type", "only grant_type=client_credentials is supported");
            return;
        }
        String token = engine.tokens().issue(credentials[0]);
        long expiresIn = engine.config().tokenLifetime().toSeconds();
        send(ex, 200, Json.write(g -> {
            g.writeStartObject();
            g.writeStringField("access_token", token);
            g.writeStringField("token_type", "bearer");
            g.writeNumberField("expires_in", expiresIn);
            g.writeEndObject();
        }));
    }

    private static String[] basicCredentials(String header) {
        if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
            return null;
        }
        try {
            String decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            return colon < 0 ? null : new String[] {decoded.substring(0, colon), decoded.substring(colon + 1)};
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static Map<String, String> form(String body) {
        Map<String, String> out = new HashMap<>();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                out.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    private void oauthError(HttpExchange ex, int status, String error, String description) throws IOException {
        send(ex, status, Json.write(g -> {
            g.writeStartObject();
            g.writeStringField("error", error);
            g.writeStringField("description", description);
            g.writeStringField("error_description", description);
            g.writeEndObject();
        }));
    }

    // ----- API -----

    private void api(HttpExchange ex, String path) throws IOException {
        engine.counters().apiCalls.increment();
        String auth = ex.getRequestHeaders().getFirst("Authorization");
        String token = auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7) ? auth.substring(7).trim() : null;
        String clientId = engine.tokens().clientOf(token);
        if (clientId == null) {
            engine.counters().apiUnauthorized.increment();
            error(ex, 401, "authentication.required", "no valid bearer token: log in again");
            return;
        }
        if (engine.tokens().takeApiRateLimit() || engine.restFaultHit()) {
            engine.counters().rateLimited.increment();
            retryAfter(ex);
            error(ex, 429, "too.many.requests", "rate limit exceeded; retry after the Retry-After delay");
            return;
        }
        String method = ex.getRequestMethod();
        Map<String, String> query = query(ex.getRequestURI().getRawQuery());
        Matcher m;
        if (path.equals("/api/v2/notifications/channels")) {
            if (method.equals("POST")) {
                createChannel(ex, clientId);
            } else if (method.equals("GET")) {
                listChannels(ex, clientId);
            } else {
                error(ex, 405, "method.not.allowed", method + " is not supported here");
            }
        } else if ((m = SUBSCRIPTIONS.matcher(path)).matches()) {
            subscriptions(ex, clientId, m.group(1), method, "true".equalsIgnoreCase(query.get("ignoreErrors")));
        } else if ((m = CHANNEL.matcher(path)).matches()) {
            if (!method.equals("HEAD")) {
                error(ex, 405, "method.not.allowed", method + " is not supported here");
                return;
            }
            Channel ch = engine.channels().live(m.group(1));
            ex.getResponseHeaders().add("ININ-Correlation-Id", correlationId());
            ex.sendResponseHeaders(ch != null && ch.clientId.equals(clientId) ? 200 : 404, -1);
        } else if (path.equals("/api/v2/notifications/availabletopics") && method.equals("GET")) {
            availableTopics(ex);
        } else if (path.equals("/api/v2/analytics/conversations/details/query") && method.equals("POST")) {
            analyticsQuery(ex);
        } else if ((m = CONVERSATION_DETAILS.matcher(path)).matches() && method.equals("GET")) {
            ScenarioFeed feed = engine.player().feed();
            String json = feed == null ? null : feed.analyticsConversationJson(m.group(1));
            if (json == null) {
                error(ex, 404, "not.found", "conversation " + m.group(1) + " not found");
            } else {
                send(ex, 200, json.getBytes(StandardCharsets.UTF_8));
            }
        } else {
            error(ex, 404, "not.found", "no such resource: " + method + " " + path);
        }
    }

    private void createChannel(HttpExchange ex, String clientId) throws IOException {
        ChannelRegistry.Created created = engine.channels().create(clientId);
        if (created.replacedSocket() != null) {
            WsConnection victim = created.replacedSocket();
            engine.timers().execute(() -> victim.closeGracefully(1001, "channel replaced by a newer one"));
        }
        Channel ch = created.channel();
        String connectUri = "ws://127.0.0.1:" + engine.webSocketPort() + "/channels/" + ch.id;
        String expires = Instant.ofEpochMilli(ch.expiresAtMillis).toString();
        send(ex, 200, Json.write(g -> {
            g.writeStartObject();
            g.writeStringField("connectUri", connectUri);
            g.writeStringField("id", ch.id);
            g.writeStringField("expires", expires);
            g.writeEndObject();
        }));
    }

    private void listChannels(HttpExchange ex, String clientId) throws IOException {
        List<Channel> own = engine.channels().channelsOf(clientId);
        int port = engine.webSocketPort();
        send(ex, 200, Json.write(g -> {
            g.writeStartObject();
            g.writeArrayFieldStart("entities");
            for (Channel ch : own) {
                g.writeStartObject();
                g.writeStringField("connectUri", "ws://127.0.0.1:" + port + "/channels/" + ch.id);
                g.writeStringField("id", ch.id);
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        }));
    }

    private void subscriptions(HttpExchange ex, String clientId, String channelId, String method, boolean ignoreErrors)
            throws IOException {
        ChannelRegistry.Mode mode;
        switch (method) {
            case "PUT" -> mode = ChannelRegistry.Mode.REPLACE;
            case "POST" -> mode = ChannelRegistry.Mode.ADD;
            case "DELETE" -> mode = ChannelRegistry.Mode.REMOVE_ALL;
            case "GET" -> {
                Channel ch = engine.channels().live(channelId);
                if (ch == null || !ch.clientId.equals(clientId)) {
                    error(ex, 404, "not.found", "channel " + channelId + " not found");
                } else {
                    sendTopics(ex, engine.channels().topics(channelId));
                }
                return;
            }
            default -> {
                error(ex, 405, "method.not.allowed", method + " is not supported here");
                return;
            }
        }
        List<String> topics = List.of();
        if (mode != ChannelRegistry.Mode.REMOVE_ALL) {
            try {
                topics = Json.topicIds(readBody(ex));
            } catch (IOException e) {
                error(ex, 400, "bad.request", "unreadable subscription body: " + e.getMessage());
                return;
            }
        }
        ChannelRegistry.SubscriptionResult r = engine.channels().subscribe(channelId, clientId, mode, topics, ignoreErrors);
        if (r.status() != 200) {
            error(ex, r.status(), r.code(), r.message());
            return;
        }
        sendTopics(ex, r.topics());
    }

    private void sendTopics(HttpExchange ex, java.util.Collection<String> topics) throws IOException {
        send(ex, 200, Json.write(g -> {
            g.writeStartObject();
            g.writeArrayFieldStart("entities");
            for (String t : topics) {
                g.writeStartObject();
                g.writeStringField("id", t);
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        }));
    }

    private void availableTopics(HttpExchange ex) throws IOException {
        send(ex, 200, Json.write(g -> {
            g.writeStartObject();
            g.writeArrayFieldStart("entities");
            for (String[] t : AVAILABLE_TOPICS) {
                g.writeStartObject();
                g.writeStringField("id", t[0]);
                g.writeStringField("description", t[1]);
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        }));
    }

    // ----- analytics -----

    private record Query(String interval, int pageSize, int pageNumber, boolean descending) {
    }

    private void analyticsQuery(HttpExchange ex) throws IOException {
        Query q;
        try {
            q = readQuery(readBody(ex));
        } catch (IOException e) {
            error(ex, 400, "bad.request", "unreadable query body: " + e.getMessage());
            return;
        }
        if (q.interval() == null) {
            error(ex, 400, "bad.request", "interval is required (\"start/end\", ISO-8601)");
            return;
        }
        long[] range = interval(q.interval());
        if (range == null) {
            error(ex, 400, "bad.request", "interval must be \"start/end\" in ISO-8601 with start before end");
            return;
        }
        if (q.pageSize() < 1 || q.pageSize() > MAX_PAGE_SIZE) {
            error(ex, 400, "bad.request", "paging.pageSize must be between 1 and " + MAX_PAGE_SIZE);
            return;
        }
        if (q.pageNumber() < 1) {
            error(ex, 400, "bad.request", "paging.pageNumber must be at least 1");
            return;
        }
        ScenarioFeed feed = engine.player().feed();
        List<String> hits = new ArrayList<>();
        if (feed != null) {
            Set<String> in = feed.conversationsIn(range[0], range[1]);
            for (String id : feed.conversationIds()) {
                if (in.contains(id)) {
                    hits.add(id);
                }
            }
        }
        if (q.descending()) {
            Collections.reverse(hits);
        }
        long from = (long) (q.pageNumber() - 1) * q.pageSize();
        List<String> page = from >= hits.size() ? List.of()
                : hits.subList((int) from, (int) Math.min(hits.size(), from + q.pageSize()));
        int total = hits.size();
        send(ex, 200, Json.write(g -> {
            g.writeStartObject();
            // Like the real API, an empty page carries no "conversations" field at all.
            if (!page.isEmpty()) {
                g.writeArrayFieldStart("conversations");
                for (String id : page) {
                    String json = feed.analyticsConversationJson(id);
                    if (json != null) {
                        g.writeRawValue(json);
                    }
                }
                g.writeEndArray();
            }
            g.writeNumberField("totalHits", total);
            g.writeEndObject();
        }));
    }

    private static Query readQuery(byte[] body) throws IOException {
        String interval = null;
        int pageSize = DEFAULT_PAGE_SIZE;
        int pageNumber = 1;
        boolean desc = false;
        try (JsonParser p = Json.FACTORY.createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("the body must be a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken v = p.nextToken();
                switch (name) {
                    case "interval" -> interval = v == JsonToken.VALUE_STRING ? p.getText() : null;
                    case "order" -> desc = v == JsonToken.VALUE_STRING && "desc".equalsIgnoreCase(p.getText());
                    case "paging" -> {
                        if (v != JsonToken.START_OBJECT) {
                            throw new IOException("paging must be an object");
                        }
                        while (p.nextToken() == JsonToken.FIELD_NAME) {
                            String f = p.currentName();
                            JsonToken pv = p.nextToken();
                            if (pv != JsonToken.VALUE_NUMBER_INT) {
                                p.skipChildren();
                                continue;
                            }
                            if (f.equals("pageSize")) {
                                pageSize = p.getIntValue();
                            } else if (f.equals("pageNumber")) {
                                pageNumber = p.getIntValue();
                            }
                        }
                    }
                    default -> p.skipChildren(); // filters and ordering fields are accepted, not evaluated
                }
            }
        }
        return new Query(interval, pageSize, pageNumber, desc);
    }

    private static long[] interval(String s) {
        int slash = s.indexOf('/');
        if (slash <= 0) {
            return null;
        }
        try {
            long start = instant(s.substring(0, slash));
            long end = instant(s.substring(slash + 1));
            return end > start ? new long[] {start, end} : null;
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static long instant(String s) {
        try {
            return Instant.parse(s).toEpochMilli();
        } catch (DateTimeParseException e) {
            return OffsetDateTime.parse(s).toInstant().toEpochMilli();
        }
    }

    // ----- plumbing -----

    private void retryAfter(HttpExchange ex) {
        ex.getResponseHeaders().add("Retry-After", Long.toString(Math.max(0, engine.config().retryAfter().toSeconds())));
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> out = new HashMap<>();
        if (raw == null) {
            return out;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                out.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    private static byte[] readBody(HttpExchange ex) throws IOException {
        try (InputStream in = ex.getRequestBody()) {
            byte[] body = in.readNBytes(MAX_BODY + 1);
            if (body.length > MAX_BODY) {
                throw new IOException("request body over " + MAX_BODY + " bytes");
            }
            return body;
        }
    }

    private String correlationId() {
        return "sim-" + correlationIds.incrementAndGet();
    }

    private void error(HttpExchange ex, int status, String code, String message) throws IOException {
        send(ex, status, Json.write(g -> {
            g.writeStartObject();
            g.writeStringField("message", message);
            g.writeStringField("code", code);
            g.writeNumberField("status", status);
            g.writeEndObject();
        }));
    }

    private void send(HttpExchange ex, int status, byte[] body) throws IOException {
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.getResponseHeaders().add("ININ-Correlation-Id", correlationId());
        if (ex.getRequestMethod().equals("HEAD")) {
            ex.sendResponseHeaders(status, -1);
            return;
        }
        ex.sendResponseHeaders(status, body.length);
        ex.getResponseBody().write(body);
    }
}
