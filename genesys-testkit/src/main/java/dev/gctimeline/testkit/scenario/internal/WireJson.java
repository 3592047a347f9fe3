package dev.gctimeline.testkit.scenario.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.Arrays;
import java.util.List;

/**
 * Renders {@link WireObject}s with jackson-core's streaming generator (never databind). Output is a
 * pure function of the object, so a seed gives byte-for-byte the same traffic. Non-ASCII text is
 * written as characters, not escapes, so the wire carries real multi-byte UTF-8.
 *
 * <p>One instance keeps one generator over a reusable character buffer and cuts a String per
 * document: creating a generator (and a synchronized StringWriter) per document cost more than
 * writing it. Not thread-safe: one per thread.
 */
public final class WireJson {
    private static final JsonFactory FACTORY = new JsonFactory();

    private final CharBuffer buffer = new CharBuffer();
    private final JsonGenerator g;

    public WireJson() {
        try {
            g = FACTORY.createGenerator(buffer);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // Root values follow each other with nothing between: each is cut off as its own document.
        g.setRootValueSeparator(null);
    }

    /** The JSON text of {@code o}. */
    public String write(WireObject o) {
        try {
            writeValue(g, o);
            return cut();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A notification envelope around an already rendered body:
     * {@code {"topicName":..,"version":"2","eventBody":{..},"metadata":{"CorrelationId":..}}}.
     */
    public String envelope(String topicName, String bodyJson, String correlationId) {
        try {
            writeEnvelope(topicName, bodyJson, correlationId, -1);
            return cut();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * An EventBridge record wrapping a detail-event envelope, the shape Genesys's AWS EventBridge
     * integration delivers: {@code {"version":"0","id",..,"detail-type",..,"source",..,
     * "detail":{envelope,"timestamp":..}}}.
     */
    public String eventBridge(String id, String topicName, String suffix, String orgId, String account,
                              long timeMillis, String bodyJson, String correlationId) {
        try {
            g.writeStartObject();
            g.writeStringField("version", "0");
            g.writeStringField("id", id);
            g.writeStringField("detail-type", topicName);
            g.writeStringField("source", "aws.partner/genesys.com/cloud/" + orgId + "/" + suffix);
            g.writeStringField("account", account);
            g.writeStringField("time", IsoTime.format(timeMillis).substring(0, 19) + "Z");
            g.writeStringField("region", "us-east-1");
            g.writeArrayFieldStart("resources");
            g.writeEndArray();
            g.writeFieldName("detail");
            writeEnvelope(topicName, bodyJson, correlationId, timeMillis);
            g.writeEndObject();
            return cut();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void writeEnvelope(String topicName, String bodyJson, String correlationId, long timestampMillis)
            throws IOException {
        g.writeStartObject();
        g.writeStringField("topicName", topicName);
        g.writeStringField("version", "2");
        g.writeFieldName("eventBody");
        g.writeRawValue(bodyJson);
        g.writeObjectFieldStart("metadata");
        g.writeStringField("CorrelationId", correlationId);
        g.writeEndObject();
        if (timestampMillis >= 0) {
            g.writeStringField("timestamp", IsoTime.format(timestampMillis));
        }
        g.writeEndObject();
    }

    private String cut() throws IOException {
        g.flush();
        return buffer.take();
    }

    static void writeValue(JsonGenerator g, Object v) throws IOException {
        if (v instanceof String s) {
            g.writeString(s);
        } else if (v instanceof Long l) {
            g.writeNumber(l);
        } else if (v instanceof Integer i) {
            g.writeNumber(i);
        } else if (v instanceof Boolean b) {
            g.writeBoolean(b);
        } else if (v instanceof WireObject.Iso t) {
            g.writeString(IsoTime.format(t.millis()));
        } else if (v instanceof WireObject.RawNumber n) {
            g.writeNumber(n.text());
        } else if (v instanceof WireObject o) {
            g.writeStartObject();
            for (int i = 0, n = o.size(); i < n; i++) {
                g.writeFieldName(o.key(i));
                writeValue(g, o.value(i));
            }
            g.writeEndObject();
        } else if (v instanceof List<?> list) {
            g.writeStartArray();
            for (int i = 0, n = list.size(); i < n; i++) {
                writeValue(g, list.get(i));
            }
            g.writeEndArray();
        } else {
            throw new IllegalArgumentException("cannot write " + (v == null ? "null" : v.getClass().getName()));
        }
    }

    /** An unsynchronized, reusable Writer (StringWriter locks on every append). */
    private static final class CharBuffer extends Writer {
        private char[] chars = new char[8192];
        private int length;

        @Override
        public void write(char[] cbuf, int off, int len) {
            ensure(len);
            System.arraycopy(cbuf, off, chars, length, len);
            length += len;
        }

        @Override
        public void write(String str, int off, int len) {
            ensure(len);
            str.getChars(off, off + len, chars, length);
            length += len;
        }

        @Override
        public void write(int c) {
            ensure(1);
            chars[length++] = (char) c;
        }

        private void ensure(int more) {
            if (length + more > chars.length) {
                chars = Arrays.copyOf(chars, Math.max(chars.length * 2, length + more));
            }
        }

        String take() {
            String s = new String(chars, 0, length);
            length = 0;
            return s;
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    }
}
