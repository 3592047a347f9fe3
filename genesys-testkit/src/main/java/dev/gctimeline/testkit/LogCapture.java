package dev.gctimeline.testkit;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Everything written to System.err from the first use on, for tests that prove no secret reaches a
 * log line. A test-scoped slf4j-simple binding writes every log line to System.err (its target is
 * looked up per line, so replacing System.err captures it). The original stream still gets every
 * byte.
 *
 * <pre>{@code int mark = LogCapture.mark(); ...; assertFalse(LogCapture.since(mark).contains(secret));}</pre>
 */
public final class LogCapture {
    private static final ByteArrayOutputStream CAPTURED = new ByteArrayOutputStream();

    static {
        PrintStream original = System.err;
        OutputStream tee = new OutputStream() {
            @Override
            public void write(int b) {
                synchronized (CAPTURED) {
                    CAPTURED.write(b);
                }
                original.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                synchronized (CAPTURED) {
                    CAPTURED.write(b, off, len);
                }
                original.write(b, off, len);
            }
        };
        System.setErr(new PrintStream(tee, true, StandardCharsets.UTF_8));
    }

    private LogCapture() {}

    /** Installs the capture (idempotent) and returns the position to read from. */
    public static int mark() {
        synchronized (CAPTURED) {
            return CAPTURED.size();
        }
    }

    /** Everything logged since {@code mark}. */
    public static String since(int mark) {
        synchronized (CAPTURED) {
            byte[] all = CAPTURED.toByteArray();
            int from = Math.min(mark, all.length);
            return new String(all, from, all.length - from, StandardCharsets.UTF_8);
        }
    }
}
