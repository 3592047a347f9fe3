package dev.gctimeline.store.influx.internal;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * InfluxDB line protocol, encoded straight into one reusable, growable UTF-8 byte buffer.
 *
 * <p>Escaping follows the line protocol reference: a measurement escapes comma and space; tag keys,
 * tag values and field keys escape comma, equals sign and space; string field values are
 * double-quoted and escape {@code "} and {@code \}. The reference does not support a newline in
 * any element, so LF and CR are rejected everywhere (the schema layer encodes them before they get
 * here). Three things have no escaped form at all and are rejected too: an empty name or tag value,
 * a name or tag value that ends in a backslash (the backslash would escape the delimiter after it),
 * and an unpaired UTF-16 surrogate (not encodable as UTF-8). Integers carry the {@code i} suffix,
 * timestamps are nanoseconds.
 *
 * <p>Nothing here allocates per point once the buffer has grown to the batch size: characters are
 * encoded one at a time, numbers are written digit by digit. A rejected element throws
 * {@link IllegalArgumentException}; the caller then calls {@link #abortLine()} so the buffer holds
 * only whole lines. Not thread-safe: one writer per thread.
 *
 * <pre>{@code
 * w.beginLine("m").tag("host", "a b").fieldLong("n", 3).fieldString("s", "x\"y").endLine(1L);
 * }</pre>
 */
public final class LineProtocolWriter {
    private static final byte[] MIN_LONG = Long.toString(Long.MIN_VALUE).getBytes(StandardCharsets.US_ASCII);

    private byte[] buf;
    private int len;
    private int lineStart;
    private int lines;
    private boolean inLine;
    private boolean firstField;
    private int elementStart;
    private char lastChar;

    public LineProtocolWriter(int initialCapacity) {
        buf = new byte[Math.max(64, initialCapacity)];
    }

    /** The encoded bytes; valid up to {@link #size()}. */
    public byte[] buffer() {
        return buf;
    }

    public int size() {
        return len;
    }

    /** Complete lines in the buffer. */
    public int lines() {
        return lines;
    }

    /** Empties the buffer, keeping its capacity. */
    public void reset() {
        len = 0;
        lineStart = 0;
        lines = 0;
        inLine = false;
    }

    /** Drops the line being written (after a rejected element), keeping every complete line. */
    public void abortLine() {
        len = lineStart;
        inLine = false;
    }

    // ---------------------------------------------------------------- line structure

    /** Starts a line with {@code measurement} (escaped here). */
    public LineProtocolWriter beginLine(CharSequence measurement) {
        startLine();
        beginElement();
        for (int i = 0, n = measurement.length(); i < n; i++) {
            char c = measurement.charAt(i);
            if (c == ',' || c == ' ') {
                put('\\');
            }
            i = putChar(measurement, i, c);
        }
        endElement("measurement");
        return this;
    }

    /** Starts a line with a measurement already escaped (a constant of the schema). */
    public LineProtocolWriter beginLine(byte[] escapedMeasurement) {
        startLine();
        putBytes(escapedMeasurement);
        return this;
    }

    /** Adds a tag; both key and value are escaped here. Tags should come in key order. */
    public LineProtocolWriter tag(CharSequence key, CharSequence value) {
        requireHeader();
        put(',');
        beginElement();
        keyChars(key);
        endElement("tag key");
        put('=');
        beginElement();
        keyChars(value);
        endElement("tag value");
        return this;
    }

    /** Adds a tag whose key is an escaped constant. */
    public LineProtocolWriter tag(byte[] escapedKey, CharSequence value) {
        requireHeader();
        put(',');
        putBytes(escapedKey);
        put('=');
        beginElement();
        keyChars(value);
        endElement("tag value");
        return this;
    }

    /** Adds a tag whose key and value are escaped constants. */
    public LineProtocolWriter tag(byte[] escapedKey, byte[] escapedValue) {
        requireHeader();
        put(',');
        putBytes(escapedKey);
        put('=');
        putBytes(escapedValue);
        return this;
    }

    /** A string field. */
    public LineProtocolWriter fieldString(CharSequence key, CharSequence value) {
        beginFieldKey();
        fieldKeyChars(key);
        endFieldKey();
        return stringValue(value);
    }

    /** A string field whose key is an escaped constant. */
    public LineProtocolWriter fieldString(byte[] escapedKey, CharSequence value) {
        fieldKey(escapedKey);
        return stringValue(value);
    }

    /** A signed integer field ({@code i} suffix). */
    public LineProtocolWriter fieldLong(CharSequence key, long value) {
        beginFieldKey();
        fieldKeyChars(key);
        endFieldKey();
        putLong(value);
        put('i');
        return this;
    }

    /** A signed integer field whose key is an escaped constant. */
    public LineProtocolWriter fieldLong(byte[] escapedKey, long value) {
        fieldKey(escapedKey);
        putLong(value);
        put('i');
        return this;
    }

    /** A boolean field. */
    public LineProtocolWriter fieldBoolean(CharSequence key, boolean value) {
        beginFieldKey();
        fieldKeyChars(key);
        endFieldKey();
        putBytesAscii(value ? "true" : "false");
        return this;
    }

    /** Ends the line with its nanosecond timestamp and a newline. */
    public void endLine(long timestampNanos) {
        if (!inLine || firstField) {
            throw new IllegalStateException("a point needs at least one field");
        }
        put(' ');
        putLong(timestampNanos);
        put('\n');
        inLine = false;
        lines++;
    }

    // ---------------------------------------------------------------- streaming pieces

    /** Writes the separator and an escaped constant key followed by {@code =}. */
    public LineProtocolWriter fieldKey(byte[] escapedKey) {
        requireHeader();
        put(firstField ? ' ' : ',');
        firstField = false;
        putBytes(escapedKey);
        put('=');
        return this;
    }

    /** Starts a field key built piece by piece ({@link #fieldKeyChars}, {@link #endFieldKey}). */
    public LineProtocolWriter beginFieldKey() {
        requireHeader();
        put(firstField ? ' ' : ',');
        firstField = false;
        beginElement();
        return this;
    }

    /** Appends characters to the field key being built, escaped. */
    public LineProtocolWriter fieldKeyChars(CharSequence s) {
        keyChars(s);
        return this;
    }

    /** Appends characters {@code [from, to)} of {@code s} to the field key being built, escaped. */
    public LineProtocolWriter fieldKeyChars(CharSequence s, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c == ',' || c == '=' || c == ' ') {
                put('\\');
            }
            i = putChar(s, i, c);
        }
        return this;
    }

    /** Appends one character (not a surrogate) to the field key being built, escaped. */
    public LineProtocolWriter fieldKeyChar(char c) {
        keyChar(c);
        return this;
    }

    public LineProtocolWriter endFieldKey() {
        endElement("field key");
        put('=');
        return this;
    }

    /** A whole quoted string value after a field key. */
    public LineProtocolWriter stringValue(CharSequence value) {
        put('"');
        for (int i = 0, n = value.length(); i < n; i++) {
            i = stringChar(value, i);
        }
        put('"');
        return this;
    }

    /** Opens a quoted string value built piece by piece. */
    public LineProtocolWriter beginString() {
        put('"');
        return this;
    }

    /** Appends characters {@code [from, to)} of {@code s} to the open string value, escaped. */
    public LineProtocolWriter stringChars(CharSequence s, int from, int to) {
        for (int i = from; i < to; i++) {
            i = stringChar(s, i);
        }
        return this;
    }

    /** Appends one BMP character that is not a surrogate to the open string value, escaped. */
    public LineProtocolWriter stringChar(char c) {
        if (c == '"' || c == '\\') {
            put('\\');
        } else if (c == '\n' || c == '\r') {
            throw new IllegalArgumentException("line protocol does not support a newline in a string field value");
        } else if (Character.isSurrogate(c)) {
            throw new IllegalArgumentException("unpaired surrogate in a string field value");
        }
        putUtf8(c);
        return this;
    }

    public LineProtocolWriter endString() {
        put('"');
        return this;
    }

    // ---------------------------------------------------------------- internals

    private void startLine() {
        if (inLine) {
            throw new IllegalStateException("previous line not ended");
        }
        lineStart = len;
        inLine = true;
        firstField = true;
    }

    private void requireHeader() {
        if (!inLine) {
            throw new IllegalStateException("beginLine first");
        }
    }

    private void beginElement() {
        elementStart = len;
        lastChar = 0;
    }

    private void endElement(String what) {
        if (len == elementStart) {
            throw new IllegalArgumentException("line protocol does not allow an empty " + what);
        }
        if (lastChar == '\\') {
            throw new IllegalArgumentException("line protocol cannot encode a " + what
                    + " that ends in a backslash");
        }
    }

    private void keyChars(CharSequence s) {
        for (int i = 0, n = s.length(); i < n; i++) {
            char c = s.charAt(i);
            if (c == ',' || c == '=' || c == ' ') {
                put('\\');
            }
            i = putChar(s, i, c);
        }
    }

    private void keyChar(char c) {
        if (Character.isSurrogate(c)) {
            throw new IllegalArgumentException("unpaired surrogate in a name");
        }
        if (c == ',' || c == '=' || c == ' ') {
            put('\\');
        }
        checkNewline(c);
        putUtf8(c);
        lastChar = c;
    }

    private int stringChar(CharSequence s, int i) {
        char c = s.charAt(i);
        if (c == '"' || c == '\\') {
            put('\\');
            put(c);
            return i;
        }
        if (c == '\n' || c == '\r') {
            throw new IllegalArgumentException("line protocol does not support a newline in a string field value");
        }
        return putCodePoint(s, i, c);
    }

    /** Writes s[i] (and its low surrogate), remembering the last char for the trailing-backslash rule. */
    private int putChar(CharSequence s, int i, char c) {
        checkNewline(c);
        lastChar = c;
        return putCodePoint(s, i, c);
    }

    private static void checkNewline(char c) {
        if (c == '\n' || c == '\r') {
            throw new IllegalArgumentException("line protocol does not support a newline in names or tag values");
        }
    }

    private int putCodePoint(CharSequence s, int i, char c) {
        if (c < 0x80) {
            put(c);
            return i;
        }
        if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
            int cp = Character.toCodePoint(c, s.charAt(i + 1));
            ensure(4);
            buf[len++] = (byte) (0xF0 | (cp >>> 18));
            buf[len++] = (byte) (0x80 | ((cp >>> 12) & 0x3F));
            buf[len++] = (byte) (0x80 | ((cp >>> 6) & 0x3F));
            buf[len++] = (byte) (0x80 | (cp & 0x3F));
            return i + 1;
        }
        if (Character.isSurrogate(c)) {
            throw new IllegalArgumentException("unpaired surrogate at index " + i + " cannot be encoded as UTF-8");
        }
        putUtf8(c);
        return i;
    }

    private void putUtf8(char c) {
        ensure(3);
        if (c < 0x80) {
            buf[len++] = (byte) c;
        } else if (c < 0x800) {
            buf[len++] = (byte) (0xC0 | (c >>> 6));
            buf[len++] = (byte) (0x80 | (c & 0x3F));
        } else {
            buf[len++] = (byte) (0xE0 | (c >>> 12));
            buf[len++] = (byte) (0x80 | ((c >>> 6) & 0x3F));
            buf[len++] = (byte) (0x80 | (c & 0x3F));
        }
    }

    private void put(char asciiChar) {
        ensure(1);
        buf[len++] = (byte) asciiChar;
    }

    private void putBytes(byte[] b) {
        ensure(b.length);
        System.arraycopy(b, 0, buf, len, b.length);
        len += b.length;
    }

    private void putBytesAscii(String s) {
        ensure(s.length());
        for (int i = 0; i < s.length(); i++) {
            buf[len++] = (byte) s.charAt(i);
        }
    }

    private void putLong(long v) {
        if (v == Long.MIN_VALUE) {
            putBytes(MIN_LONG);
            return;
        }
        ensure(20);
        if (v < 0) {
            buf[len++] = '-';
            v = -v;
        }
        int digits = 1;
        for (long t = v; t >= 10; t /= 10) {
            digits++;
        }
        int end = len + digits;
        for (int p = end - 1; p >= len; p--) {
            buf[p] = (byte) ('0' + (v % 10));
            v /= 10;
        }
        len = end;
    }

    private void ensure(int extra) {
        if (len + extra > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + extra));
        }
    }

    /** The escaped form of a constant measurement name, for {@link #beginLine(byte[])}. */
    public static byte[] escapeMeasurement(String name) {
        LineProtocolWriter w = new LineProtocolWriter(64);
        w.beginLine(name);
        return Arrays.copyOf(w.buf, w.len);
    }

    /** The escaped form of a constant tag or field key. */
    public static byte[] escapeKey(String key) {
        LineProtocolWriter w = new LineProtocolWriter(64);
        w.beginElement();
        w.keyChars(key);
        w.endElement("key");
        return Arrays.copyOf(w.buf, w.len);
    }
}
