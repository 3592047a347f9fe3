package dev.gctimeline.testkit.scenario.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads JSON text back into the {@link WireObject} form {@link WireJson} writes, so
 * {@link TruthEvents} can be applied to a message as it was sent (the simulator uses it to replay
 * delivered snapshots). Strings under keys ending in {@code Time} that parse as ISO-8601 become
 * {@link WireObject.Iso}, integers {@link Long}, other numbers {@link WireObject.RawNumber} (as
 * written), {@code null}s are left out: the same values the renderer put in.
 */
public final class WireReader {
    private static final JsonFactory FACTORY = new JsonFactory();

    private WireReader() {
    }

    /** The root object of {@code json}. */
    public static WireObject read(String json) {
        try (JsonParser p = FACTORY.createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException("not a JSON object");
            }
            return object(p);
        } catch (IOException e) {
            throw new UncheckedIOException("unreadable JSON", e);
        }
    }

    private static WireObject object(JsonParser p) throws IOException {
        WireObject o = new WireObject();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            p.nextToken();
            o.put(key, value(p, key));
        }
        return o;
    }

    private static Object value(JsonParser p, String key) throws IOException {
        switch (p.currentToken()) {
            case START_OBJECT:
                return object(p);
            case START_ARRAY: {
                List<Object> list = new ArrayList<>();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    Object v = value(p, null);
                    if (v != null) {
                        list.add(v);
                    }
                }
                return list;
            }
            case VALUE_STRING: {
                String s = p.getText();
                if (key != null && key.endsWith("Time")) {
                    try {
                        return new WireObject.Iso(Instant.parse(s).toEpochMilli());
                    } catch (DateTimeParseException e) {
                        return s;
                    }
                }
                return s;
            }
            case VALUE_NUMBER_INT:
                return p.getLongValue();
            case VALUE_NUMBER_FLOAT:
                return new WireObject.RawNumber(p.getText());
            case VALUE_TRUE:
                return Boolean.TRUE;
            case VALUE_FALSE:
                return Boolean.FALSE;
            default:
                return null;
        }
    }
}
