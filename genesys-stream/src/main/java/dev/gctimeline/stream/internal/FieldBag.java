package dev.gctimeline.stream.internal;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.Arrays;
import java.util.Locale;

/**
 * The scalar fields of one JSON object, captured without allocation: each field is its
 * (canonical, parser-owned) name, its token kind and a slice of the document's {@link CharArena}.
 *
 * <p>Field order does not matter to the decoders (the object is complete before it is read), which
 * is what makes capture-then-interpret safe for envelopes whose {@code topicName} comes after the
 * {@code eventBody}. Looking a field up marks it used; {@link #unused()} counts the rest, the
 * "unknown fields" a decoder skipped. A repeated key: the last occurrence wins, as in jackson's
 * tree model.
 */
final class FieldBag {
    static final byte STRING = 1;
    static final byte INT = 2;
    static final byte FLOAT = 3;
    static final byte TRUE = 4;
    static final byte FALSE = 5;
    static final byte NULL = 6;

    private final CharArena arena;
    private String[] names = new String[8];
    /** Names' hash codes: a lookup compares ints first (canonical names cache their hash). */
    private int[] hashes = new int[8];
    private byte[] kinds = new byte[8];
    private int[] offs = new int[8];
    private int[] lens = new int[8];
    private boolean[] used = new boolean[8];
    private int size;

    FieldBag(CharArena arena) {
        this.arena = arena;
    }

    void clear() {
        size = 0;
    }

    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    /** Captures the parser's current scalar token under {@code name}. */
    void add(String name, JsonToken t, JsonParser p) throws IOException {
        byte kind;
        switch (t) {
            case VALUE_STRING:
                kind = STRING;
                break;
            case VALUE_NUMBER_INT:
                kind = INT;
                break;
            case VALUE_NUMBER_FLOAT:
                kind = FLOAT;
                break;
            case VALUE_TRUE:
                kind = TRUE;
                break;
            case VALUE_FALSE:
                kind = FALSE;
                break;
            default:
                kind = NULL;
                break;
        }
        if (size == names.length) {
            grow();
        }
        int i = size++;
        names[i] = name;
        hashes[i] = name.hashCode();
        kinds[i] = kind;
        used[i] = false;
        if (kind == STRING || kind == INT || kind == FLOAT) {
            int len = p.getTextLength();
            offs[i] = arena.append(p.getTextCharacters(), p.getTextOffset(), len);
            lens[i] = len;
        } else {
            offs[i] = 0;
            lens[i] = 0;
        }
    }

    private void grow() {
        int n = names.length * 2;
        names = Arrays.copyOf(names, n);
        hashes = Arrays.copyOf(hashes, n);
        kinds = Arrays.copyOf(kinds, n);
        offs = Arrays.copyOf(offs, n);
        lens = Arrays.copyOf(lens, n);
        used = Arrays.copyOf(used, n);
    }

    /** Index of {@code name} (last occurrence), marking it used; -1 if absent. */
    int index(String name) {
        int h = name.hashCode();
        for (int i = size - 1; i >= 0; i--) {
            if (hashes[i] == h && name.equals(names[i])) {
                used[i] = true;
                return i;
            }
        }
        return -1;
    }

    boolean has(String name) {
        int i = index(name);
        return i >= 0 && kinds[i] != NULL;
    }

    /** Fields never looked up. */
    int unused() {
        int n = 0;
        for (int i = 0; i < size; i++) {
            if (!used[i]) {
                n++;
            }
        }
        return n;
    }

    String name(int i) {
        return names[i];
    }

    byte kind(int i) {
        return kinds[i];
    }

    /** The value as its JSON text: a string's value, a number as written, true/false; null for JSON null. */
    String text(int i) {
        switch (kinds[i]) {
            case STRING:
            case INT:
            case FLOAT:
                return arena.string(offs[i], lens[i]);
            case TRUE:
                return "true";
            case FALSE:
                return "false";
            default:
                return null;
        }
    }

    /** {@link #text(int)} of {@code name}, or null when absent or JSON null. */
    String text(String name) {
        int i = index(name);
        return i < 0 ? null : text(i);
    }

    /** The value with ASCII letters upper-cased (Locale.ROOT), or null. */
    String upper(String name) {
        String s = text(name);
        return s == null ? null : s.toUpperCase(Locale.ROOT);
    }

    /** The value with ASCII letters lower-cased (Locale.ROOT), or null. */
    String lower(String name) {
        String s = text(name);
        return s == null ? null : s.toLowerCase(Locale.ROOT);
    }

    boolean isTrue(String name) {
        int i = index(name);
        if (i < 0) {
            return false;
        }
        return kinds[i] == TRUE || (kinds[i] == STRING && arena.equalsAscii(offs[i], lens[i], "true"));
    }

    boolean textEquals(String name, String expected) {
        int i = index(name);
        return i >= 0 && kinds[i] == STRING && arena.equalsAscii(offs[i], lens[i], expected);
    }

    /**
     * A time as epoch millis: a number is taken as epoch ms, a string is parsed as ISO-8601.
     *
     * @return the millis, or {@link IsoTimes#ABSENT} when absent or JSON null
     * @throws DecodeRejection when the value is not a time
     */
    long epochMillis(String name) {
        int i = index(name);
        if (i < 0) {
            return IsoTimes.ABSENT;
        }
        switch (kinds[i]) {
            case INT:
                return parseLong(i, name);
            case FLOAT:
                return (long) parseDouble(i, name);
            case STRING:
                return IsoTimes.parse(arena.array(), offs[i], lens[i], name);
            case NULL:
                return IsoTimes.ABSENT;
            default:
                throw DecodeRejection.invalid(name + " is not a time");
        }
    }

    /**
     * A whole number (a float is rounded; a numeric string is accepted).
     *
     * @return the value, or {@link IsoTimes#ABSENT} when absent or JSON null
     * @throws DecodeRejection when the value is not a number
     */
    long longValue(String name) {
        int i = index(name);
        if (i < 0) {
            return IsoTimes.ABSENT;
        }
        switch (kinds[i]) {
            case INT:
                return parseLong(i, name);
            case FLOAT:
                return Math.round(parseDouble(i, name));
            case STRING:
                try {
                    return Math.round(Double.parseDouble(text(i)));
                } catch (NumberFormatException e) {
                    throw DecodeRejection.invalid(name + " is not a number");
                }
            case NULL:
                return IsoTimes.ABSENT;
            default:
                throw DecodeRejection.invalid(name + " is not a number");
        }
    }

    /** A number as a double (for scaling), or NaN when absent or JSON null. */
    double doubleValue(String name) {
        int i = index(name);
        if (i < 0 || kinds[i] == NULL) {
            return Double.NaN;
        }
        if (kinds[i] == INT || kinds[i] == FLOAT || kinds[i] == STRING) {
            return parseDouble(i, name);
        }
        throw DecodeRejection.invalid(name + " is not a number");
    }

    private long parseLong(int i, String name) {
        char[] a = arena.array();
        int off = offs[i];
        int end = off + lens[i];
        boolean neg = a[off] == '-';
        int j = neg ? off + 1 : off;
        if (j == end || end - j > 18) {
            // Beyond 18 digits (or empty) take the slow, exact path.
            try {
                return Long.parseLong(text(i));
            } catch (NumberFormatException e) {
                throw DecodeRejection.invalid(name + " is out of range");
            }
        }
        long v = 0;
        for (; j < end; j++) {
            v = v * 10 + (a[j] - '0');
        }
        return neg ? -v : v;
    }

    private double parseDouble(int i, String name) {
        try {
            return Double.parseDouble(text(i));
        } catch (NumberFormatException e) {
            throw DecodeRejection.invalid(name + " is not a number");
        }
    }
}
