package dev.gctimeline.testkit.internal.server;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Small JSON helpers on jackson-core's streaming API (no tree model, no databind). */
final class Json {
    static final JsonFactory FACTORY = new JsonFactory();

    private Json() {
    }

    /** A writer body: the generator is closed and the bytes returned. */
    interface Body {
        void write(JsonGenerator g) throws IOException;
    }

    static byte[] write(Body body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            body.write(g);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** {@code {"topicName":topic,"eventBody":{"message":message}}}, the shape of Genesys's channel messages. */
    static byte[] channelMessage(String topic, String message) {
        return write(g -> {
            g.writeStartObject();
            g.writeStringField("topicName", topic);
            g.writeObjectFieldStart("eventBody");
            g.writeStringField("message", message);
            g.writeEndObject();
            g.writeEndObject();
        });
    }

    /** Escapes a string for the inside of a JSON string literal. */
    static String escape(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 8);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.toString();
    }

    /**
     * The top-level scalar fields of a JSON object, as text (nested values skipped).
     *
     * @throws IOException when the input is not one JSON object
     */
    static Map<String, String> topLevelScalars(byte[] json) throws IOException {
        Map<String, String> out = new HashMap<>();
        try (JsonParser p = FACTORY.createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("not a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken v = p.nextToken();
                if (v == JsonToken.START_OBJECT || v == JsonToken.START_ARRAY) {
                    p.skipChildren();
                } else {
                    out.put(name, v == JsonToken.VALUE_NULL ? null : p.getText());
                }
            }
            if (p.currentToken() != JsonToken.END_OBJECT || p.nextToken() != null) {
                throw new IOException("trailing content after the JSON object");
            }
        }
        return out;
    }

    /**
     * The topic ids of a subscription body {@code [{"id":"topic"}, ...]}.
     *
     * @throws IOException with a message fit for a 400 answer
     */
    static List<String> topicIds(byte[] json) throws IOException {
        List<String> out = new ArrayList<>();
        try (JsonParser p = FACTORY.createParser(json)) {
            if (p.nextToken() != JsonToken.START_ARRAY) {
                throw new IOException("the body must be a JSON array of {\"id\":\"<topic>\"} objects");
            }
            JsonToken t;
            while ((t = p.nextToken()) == JsonToken.START_OBJECT) {
                String id = null;
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    JsonToken v = p.nextToken();
                    if ("id".equals(name) && v == JsonToken.VALUE_STRING) {
                        id = p.getText();
                    } else {
                        p.skipChildren();
                    }
                }
                if (id == null) {
                    throw new IOException("a subscription entry has no string \"id\"");
                }
                out.add(id);
            }
            if (t != JsonToken.END_ARRAY) {
                throw new IOException("the body must be a JSON array of {\"id\":\"<topic>\"} objects");
            }
        }
        return out;
    }
}
