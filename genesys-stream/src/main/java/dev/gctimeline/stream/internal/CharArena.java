package dev.gctimeline.stream.internal;

/**
 * One document's scalar texts, copied out of the parser's buffers into a single reused array, so
 * that capturing a field costs a copy and no allocation; a {@code String} is only made for values a
 * decoder actually uses. Cleared per document; grows to the largest document seen (bounded by the
 * document size limit, since no text can be longer than its document).
 */
final class CharArena {
    private char[] chars = new char[2048];
    private int size;

    void clear() {
        size = 0;
        if (chars.length > 1 << 18) {
            chars = new char[2048]; // a rare huge document should not pin its memory for the connection's life
        }
    }

    /** Appends {@code len} chars and returns their offset. */
    int append(char[] src, int off, int len) {
        int at = size;
        int need = at + len;
        if (need > chars.length) {
            char[] bigger = new char[Math.max(need, chars.length * 2)];
            System.arraycopy(chars, 0, bigger, 0, at);
            chars = bigger;
        }
        System.arraycopy(src, off, chars, at, len);
        size = need;
        return at;
    }

    String string(int off, int len) {
        return new String(chars, off, len);
    }

    char charAt(int i) {
        return chars[i];
    }

    char[] array() {
        return chars;
    }

    boolean equalsAscii(int off, int len, String s) {
        if (s.length() != len) {
            return false;
        }
        for (int i = 0; i < len; i++) {
            if (chars[off + i] != s.charAt(i)) {
                return false;
            }
        }
        return true;
    }
}
