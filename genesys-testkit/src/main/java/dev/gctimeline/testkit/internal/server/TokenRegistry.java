package dev.gctimeline.testkit.internal.server;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * OAuth clients and the tokens issued to them. A token is valid while it is known, not invalidated
 * and the simulator clock is before its expiry. Thread-safe (monitor). Tokens and secrets are never
 * put in a message, log or exception.
 */
final class TokenRegistry {

    private static final class TokenInfo {
        final String clientId;
        final long expiresAtMillis;
        boolean invalid;

        TokenInfo(String clientId, long expiresAtMillis) {
            this.clientId = clientId;
            this.expiresAtMillis = expiresAtMillis;
        }
    }

    private final Engine engine;
    private final Map<String, String> secrets;
    private final Map<String, TokenInfo> tokens = new HashMap<>();
    private final SplittableRandom random;
    private final ArrayDeque<Integer> injectedTokenFailures = new ArrayDeque<>();
    private int rateLimitNextApiCalls;

    TokenRegistry(Engine engine, Map<String, String> secrets, long seed) {
        this.engine = engine;
        this.secrets = Map.copyOf(secrets);
        this.random = new SplittableRandom(seed ^ 0x746F6B656EL);
    }

    /** True when the id and secret belong to a configured client (constant-time on the secret). */
    boolean authenticate(String clientId, String secret) {
        String expected = secrets.get(clientId);
        if (expected == null || secret == null) {
            return false;
        }
        return java.security.MessageDigest.isEqual(expected.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                secret.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    synchronized String issue(String clientId) {
        StringBuilder sb = new StringBuilder(48);
        for (int i = 0; i < 3; i++) {
            sb.append(Long.toString(random.nextLong() & Long.MAX_VALUE, 36));
        }
        String token = sb.toString();
        tokens.put(token, new TokenInfo(clientId, engine.clock().millis() + engine.config().tokenLifetime().toMillis()));
        engine.counters().tokensIssued.increment();
        return token;
    }

    /** The client a valid token belongs to, or null when it is unknown, expired or invalidated. */
    synchronized String clientOf(String token) {
        if (token == null) {
            return null;
        }
        TokenInfo t = tokens.get(token);
        if (t == null || t.invalid || engine.clock().millis() >= t.expiresAtMillis) {
            return null;
        }
        return t.clientId;
    }

    /** Makes every issued token invalid (token expiry mid-stream). */
    synchronized void invalidateAll() {
        tokens.values().forEach(t -> t.invalid = true);
    }

    /** Makes every token of one client invalid (token_revoked). */
    synchronized void invalidateClient(String clientId) {
        tokens.values().forEach(t -> {
            if (t.clientId.equals(clientId)) {
                t.invalid = true;
            }
        });
    }

    synchronized void failNextTokenRequests(int count, int status) {
        for (int i = 0; i < count; i++) {
            injectedTokenFailures.add(status);
        }
    }

    /** The status to fail this token request with, or 0 to serve it. */
    synchronized int takeTokenFailure() {
        Integer s = injectedTokenFailures.poll();
        return s == null ? 0 : s;
    }

    synchronized void rateLimitNextApiCalls(int count) {
        rateLimitNextApiCalls += count;
    }

    /** True when this API call must be answered 429 by an on-demand switch. */
    synchronized boolean takeApiRateLimit() {
        if (rateLimitNextApiCalls > 0) {
            rateLimitNextApiCalls--;
            return true;
        }
        return false;
    }
}
