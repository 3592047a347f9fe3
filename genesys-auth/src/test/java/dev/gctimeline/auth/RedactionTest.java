package dev.gctimeline.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Secrets and tokens never show: toString, messages with their causes, and (after every test) logs. */
class RedactionTest extends ProviderTestSupport {

    @Test
    void accessTokenToStringHidesTheValue() {
        AccessToken t = new AccessToken(tok("visible?"), Instant.parse("2024-11-22T03:00:00Z"));
        assertEquals("AccessToken[***, expires 2024-11-22T03:00:00Z]", t.toString());
        assertEquals("Bearer " + tok("visible?"), t.authorization());
    }

    @Test
    void providerAndBuilderToStringHideSecretAndToken() {
        server.then(TokenServer.token(tok("a"), 86400));
        ClientCredentialsTokenProvider.Builder b = provider();
        assertNoSecret("builder", b.toString());
        assertTrue(b.toString().contains("secret=***"), b.toString());
        ClientCredentialsTokenProvider p = b.build();
        assertNoSecret("provider before", p.toString());
        p.token();
        String s = p.toString();
        assertNoSecret("provider after", s);
        assertTrue(s.contains("secret=***") && s.contains("AccessToken[***"), s);
        assertFalse(s.contains(CLIENT_ID), "the client id is shortened: " + s);
    }

    @Test
    void secretEchoedByTheServerIsRemovedFromTheMessage() {
        server.then(TokenServer.status(400, "{\"error\":\"invalid_client\",\"error_description\":\"bad secret "
                + SECRET + " for Basic " + BASIC + "\"}"));
        BadCredentialsException e = assertThrows(BadCredentialsException.class, () -> provider().build().token());
        assertNoSecretInChain(e);
        assertTrue(e.getMessage().contains("bad secret *** for Basic ***"), e.getMessage());
    }

    @Test
    void tokenInAMalformedAnswerIsNotQuoted() {
        // Jackson would say "Unrecognized token 'TOKEN-SECRET-...'": that message must not escape.
        server.then(TokenServer.status(200, "{\"access_token\":" + tok("unquoted") + ",\"expires_in\":300}"),
                TokenServer.status(200, "{\"access_token\":\"" + tok("cut")));
        ClientCredentialsTokenProvider p = provider().build();
        assertNoSecretInChain(assertThrows(GenesysAuthException.class, p::token));
        assertNoSecretInChain(assertThrows(GenesysAuthException.class, p::token));
    }

    @Test
    void errorCodeThatIsNotACodeIsDropped() {
        server.then(TokenServer.status(400, "{\"error\":\"" + tok("weird") + " with spaces\"}"));
        GenesysAuthException e = assertThrows(GenesysAuthException.class, () -> provider().build().token());
        assertNoSecretInChain(e);
    }

    @Test
    void endpointsRejectCredentialsInUrlsWithoutEchoingThem() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> GenesysEndpoints.builder().region(GenesysRegion.EU_WEST_1)
                        .login("https://id:" + SECRET + "@login.mypurecloud.ie").build());
        assertNoSecretInChain(e);
        IllegalArgumentException r = assertThrows(IllegalArgumentException.class,
                () -> GenesysRegion.fromDomain("https://id:" + SECRET + "@login.example.com"));
        assertNoSecretInChain(r);
    }
}
