package dev.gctimeline.auth;

import dev.gctimeline.auth.internal.TokenEndpointClient;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Access tokens from the OAuth Client Credentials grant: {@code POST {login}/oauth/token} with the
 * client id and secret as HTTP Basic and {@code grant_type=client_credentials}, exactly as Genesys
 * Cloud documents it. There is no refresh token for this grant; a new token is a new request.
 *
 * <pre>{@code
 * TokenProvider tokens = ClientCredentialsTokenProvider.builder()
 *         .region(GenesysRegion.EU_WEST_1)
 *         .clientId(System.getenv("GENESYS_CLIENT_ID"))
 *         .clientSecret(System.getenv("GENESYS_CLIENT_SECRET"))
 *         .build();
 * String authorization = tokens.token().authorization();
 * }</pre>
 *
 * <h2>Guarantees</h2>
 * <ul>
 *   <li>The lifetime is the answer's {@code expires_in} (300 to 172,800 s, set per OAuth client);
 *       it is never assumed. It counts from when the request was sent, so the cached expiry is
 *       never later than the server's.</li>
 *   <li>Refresh ahead: once {@link Builder#refreshAhead(double) a fraction} (default 0.9) of the
 *       lifetime has passed, the next {@link #token()} starts one refresh on the
 *       {@link Builder#refreshExecutor(Executor) refresh executor} and returns the cached token
 *       without waiting for it.</li>
 *   <li>Single flight: however many threads ask at once, at most one token request is in flight.
 *       A thread that holds a still-valid cached token never waits for it; only a thread with no
 *       valid token (none yet, expired, or {@link #invalidate invalidated}) waits, and all such
 *       threads share the one request and its outcome.</li>
 *   <li>Stale while failing: if the refresh fails while the cached token is still in date, the
 *       cached token keeps being served, a warning is logged (no secrets), and the next refresh is
 *       tried after a growing pause (5 s, 10 s, ... up to 60 s). Once the token expires, callers
 *       wait for a request of their own and get the typed failure if it fails.</li>
 *   <li>After a 429 no request is made until its {@code Retry-After} has passed: callers without a
 *       valid token get a {@link RateLimitedException} with the time still to wait.</li>
 *   <li>5xx answers and failed exchanges (refused, reset, timed out) are retried up to
 *       {@link Builder#maxRetries(int)} times with jittered exponential backoff; other answers are
 *       not retried: they will not change by asking again.</li>
 *   <li>The secret, the Basic header made from it and tokens never appear in logs, exception
 *       messages or {@code toString()}. Redirects are not followed (the default client), so the
 *       credentials only ever go to the configured login URL.</li>
 * </ul>
 * All methods are safe to call from any thread.
 */
public final class ClientCredentialsTokenProvider implements TokenProvider {
    private static final Logger LOG = LoggerFactory.getLogger(ClientCredentialsTokenProvider.class);
    /** Guards Instant arithmetic against an absurd {@code expires_in}; Genesys's maximum is two days. */
    private static final long MAX_LIFETIME_SECONDS = 365L * 24 * 3600;
    private static final Duration BACKGROUND_RETRY_BASE = Duration.ofSeconds(5);
    private static final Duration BACKGROUND_RETRY_MAX = Duration.ofSeconds(60);

    /**
     * Waits between retries. The default is {@link Thread#sleep(long)}; tests record instead:
     * {@code builder.sleeper(pauses::add)}.
     */
    @FunctionalInterface
    public interface Sleeper {
        /** Waits for {@code d}; may be interrupted. */
        void sleep(Duration d) throws InterruptedException;
    }

    /** A cached token and the instant from which it is due for renewal. */
    private record Cached(AccessToken token, Instant refreshAt) {}

    private final TokenEndpointClient endpoint;
    private final GenesysEndpoints endpoints;
    private final Clock clock;
    private final double refreshAhead;
    private final Executor refreshExecutor;

    private final Object lock = new Object();
    /** Read without the lock on the fast path; written only under it. */
    private volatile Cached cached;
    // Guarded by lock:
    private CompletableFuture<Cached> inFlight;
    private Instant rateLimitedUntil;
    private Instant nextBackgroundAttempt;
    private int backgroundFailures;

    private ClientCredentialsTokenProvider(Builder b, GenesysEndpoints endpoints) {
        this.endpoints = endpoints;
        this.clock = b.clock;
        this.refreshAhead = b.refreshAhead;
        this.refreshExecutor = b.refreshExecutor != null ? b.refreshExecutor : ClientCredentialsTokenProvider::daemon;
        HttpClient http = b.httpClient != null ? b.httpClient : HttpClient.newBuilder()
                .connectTimeout(b.requestTimeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        Sleeper sleeper = b.sleeper;
        this.endpoint = new TokenEndpointClient(http, endpoints.tokenUri(), b.clientId, b.clientSecret,
                b.requestTimeout, b.maxRetries, b.retryBackoff, sleeper::sleep, b.clock);
    }

    /** A new builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** The endpoints this provider was built for (the token comes from {@code login}). */
    public GenesysEndpoints endpoints() {
        return endpoints;
    }

    @Override
    public AccessToken token() {
        Instant now = clock.instant();
        Cached c = cached;
        if (c != null && now.isBefore(c.refreshAt)) {
            return c.token;
        }
        if (c != null && !c.token.isExpiredAt(now)) {
            refreshInBackground(c, now);
            // A same-thread executor has already refreshed: hand out the new token at once.
            Cached after = cached;
            if (after != null && !after.token.isExpiredAt(now)) {
                return after.token;
            }
        }
        return awaitFresh();
    }

    @Override
    public void invalidate(AccessToken seenBad) {
        if (seenBad == null) {
            return;
        }
        synchronized (lock) {
            Cached c = cached;
            if (c != null && c.token.equals(seenBad)) {
                cached = null;
                LOG.debug("Genesys Cloud token for client {} at {} invalidated (refused by the API); the next"
                        + " request fetches a new one", endpoint.shownClientId(), endpoint.host());
            }
        }
    }

    private void refreshInBackground(Cached seen, Instant now) {
        CompletableFuture<Cached> f;
        synchronized (lock) {
            if (inFlight != null || cached != seen
                    || rateLimitedUntil != null && now.isBefore(rateLimitedUntil)
                    || nextBackgroundAttempt != null && now.isBefore(nextBackgroundAttempt)) {
                return;
            }
            f = inFlight = new CompletableFuture<>();
        }
        try {
            refreshExecutor.execute(() -> fetchInto(f));
        } catch (RejectedExecutionException e) {
            finish(f, null, new GenesysAuthException("The token refresh executor refused the refresh task: check"
                    + " that the executor given to the token provider is running", e));
        }
    }

    private AccessToken awaitFresh() {
        while (true) {
            CompletableFuture<Cached> f;
            boolean mine = false;
            synchronized (lock) {
                Instant now = clock.instant();
                Cached c = cached;
                if (c != null && !c.token.isExpiredAt(now)) {
                    return c.token; // renewed while this thread was on its way here
                }
                if (inFlight == null) {
                    if (rateLimitedUntil != null && now.isBefore(rateLimitedUntil)) {
                        Duration left = Duration.between(now, rateLimitedUntil);
                        throw new RateLimitedException("Token requests to " + endpoint.host() + " are paused for "
                                + left.toSeconds() + " s more after the server's 429 (Retry-After); check for other"
                                + " processes using the same OAuth client (" + endpoint.shownClientId() + ")",
                                left, null, null);
                    }
                    inFlight = new CompletableFuture<>();
                    mine = true;
                }
                f = inFlight;
            }
            if (mine) {
                fetchInto(f);
            }
            try {
                return f.get().token;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new GenesysAuthException("Interrupted while waiting for a Genesys Cloud token from "
                        + endpoint.host() + ": the thread was asked to stop", e);
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                if (!mine && cause.getCause() instanceof InterruptedException) {
                    continue; // the thread making the request was stopped, not this one: ask again
                }
                // Every waiter rethrows the one failure of the shared request: same type, same message.
                if (cause instanceof GenesysAuthException) {
                    throw (GenesysAuthException) cause;
                }
                throw new GenesysAuthException("Getting a Genesys Cloud token from " + endpoint.host()
                        + " failed unexpectedly", cause);
            }
        }
    }

    /** Runs the one request of a flight and publishes its outcome; always completes {@code f}. */
    private void fetchInto(CompletableFuture<Cached> f) {
        Cached fresh = null;
        GenesysAuthException failure = null;
        try {
            fresh = toCached(endpoint.fetch());
        } catch (GenesysAuthException e) {
            failure = e;
        } catch (RuntimeException e) {
            failure = new GenesysAuthException("Getting a Genesys Cloud token from " + endpoint.host()
                    + " failed unexpectedly (" + e.getClass().getName() + ")", e);
        } finally {
            if (fresh == null && failure == null) {
                // An Error is on its way up; waiters must still be released.
                failure = new GenesysAuthException("Getting a Genesys Cloud token from " + endpoint.host()
                        + " ended abnormally", null);
            }
            finish(f, fresh, failure);
        }
    }

    private void finish(CompletableFuture<Cached> f, Cached fresh, GenesysAuthException failure) {
        Instant now = clock.instant();
        Cached stale;
        Instant nextAttempt = null;
        synchronized (lock) {
            inFlight = null;
            stale = cached;
            if (fresh != null) {
                cached = fresh;
                rateLimitedUntil = null;
                nextBackgroundAttempt = null;
                backgroundFailures = 0;
            } else {
                if (failure instanceof RateLimitedException) {
                    rateLimitedUntil = now.plus(((RateLimitedException) failure).retryAfter());
                }
                backgroundFailures++;
                long factor = 1L << Math.min(backgroundFailures - 1, 10);
                Duration pause = BACKGROUND_RETRY_BASE.multipliedBy(factor);
                nextBackgroundAttempt = now.plus(pause.compareTo(BACKGROUND_RETRY_MAX) > 0 ? BACKGROUND_RETRY_MAX : pause);
                nextAttempt = nextBackgroundAttempt;
            }
        }
        if (fresh != null) {
            f.complete(fresh);
            return;
        }
        if (stale != null && !stale.token.isExpiredAt(now)) {
            LOG.warn("Refreshing the Genesys Cloud token at {} failed; still serving the cached token, valid until {};"
                    + " next attempt from {}. Cause: {}", endpoint.host(), stale.token.expiresAt(), nextAttempt,
                    failure.getMessage());
        } else {
            LOG.debug("Getting a Genesys Cloud token from {} failed: {}", endpoint.host(), failure.getMessage());
        }
        f.completeExceptionally(failure);
    }

    private Cached toCached(TokenEndpointClient.Fetched fetched) {
        long seconds = Math.min(fetched.answer().expiresInSeconds(), MAX_LIFETIME_SECONDS);
        Duration lifetime = Duration.ofSeconds(seconds);
        Instant expiresAt = fetched.sentAt().plus(lifetime);
        Instant refreshAt = fetched.sentAt().plusMillis((long) Math.floor(lifetime.toMillis() * refreshAhead));
        String type = fetched.answer().tokenType();
        if (type != null && !type.toLowerCase(Locale.ROOT).equals("bearer")) {
            LOG.warn("Genesys Cloud login at {} issued a token of type '{}', not 'bearer'; using it as a bearer token",
                    endpoint.host(), type.length() > 20 ? type.substring(0, 20) + "..." : type);
        }
        LOG.debug("Got a Genesys Cloud token from {} for client {}: lifetime {} s, expires {}, renewed from {}",
                endpoint.host(), endpoint.shownClientId(), seconds, expiresAt, refreshAt);
        return new Cached(new AccessToken(fetched.answer().accessToken(), expiresAt), refreshAt);
    }

    private static void daemon(Runnable task) {
        // Renewals happen hours apart: a short-lived thread each time costs nothing and needs no shutdown.
        Thread t = new Thread(task, "genesys-token-refresh");
        t.setDaemon(true);
        t.start();
    }

    /** Redacted: shows the client id's start, the login URL and the cached token's expiry only. */
    @Override
    public String toString() {
        Cached c = cached;
        return "ClientCredentialsTokenProvider[clientId=" + endpoint.shownClientId() + ", login=" + endpoints.login()
                + ", secret=***, token=" + (c == null ? "none" : c.token) + "]";
    }

    /**
     * Configures a {@link ClientCredentialsTokenProvider}. Required: {@link #clientId},
     * {@link #clientSecret(char[])} (or the String form) and {@link #region} or {@link #endpoints}.
     *
     * <pre>{@code
     * ClientCredentialsTokenProvider.builder().endpoints(local).clientId(id).clientSecret(secret)
     *         .requestTimeout(Duration.ofSeconds(5)).maxRetries(2).build();
     * }</pre>
     */
    public static final class Builder {
        private String clientId;
        private char[] clientSecret;
        private GenesysRegion region;
        private GenesysEndpoints endpoints;
        private HttpClient httpClient;
        private Clock clock = Clock.systemUTC();
        private double refreshAhead = 0.9;
        private Duration requestTimeout = Duration.ofSeconds(10);
        private int maxRetries = 3;
        private Duration retryBackoff = Duration.ofMillis(500);
        private Sleeper sleeper = d -> Thread.sleep(d.toMillis());
        private Executor refreshExecutor;

        private Builder() {}

        /** The OAuth client id (a UUID in Genesys Cloud). */
        public Builder clientId(String clientId) {
            Objects.requireNonNull(clientId, "clientId");
            if (clientId.isBlank()) {
                throw new IllegalArgumentException("The OAuth client id must not be blank");
            }
            this.clientId = clientId.strip();
            return this;
        }

        /** The OAuth client secret; the array is copied, so the caller may wipe its own. */
        public Builder clientSecret(char[] clientSecret) {
            Objects.requireNonNull(clientSecret, "clientSecret");
            if (clientSecret.length == 0) {
                throw new IllegalArgumentException("The OAuth client secret must not be empty");
            }
            if (this.clientSecret != null) {
                Arrays.fill(this.clientSecret, '\0');
            }
            this.clientSecret = clientSecret.clone();
            return this;
        }

        /** The OAuth client secret. */
        public Builder clientSecret(String clientSecret) {
            Objects.requireNonNull(clientSecret, "clientSecret");
            char[] chars = clientSecret.toCharArray();
            try {
                return clientSecret(chars);
            } finally {
                Arrays.fill(chars, '\0');
            }
        }

        /** The region whose login server issues the tokens. */
        public Builder region(GenesysRegion region) {
            this.region = Objects.requireNonNull(region, "region");
            return this;
        }

        /** Explicit endpoints (overrides {@link #region}); tokens come from {@code endpoints.login()}. */
        public Builder endpoints(GenesysEndpoints endpoints) {
            this.endpoints = Objects.requireNonNull(endpoints, "endpoints");
            return this;
        }

        /**
         * The HTTP client to use (proxy, TLS, executor settings). Default: a new client with the
         * request timeout as connect timeout and redirects not followed.
         */
        public Builder httpClient(HttpClient httpClient) {
            this.httpClient = Objects.requireNonNull(httpClient, "httpClient");
            return this;
        }

        /** The clock for expiry and refresh decisions (tests use a fixed or stepped one). */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Renew once this fraction of a token's lifetime has passed; in (0, 1], default 0.9. */
        public Builder refreshAhead(double fraction) {
            if (!(fraction > 0 && fraction <= 1)) {
                throw new IllegalArgumentException("refreshAhead must be in (0, 1], was " + fraction);
            }
            this.refreshAhead = fraction;
            return this;
        }

        /** The longest one token request may take, answer body included; default 10 s. */
        public Builder requestTimeout(Duration timeout) {
            Objects.requireNonNull(timeout, "timeout");
            if (timeout.isZero() || timeout.isNegative()) {
                throw new IllegalArgumentException("requestTimeout must be positive, was " + timeout);
            }
            this.requestTimeout = timeout;
            return this;
        }

        /** Retries after a 5xx or a failed exchange, on top of the first attempt; default 3. */
        public Builder maxRetries(int maxRetries) {
            if (maxRetries < 0 || maxRetries > 20) {
                throw new IllegalArgumentException("maxRetries must be in [0, 20], was " + maxRetries);
            }
            this.maxRetries = maxRetries;
            return this;
        }

        /**
         * The first retry's backoff step; each further retry doubles it (up to 10 s). The actual
         * wait is jittered between half the step and the whole step. Default 500 ms.
         */
        public Builder retryBackoff(Duration initial) {
            Objects.requireNonNull(initial, "initial");
            if (initial.isNegative()) {
                throw new IllegalArgumentException("retryBackoff must not be negative, was " + initial);
            }
            this.retryBackoff = initial;
            return this;
        }

        /** How to wait between retries; default {@link Thread#sleep(long)}. */
        public Builder sleeper(Sleeper sleeper) {
            this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
            return this;
        }

        /**
         * Where refresh-ahead requests run. Default: a short-lived daemon thread per refresh.
         * {@code Runnable::run} refreshes on the calling thread (that caller then waits for it).
         */
        public Builder refreshExecutor(Executor executor) {
            this.refreshExecutor = Objects.requireNonNull(executor, "executor");
            return this;
        }

        /**
         * @throws IllegalStateException when the client id, secret or region/endpoints are missing
         */
        public ClientCredentialsTokenProvider build() {
            if (clientId == null) {
                throw new IllegalStateException("Set clientId(...): the OAuth client id of a Client Credentials client");
            }
            if (clientSecret == null) {
                throw new IllegalStateException("Set clientSecret(...): the OAuth client's secret");
            }
            if (endpoints == null && region == null) {
                throw new IllegalStateException("Set region(...) or endpoints(...): where to get tokens");
            }
            return new ClientCredentialsTokenProvider(this, endpoints != null ? endpoints : GenesysEndpoints.of(region));
        }

        /** Redacted: never shows the secret. */
        @Override
        public String toString() {
            return "ClientCredentialsTokenProvider.Builder[clientId=" + (clientId == null ? "unset" : "set")
                    + ", secret=" + (clientSecret == null ? "unset" : "***")
                    + ", login=" + (endpoints != null ? endpoints.login() : region != null ? region.loginBase() : "unset")
                    + "]";
        }
    }
}
