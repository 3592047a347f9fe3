package dev.gctimeline.stream.internal;

import java.nio.CharBuffer;

/**
 * Re-encodes the decoded text parts the JDK WebSocket hands over ({@code CharSequence}) back into
 * UTF-8 bytes for the non-blocking JSON parser, into one reused buffer.
 *
 * <p>Why it exists: {@code String.getBytes(UTF_8)} per part allocates a fresh array and, on a
 * snapshot, costs more than parsing it. This encoder writes into a buffer that only grows (to the
 * largest part seen), with a tight ASCII loop for the common case and no allocation per part.
 *
 * <p>Output is byte-for-byte what {@code String.getBytes(StandardCharsets.UTF_8)} makes of the
 * concatenation of a message's parts: a surrogate pair split across two parts is joined (the high
 * surrogate that ends a part is carried over), and every unpaired surrogate becomes {@code '?'}
 * (0x3F), the JDK encoder's replacement. A high surrogate still carried when the message ends
 * ({@code last}) is unpaired.
 *
 * <p>Not thread-safe; one instance per connection. The buffer returned by {@link #buffer()} is
 * overwritten by the next {@link #encode} call.
 *
 * <pre>{@code int n = reencoder.encode(part, last); parserFeeder.feedInput(reencoder.buffer(), 0, n);}</pre>
 */
public final class Utf8Reencoder {
    private static final byte REPLACEMENT = '?';

    private byte[] buf;
    /** A high surrogate that ended the previous part of the same message, or 0 (never a surrogate). */
    private char carriedHigh;

    public Utf8Reencoder(int initialCapacity) {
        buf = new byte[Math.max(16, initialCapacity)];
    }

    /** The buffer holding the bytes of the last {@link #encode} call, from index 0. */
    public byte[] buffer() {
        return buf;
    }

    /** Forgets a carried surrogate (the connection ended mid-message). */
    public void reset() {
        carriedHigh = 0;
    }

    /**
     * Encodes one part of a text message into {@link #buffer()}.
     *
     * @param part the part's characters
     * @param last whether this part ends the message (a trailing high surrogate is then unpaired)
     * @return the number of bytes written, from index 0
     */
    public int encode(CharSequence part, boolean last) {
        int n = part.length();
        // 3 bytes per char covers every case: a BMP char needs at most 3, a pair 4 for 2 chars,
        // plus 4 for a carried high surrogate completed by this part's first char.
        long need = 3L * n + 4;
        if (need > buf.length) {
            if (need > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("text part too large: " + n + " chars");
            }
            buf = new byte[(int) Math.max(need, Math.min(Integer.MAX_VALUE - 8, 2L * buf.length))];
        }
        int p = 0;
        int i = 0;
        if (carriedHigh != 0) {
            char high = carriedHigh;
            carriedHigh = 0;
            if (n > 0 && Character.isLowSurrogate(part.charAt(0))) {
                p = putSupplementary(Character.toCodePoint(high, part.charAt(0)), p);
                i = 1;
            } else if (n == 0 && !last) {
                carriedHigh = high; // an empty part changes nothing
                return 0;
            } else {
                buf[p++] = REPLACEMENT;
            }
        }
        if (part instanceof CharBuffer && ((CharBuffer) part).hasArray()) {
            CharBuffer cb = (CharBuffer) part;
            int base = cb.arrayOffset() + cb.position();
            return encodeArray(cb.array(), base + i, base + n, last, p);
        }
        return encodeSequence(part, i, n, last, p);
    }

    private int encodeArray(char[] a, int i, int end, boolean last, int p) {
        byte[] b = buf;
        while (i < end) {
            char c = a[i];
            if (c < 0x80) {
                // ASCII run: the common case for JSON envelopes.
                b[p++] = (byte) c;
                i++;
                while (i < end && (c = a[i]) < 0x80) {
                    b[p++] = (byte) c;
                    i++;
                }
                continue;
            }
            if (c < 0x800) {
                b[p++] = (byte) (0xC0 | (c >> 6));
                b[p++] = (byte) (0x80 | (c & 0x3F));
                i++;
            } else if (Character.isHighSurrogate(c)) {
                if (i + 1 < end) {
                    char d = a[i + 1];
                    if (Character.isLowSurrogate(d)) {
                        p = putSupplementary(Character.toCodePoint(c, d), p);
                        i += 2;
                    } else {
                        b[p++] = REPLACEMENT;
                        i++;
                    }
                } else {
                    i++;
                    if (last) {
                        b[p++] = REPLACEMENT;
                    } else {
                        carriedHigh = c;
                    }
                }
            } else if (Character.isLowSurrogate(c)) {
                b[p++] = REPLACEMENT;
                i++;
            } else {
                b[p++] = (byte) (0xE0 | (c >> 12));
                b[p++] = (byte) (0x80 | ((c >> 6) & 0x3F));
                b[p++] = (byte) (0x80 | (c & 0x3F));
                i++;
            }
        }
        return p;
    }

    private int encodeSequence(CharSequence s, int i, int end, boolean last, int p) {
        byte[] b = buf;
        while (i < end) {
            char c = s.charAt(i);
            if (c < 0x80) {
                b[p++] = (byte) c;
                i++;
                while (i < end && (c = s.charAt(i)) < 0x80) {
                    b[p++] = (byte) c;
                    i++;
                }
                continue;
            }
            if (c < 0x800) {
                b[p++] = (byte) (0xC0 | (c >> 6));
                b[p++] = (byte) (0x80 | (c & 0x3F));
                i++;
            } else if (Character.isHighSurrogate(c)) {
                if (i + 1 < end) {
                    char d = s.charAt(i + 1);
                    if (Character.isLowSurrogate(d)) {
                        p = putSupplementary(Character.toCodePoint(c, d), p);
                        i += 2;
                    } else {
                        b[p++] = REPLACEMENT;
                        i++;
                    }
                } else {
                    i++;
                    if (last) {
                        b[p++] = REPLACEMENT;
                    } else {
                        carriedHigh = c;
                    }
                }
            } else if (Character.isLowSurrogate(c)) {
                b[p++] = REPLACEMENT;
                i++;
            } else {
                b[p++] = (byte) (0xE0 | (c >> 12));
                b[p++] = (byte) (0x80 | ((c >> 6) & 0x3F));
                b[p++] = (byte) (0x80 | (c & 0x3F));
                i++;
            }
        }
        return p;
    }

    private int putSupplementary(int cp, int p) {
        byte[] b = buf;
        b[p++] = (byte) (0xF0 | (cp >> 18));
        b[p++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
        b[p++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
        b[p++] = (byte) (0x80 | (cp & 0x3F));
        return p;
    }
}
