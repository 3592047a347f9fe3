package dev.gctimeline.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The REST calls a client makes, with the JDK HttpClient, against a simulator. */
final class Rest {
    static final String CLIENT = "sim-client";
    static final String SECRET = "sim-secret";

    record ChannelInfo(String id, String connectUri, String expires) {
    }

    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final URI base;

    Rest(GenesysCloudSimulator sim) {
        this.base = sim.baseUri();
    }

    HttpResponse<String> tokenRequest(String clientId, String secret, String body) {
        String basic = Base64.getEncoder().encodeToString((clientId + ":" + secret).getBytes(StandardCharsets.UTF_8));
        HttpRequest req = HttpRequest.newBuilder(base.resolve("/oauth/token"))
                .header("Authorization", "Basic " + basic)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        return send(req);
    }

    String login() {
        return login(CLIENT, SECRET);
    }

    String login(String clientId, String secret) {
        HttpResponse<String> r = tokenRequest(clientId, secret, "grant_type=client_credentials");
        assertEquals(200, r.statusCode(), r.body());
        return field(r.body(), "access_token");
    }

    HttpResponse<String> call(String method, String path, String token, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(10));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        b.header("Content-Type", "application/json");
        HttpRequest.BodyPublisher p = body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body);
        return send(b.method(method, p).build());
    }

    ChannelInfo createChannel(String token) {
        HttpResponse<String> r = call("POST", "/api/v2/notifications/channels", token, "");
        assertEquals(200, r.statusCode(), r.body());
        return new ChannelInfo(field(r.body(), "id"), field(r.body(), "connectUri"), field(r.body(), "expires"));
    }

    HttpResponse<String> subscribe(String token, String channelId, String method, List<String> topics, boolean ignoreErrors) {
        return call(method, "/api/v2/notifications/channels/" + channelId + "/subscriptions"
                + (ignoreErrors ? "?ignoreErrors=true" : ""), token, topicsBody(topics));
    }

    void subscribeOk(String token, String channelId, List<String> topics) {
        HttpResponse<String> r = subscribe(token, channelId, "PUT", topics, false);
        assertEquals(200, r.statusCode(), r.body());
    }

    static String topicsBody(List<String> topics) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < topics.size(); i++) {
            sb.append(i == 0 ? "" : ",").append("{\"id\":\"").append(topics.get(i)).append("\"}");
        }
        return sb.append(']').toString();
    }

    static String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + Pattern.quote(name) + "\":\"([^\"]*)\"").matcher(json);
        return m.find() ? m.group(1) : null;
    }

    static List<String> ids(String json) {
        Matcher m = Pattern.compile("\"id\":\"([^\"]*)\"").matcher(json);
        List<String> out = new ArrayList<>();
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    private HttpResponse<String> send(HttpRequest req) {
        try {
            return http.send(req, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
