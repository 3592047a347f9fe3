package dev.gctimeline.auth.internal;

import dev.gctimeline.auth.BadCredentialsException;
import dev.gctimeline.auth.GenesysAuthException;
import dev.gctimeline.auth.MissingPermissionException;
import dev.gctimeline.auth.RateLimitedException;
import dev.gctimeline.auth.ServerErrorException;
import dev.gctimeline.auth.UnreachableException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client-credentials token request, with bounded retries for 5xx answers and for no answer at
 * all, and the mapping of every other answer to a typed failure. Holds the client secret; nothing
 * it logs, throws or prints contains it (or the Basic header made from it, or a token).
 *
 * <p>Thread-safe, but meant to be called by one thread at a time (the provider's single flight).
 */
public final class TokenEndpointClient {
    private static final Logger LOG = LoggerFactory.getLogger(TokenEndpointClient.class);
    private static final int MAX_BODY = 64 * 1024;
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(10);
    /** A 5xx's Retry-After is honoured up to this; beyond it, give up and let the caller decide. */
    private static final Duration MAX_SERVER_RETRY_AFTER = Duration.ofSeconds(30);
    /** What a 429 without a usable Retry-After waits: Genesys limits token requests per minute. */
    static final Duration DEFAULT_RATE_LIMIT_WAIT = Duration.ofSeconds(60);

    /** Waits between retries; tests replace it to run without real sleeping. */
    @FunctionalInterface
    public interface Pause {
        void sleep(Duration d) throws InterruptedException;
    }

    private final HttpClient http;
    private final URI tokenUri;
    private final String host;
    private final String clientId;
    private final char[] secret;
    private final Duration requestTimeout;
    private final int maxRetries;
    private final Duration initialBackoff;
    private final Pause pause;
    private final Clock clock;

    public TokenEndpointClient(HttpClient http, URI tokenUri, String clientId, char[] secret, Duration requestTimeout,
            int maxRetries, Duration initialBackoff, Pause pause, Clock clock) {
        this.http = http;
        this.tokenUri = tokenUri;
        this.host = tokenUri.getPort() < 0 ? tokenUri.getHost() : tokenUri.getHost() + ":" + tokenUri.getPort();
        this.clientId = clientId;
        this.secret = secret.clone();
        this.requestTimeout = requestTimeout;
        this.maxRetries = maxRetries;
        this.initialBackoff = initialBackoff;
        this.pause = pause;
        this.clock = clock;
    }

    /** A fetched token: the answer plus when the request was sent (the lifetime counts from there). */
    public record Fetched(TokenAnswer.Success answer, Instant sentAt) {
        @Override
        public String toString() {
            return "Fetched[" + answer + ", sentAt=" + sentAt + "]";
        }
    }

    /** The login host (and port when not default), for messages. */
    public String host() {
        return host;
    }

    /** The client id shortened for messages and logs: enough to recognise it, not to use it. */
    public String shownClientId() {
        return clientId.length() <= 8 ? clientId : clientId.substring(0, 8) + "...";
    }

    /**
     * Requests a token, retrying 5xx answers and failed exchanges up to {@code maxRetries} times.
     *
     * @throws GenesysAuthException typed by the answer
     */
    public Fetched fetch() {
        int attempts = 0;
        while (true) {
            attempts++;
            Instant sentAt = clock.instant();
            HttpResponse<byte[]> response;
            try {
                response = exchange();
            } catch (BoundedBodySubscriber.TooLarge e) {
                throw new GenesysAuthException("Genesys Cloud login at " + host + " answered with " + e.getMessage()
                        + ": check that the login URL " + tokenUri + " points at a Genesys Cloud login server",
                        e);
            } catch (IOException e) {
                if (attempts <= maxRetries) {
                    Duration wait = backoff(attempts);
                    LOG.debug("Token request to {} failed ({}), attempt {} of {}; retrying in {} ms",
                            host, describe(e), attempts, maxRetries + 1, wait.toMillis());
                    sleep(wait);
                    continue;
                }
                throw unreachable(e, attempts);
            }
            int status = response.statusCode();
            String correlationId = response.headers().firstValue("ININ-Correlation-Id").orElse(null);
            if (status >= 200 && status < 300) {
                return new Fetched(parse(response.body(), status, correlationId), sentAt);
            }
            if (status >= 500 && status < 600) {
                if (attempts <= maxRetries) {
                    Duration wait = backoff(attempts);
                    Duration asked = RetryAfter.parse(response.headers().firstValue("Retry-After").orElse(null),
                            clock.instant()).orElse(Duration.ZERO);
                    if (asked.compareTo(wait) > 0 && asked.compareTo(MAX_SERVER_RETRY_AFTER) <= 0) {
                        wait = asked;
                    }
                    LOG.debug("Token request to {} answered HTTP {}, attempt {} of {}; retrying in {} ms",
                            host, status, attempts, maxRetries + 1, wait.toMillis());
                    sleep(wait);
                    continue;
                }
                throw new ServerErrorException("Genesys Cloud login at " + host + " answered HTTP " + status + " to "
                        + attempts + (attempts == 1 ? " attempt" : " attempts") + correlation(correlationId)
                        + ": the service (or a proxy in front of it) is failing; check the Genesys Cloud status"
                        + " page for this region, or the proxy, and try again later",
                        status, attempts, correlationId, null);
            }
            throw clientError(response, status, correlationId);
        }
    }

    private HttpResponse<byte[]> exchange() throws IOException {
        HttpRequest request = HttpRequest.newBuilder(tokenUri)
                .timeout(requestTimeout)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json")
                .header("Authorization", basic())
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials"))
                .build();
        CompletableFuture<HttpResponse<byte[]>> future =
                http.sendAsync(request, BoundedBodySubscriber.handler(MAX_BODY));
        try {
            // The request timeout covers the wait for headers only; this bounds the body as well.
            return future.get(requestTimeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException) {
                throw (IOException) cause;
            }
            throw new IOException("token request failed: " + cause.getClass().getSimpleName(), cause);
        } catch (TimeoutException e) {
            future.cancel(true);
            throw new HttpTimeoutException("no complete answer within " + requestTimeout.toMillis() + " ms");
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            throw new GenesysAuthException("Interrupted while requesting a token from " + host
                    + ": the thread was asked to stop", e);
        }
    }

    /** {@code Basic base64(clientId:secret)}, built without ever holding the secret in a String. */
    private String basic() {
        CharBuffer chars = CharBuffer.allocate(clientId.length() + 1 + secret.length);
        chars.put(clientId).put(':').put(secret).flip();
        ByteBuffer utf8 = StandardCharsets.UTF_8.encode(chars);
        byte[] raw = new byte[utf8.remaining()];
        utf8.get(raw);
        try {
            return "Basic " + Base64.getEncoder().encodeToString(raw);
        } finally {
            Arrays.fill(raw, (byte) 0);
            Arrays.fill(chars.array(), '\0');
            if (utf8.hasArray()) {
                Arrays.fill(utf8.array(), (byte) 0);
            }
        }
    }

    private TokenAnswer.Success parse(byte[] body, int status, String correlationId) {
        try {
            return TokenAnswer.success(body);
        } catch (TokenAnswer.Malformed e) {
            throw new GenesysAuthException("Genesys Cloud login at " + host + " answered HTTP " + status
                    + " but " + e.getMessage() + correlation(correlationId) + ": check that the login URL "
                    + tokenUri + " points at a Genesys Cloud login server (not a proxy's page)",
                    status, correlationId, null);
        }
    }

    private GenesysAuthException clientError(HttpResponse<byte[]> response, int status, String correlationId) {
        TokenAnswer.Error error = TokenAnswer.error(response.body());
        String code = cleanCode(error.error());
        String detail = (code == null ? "" : ", " + code) + describeServer(error.description());
        String what = " (HTTP " + status + detail + ")" + correlation(correlationId);
        if (status == 401 || status == 400 && isCredentialError(code)) {
            return new BadCredentialsException("Genesys Cloud login refused the client credentials" + what
                    + ": check the OAuth client id (" + shownClientId() + ") and secret for " + host
                    + ", that the client belongs to this region's organization, and that it uses the Client"
                    + " Credentials grant", status, correlationId, null);
        }
        if (status == 403) {
            return new MissingPermissionException("Genesys Cloud login at " + host + " refused the OAuth client ("
                    + shownClientId() + ")" + what + ": check that the client is active and has the roles it"
                    + " needs, and that the organization allows this caller (IP allow list)",
                    status, correlationId, null);
        }
        if (status == 429) {
            Duration wait = RetryAfter.parse(response.headers().firstValue("Retry-After").orElse(null), clock.instant())
                    .orElse(DEFAULT_RATE_LIMIT_WAIT);
            return new RateLimitedException("Genesys Cloud login at " + host + " is rate limiting token requests"
                    + what + "; retry after " + wait.toSeconds() + " s. Check for other processes using the same"
                    + " OAuth client (" + shownClientId() + ") and share one TokenProvider per client:"
                    + " a token lasts hours, so a healthy client asks rarely", wait, correlationId, null);
        }
        return new GenesysAuthException("Genesys Cloud login at " + host + " answered the token request with"
                + " an unexpected HTTP " + status + detail + correlation(correlationId)
                + ": check that the login URL " + tokenUri + " is right for the region", status, correlationId, null);
    }

    private static boolean isCredentialError(String code) {
        return "invalid_client".equals(code) || "unauthorized_client".equals(code)
                || "invalid_grant".equals(code) || "unsupported_grant_type".equals(code);
    }

    private UnreachableException unreachable(IOException e, int attempts) {
        String why = e instanceof HttpConnectTimeoutException ? "the connection timed out"
                : e instanceof HttpTimeoutException ? "no answer within " + requestTimeout.toMillis() + " ms"
                : e instanceof java.net.ConnectException ? "the connection was refused or failed"
                : "the exchange failed (" + describe(e) + ")";
        return new UnreachableException("Could not get a token from " + tokenUri + " after " + attempts
                + (attempts == 1 ? " attempt: " : " attempts: ") + why + ". Check the region or login URL,"
                + " DNS, proxy and firewall settings, and that this host can reach " + host, attempts, e);
    }

    private static String describe(IOException e) {
        String m = e.getMessage();
        return e.getClass().getSimpleName() + (m == null ? "" : ": " + m);
    }

    private static String correlation(String correlationId) {
        return correlationId == null ? "" : " [ININ-Correlation-Id " + cleanCode(correlationId) + "]";
    }

    /** An OAuth error code or correlation id: short and plain, or nothing. */
    private static String cleanCode(String code) {
        if (code == null) {
            return null;
        }
        String c = code.strip();
        if (c.isEmpty() || c.length() > 64 || !c.chars().allMatch(ch -> Character.isLetterOrDigit(ch)
                || ch == '_' || ch == '-' || ch == '.' || ch == ':')) {
            return null;
        }
        return c;
    }

    /** The server's own description, with anything secret taken out, printable and short. */
    private String describeServer(String description) {
        if (description == null || description.isBlank()) {
            return "";
        }
        String d = redact(description).replaceAll("[\\p{Cntrl}\\s]+", " ").strip();
        if (d.length() > 200) {
            d = d.substring(0, 200) + "...";
        }
        return ": " + d;
    }

    /** Takes the secret and its Basic form out of text that came from outside. */
    String redact(String text) {
        String out = text;
        if (secret.length > 0) {
            StringBuilder b = new StringBuilder(out.length());
            int i = 0;
            while (i < out.length()) {
                if (regionMatches(out, i, secret)) {
                    b.append("***");
                    i += secret.length;
                } else {
                    b.append(out.charAt(i++));
                }
            }
            out = b.toString();
        }
        String basic = basic();
        return out.replace(basic.substring("Basic ".length()), "***");
    }

    private static boolean regionMatches(String text, int from, char[] what) {
        if (from + what.length > text.length()) {
            return false;
        }
        for (int k = 0; k < what.length; k++) {
            if (text.charAt(from + k) != what[k]) {
                return false;
            }
        }
        return true;
    }

    private Duration backoff(int attempt) {
        long base = initialBackoff.toMillis() << Math.min(attempt - 1, 20);
        long capped = Math.min(Math.max(base, 0), MAX_BACKOFF.toMillis());
        // Equal jitter: at least half the step, so retries spread out without collapsing to zero.
        long half = capped / 2;
        return Duration.ofMillis(half + (half > 0 ? ThreadLocalRandom.current().nextLong(half + 1) : 0));
    }

    private void sleep(Duration d) {
        try {
            pause.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GenesysAuthException("Interrupted while waiting to retry the token request to " + host
                    + ": the thread was asked to stop", e);
        }
    }
}
