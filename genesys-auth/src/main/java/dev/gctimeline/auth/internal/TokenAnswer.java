package dev.gctimeline.auth.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import java.io.IOException;

/**
 * Reads the token endpoint's JSON answers with jackson-core's streaming parser (no tree, no
 * databind): {@code {"access_token":"...","token_type":"bearer","expires_in":86400}} on success,
 * {@code {"error":"invalid_client","error_description":"..."}} on failure. Unknown fields are
 * skipped.
 *
 * <p>Jackson's own exceptions are never passed on: their messages can quote input ("Unrecognized
 * token 'eyJ...'"), and the input here is a secret. Failures become {@link Malformed} with a
 * position only.
 */
public final class TokenAnswer {
    private static final JsonFactory JSON = JsonFactory.builder()
            .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
            .build();

    /** A successful answer. {@code tokenType} may be null when the server left it out. */
    public record Success(String accessToken, String tokenType, long expiresInSeconds) {
        @Override
        public String toString() {
            return "Success[***, type=" + tokenType + ", expiresIn=" + expiresInSeconds + "]";
        }
    }

    /** The OAuth error fields of a failed answer; each may be null. */
    public record Error(String error, String description) {}

    /** The answer could not be read; the message says why without quoting it. */
    public static final class Malformed extends Exception {
        private static final long serialVersionUID = 1L;

        Malformed(String message) {
            super(message, null, false, false);
        }
    }

    private TokenAnswer() {}

    /** Parses a 2xx answer. */
    public static Success success(byte[] body) throws Malformed {
        String token = null;
        String type = null;
        long expiresIn = -1;
        try (JsonParser p = JSON.createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new Malformed("the answer is not a JSON object");
            }
            JsonToken t;
            while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken v = p.nextToken();
                if (v.isStructStart()) {
                    p.skipChildren(); // no field we read is an object or array
                    continue;
                }
                switch (name) {
                    case "access_token":
                        token = v == JsonToken.VALUE_STRING ? p.getText() : null;
                        break;
                    case "token_type":
                        type = v == JsonToken.VALUE_STRING ? p.getText() : null;
                        break;
                    case "expires_in":
                        expiresIn = seconds(p, v);
                        break;
                    default:
                        break;
                }
            }
            if (t != JsonToken.END_OBJECT) {
                throw new Malformed("the answer is not a complete JSON object");
            }
            if (p.nextToken() != null) {
                throw new Malformed("the answer has content after its JSON object");
            }
        } catch (IOException e) {
            throw new Malformed("the answer is not valid JSON");
        }
        if (token == null || token.isBlank()) {
            throw new Malformed("the answer has no access_token");
        }
        if (expiresIn <= 0) {
            throw new Malformed("the answer has no positive expires_in");
        }
        return new Success(token, type, expiresIn);
    }

    /** Parses an error answer; anything unreadable gives an {@code Error} of nulls. */
    public static Error error(byte[] body) {
        String error = null;
        String description = null;
        String message = null;
        try (JsonParser p = JSON.createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return new Error(null, null);
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken v = p.nextToken();
                if (v.isStructStart()) {
                    p.skipChildren();
                    continue;
                }
                String text = v == JsonToken.VALUE_STRING ? p.getText() : null;
                switch (name) {
                    case "error":
                        error = text;
                        break;
                    case "error_description":
                    case "description":
                        description = description == null ? text : description;
                        break;
                    case "message": // Genesys API error shape
                        message = text;
                        break;
                    default:
                        break;
                }
            }
        } catch (IOException e) {
            // An error page that is not JSON (a proxy's HTML): keep what was read so far.
        }
        return new Error(error, description != null ? description : message);
    }

    private static long seconds(JsonParser p, JsonToken v) throws IOException, Malformed {
        switch (v) {
            case VALUE_NUMBER_INT:
                if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
                    throw new Malformed("expires_in is out of range");
                }
                return p.getLongValue();
            case VALUE_NUMBER_FLOAT:
                return (long) Math.floor(p.getDoubleValue());
            case VALUE_STRING:
                try {
                    return Long.parseLong(p.getText().strip());
                } catch (NumberFormatException e) {
                    throw new Malformed("expires_in is not a number");
                }
            default:
                throw new Malformed("expires_in is not a number");
        }
    }
}
