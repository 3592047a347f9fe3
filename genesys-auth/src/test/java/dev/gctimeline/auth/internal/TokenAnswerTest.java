package dev.gctimeline.auth.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class TokenAnswerTest {
    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void readsTheThreeFieldsInAnyOrderSkippingOthers() throws Exception {
        TokenAnswer.Success s = TokenAnswer.success(b("{\"scope\":[\"a\",{\"b\":1}],\"expires_in\":172800,"
                + "\"meta\":{\"access_token\":\"inner\"},\"token_type\":\"bearer\",\"access_token\":\"abc\"}"));
        assertEquals("abc", s.accessToken());
        assertEquals("bearer", s.tokenType());
        assertEquals(172800, s.expiresInSeconds());
        assertFalse(s.toString().contains("abc"));
    }

    @Test
    void structuredValuesWhereScalarsBelongAreSkippedNotMisread() throws Exception {
        TokenAnswer.Success s = TokenAnswer.success(b("{\"access_token\":{\"x\":\"y\"},\"access_token\":\"t\","
                + "\"expires_in\":[1],\"expires_in\":60}"));
        assertEquals("t", s.accessToken());
        assertEquals(60, s.expiresInSeconds());
    }

    @Test
    void rejectsWhatIsNotAToken() {
        for (String bad : new String[] {"", "[]", "null", "\"x\"", "{", "{\"access_token\":\"t\"}",
                "{\"expires_in\":5}", "{\"access_token\":\"t\",\"expires_in\":-1}",
                "{\"access_token\":\" \",\"expires_in\":5}", "{\"access_token\":\"t\",\"expires_in\":\"soon\"}",
                "{\"access_token\":\"t\",\"expires_in\":123456789012345678901234567890}",
                "{\"access_token\":\"t\",\"expires_in\":true}", "{\"access_token\":\"t\",\"expires_in\":5} trailing"}) {
            TokenAnswer.Malformed m = assertThrows(TokenAnswer.Malformed.class, () -> TokenAnswer.success(b(bad)), bad);
            assertNull(m.getCause());
        }
    }

    @Test
    void readsErrorShapes() {
        assertEquals(new TokenAnswer.Error("invalid_client", "no such client"),
                TokenAnswer.error(b("{\"error\":\"invalid_client\",\"error_description\":\"no such client\"}")));
        assertEquals(new TokenAnswer.Error(null, "Forbidden"),
                TokenAnswer.error(b("{\"code\":\"forbidden\",\"status\":403,\"message\":\"Forbidden\",\"details\":[]}")));
        assertEquals(new TokenAnswer.Error(null, null), TokenAnswer.error(b("<html>nope</html>")));
        assertEquals(new TokenAnswer.Error(null, null), TokenAnswer.error(b("")));
        assertEquals(new TokenAnswer.Error("e", null), TokenAnswer.error(b("{\"error\":\"e\",\"x\":")));
    }
}
