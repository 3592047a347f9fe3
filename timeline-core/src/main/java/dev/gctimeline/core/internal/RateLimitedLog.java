package dev.gctimeline.core.internal;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Logs at most one line per key per interval and says how many were held back in between, so a
 * flood of bad input is visible without the log becoming the bottleneck. Keys must come from a
 * small fixed set (a reason, a kind of failure), never from input. Thread-safe.
 */
public final class RateLimitedLog {
    private final System.Logger logger;
    private final long intervalNanos;
    private final ConcurrentHashMap<String, Window> windows = new ConcurrentHashMap<>();

    public RateLimitedLog(System.Logger logger, long intervalNanos) {
        this.logger = logger;
        this.intervalNanos = intervalNanos;
    }

    /** Logs {@code message} under {@code key} unless a line with that key went out within the interval. */
    public void log(System.Logger.Level level, String key, Supplier<String> message) {
        if (!logger.isLoggable(level)) {
            return;
        }
        Window w = windows.computeIfAbsent(key, k -> new Window());
        long suppressed;
        synchronized (w) {
            long now = System.nanoTime();
            if (w.last != 0 && now - w.last < intervalNanos) {
                w.suppressed++;
                return;
            }
            w.last = now == 0 ? 1 : now;
            suppressed = w.suppressed;
            w.suppressed = 0;
        }
        String text = message.get();
        logger.log(level, suppressed == 0 ? text : text + " (" + suppressed + " more like this since the last report)");
    }

    private static final class Window {
        long last;
        long suppressed;
    }
}
