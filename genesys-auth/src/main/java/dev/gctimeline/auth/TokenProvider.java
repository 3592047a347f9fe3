package dev.gctimeline.auth;

/**
 * Source of access tokens for Genesys Cloud API calls. Implementations cache tokens, renew them
 * before they expire and are safe to call from any number of threads at once.
 *
 * <p>When an API call answers 401 with a token from here, call {@link #invalidate(AccessToken)}
 * with that token and retry once with a fresh {@link #token()}; if the retry is refused too, fail
 * loudly rather than loop. Invalidation names the token that failed, so a burst of 401s from many
 * threads (all holding the same token) costs one new token, not one each.
 *
 * <pre>{@code
 * TokenProvider tokens = ClientCredentialsTokenProvider.builder()
 *         .region(GenesysRegion.EU_WEST_1).clientId(id).clientSecret(secret).build();
 * AccessToken t = tokens.token();
 * // ... the API answered 401:
 * tokens.invalidate(t);
 * AccessToken fresh = tokens.token();
 * }</pre>
 */
public interface TokenProvider {

    /**
     * A token valid now: the cached one, or a fresh one when there is none or it expired. May block
     * while a token is fetched.
     *
     * @throws GenesysAuthException (or one of its subtypes) when no valid token can be had
     */
    AccessToken token();

    /**
     * Reports that {@code seenBad} was refused (HTTP 401) although it had not expired. If it is the
     * token currently cached, the next {@link #token()} fetches a new one; if the cache already
     * holds a different token (someone renewed it already), nothing happens. Never blocks, never
     * makes a request itself.
     */
    void invalidate(AccessToken seenBad);
}
