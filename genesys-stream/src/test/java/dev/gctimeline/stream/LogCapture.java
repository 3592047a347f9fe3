package dev.gctimeline.stream;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Everything written to System.err from the first use on, which is where the test-scoped
 * slf4j-simple binding writes every log line (its System.err target is looked up per line, so
 * replacing System.err captures it). The original stream still gets every byte.
 */
final class LogCapture {
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
    static int mark() {
        synchronized (CAPTURED) {
            return CAPTURED.size();
        }
    }

    /** Everything logged since {@code mark}. */
    static String since(int mark) {
        synchronized (CAPTURED) {
            byte[] all = CAPTURED.toByteArray();
            int from = Math.min(mark, all.length);
            return new String(all, from, all.length - from, StandardCharsets.UTF_8);
        }
    }
}
