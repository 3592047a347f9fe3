package dev.gctimeline.testkit;

import java.util.Locale;

/**
 * The faults a {@link GenesysCloudSimulator} injects: each one a switch with a rate in [0, 1],
 * every decision drawn from random generators derived from {@link #seed()}, so the same seed, feed
 * and client behaviour give the same wire bytes. Immutable; built with {@link #builder()} or
 * {@link #parse(String)}.
 *
 * <pre>{@code Faults f = Faults.builder().seed(7).frameSplit(0.5).duplicate(0.05).reorder(0.1, 4).build();}</pre>
 *
 * <p>Where each decision is taken:
 * <ul>
 *   <li>Schedule (once per feed, shared by every socket): {@code duplicate}, {@code reorder},
 *       {@code documentBatch} (seed shapes only), {@code tokenExpiry}.</li>
 *   <li>Per socket and message (a generator per socket, seeded from the seed, the channel's creation
 *       ordinal and the socket's ordinal on it): {@code frameSplit}, {@code envelopeSplit},
 *       {@code documentSplit} (seed shapes), {@code malformed}, {@code oversize},
 *       {@code dropSocket}, {@code dropSocketMidFrame}, {@code socketClosing}.</li>
 *   <li>Per heartbeat tick (a separate generator, so heartbeat timing never disturbs the
 *       message decisions): {@code missedHeartbeat}.</li>
 *   <li>Per REST API call: {@code rateLimit}.</li>
 * </ul>
 * Malformed and oversize messages are extra messages sent before the real one; they never replace
 * or corrupt a real notification, so the ground truth stays what the feed says.
 */
public final class Faults {

    private static final Faults NONE = builder().build();

    private final long seed;
    private final double frameSplit;
    private final int maxFramesPerMessage;
    private final double envelopeSplit;
    private final double documentSplit;
    private final double documentBatch;
    private final double duplicate;
    private final double reorder;
    private final int reorderWindow;
    private final double dropSocket;
    private final double dropSocketMidFrame;
    private final double socketClosing;
    private final double missedHeartbeat;
    private final double tokenExpiry;
    private final double rateLimit;
    private final double malformed;
    private final double oversize;
    private final int oversizeBytes;

    private Faults(Builder b) {
        this.seed = b.seed;
        this.frameSplit = b.frameSplit;
        this.maxFramesPerMessage = b.maxFramesPerMessage;
        this.envelopeSplit = b.envelopeSplit;
        this.documentSplit = b.documentSplit;
        this.documentBatch = b.documentBatch;
        this.duplicate = b.duplicate;
        this.reorder = b.reorder;
        this.reorderWindow = b.reorderWindow;
        this.dropSocket = b.dropSocket;
        this.dropSocketMidFrame = b.dropSocketMidFrame;
        this.socketClosing = b.socketClosing;
        this.missedHeartbeat = b.missedHeartbeat;
        this.tokenExpiry = b.tokenExpiry;
        this.rateLimit = b.rateLimit;
        this.malformed = b.malformed;
        this.oversize = b.oversize;
        this.oversizeBytes = b.oversizeBytes;
    }

    /** No faults at all: the wire is what a healthy Genesys Cloud sends. */
    public static Faults none() {
        return NONE;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Faults from a compact spec, as {@code SimulatorMain --faults} takes it: comma-separated
     * {@code name=rate} pairs, where name is a builder method ({@code frameSplit}, {@code duplicate},
     * ...), {@code reorder=rate:window}, {@code oversize=rate:bytes}, {@code frameSplit=rate:maxFrames},
     * {@code seed=n}, and {@code all=rate} sets every rate. Example: {@code "seed=7,all=0.01,frameSplit=0.5"}.
     *
     * @throws IllegalArgumentException naming the part it could not read
     */
    public static Faults parse(String spec) {
        Builder b = builder();
        if (spec == null || spec.isBlank()) {
            return b.build();
        }
        for (String raw : spec.split(",")) {
            String part = raw.trim();
            if (part.isEmpty()) {
                continue;
            }
            int eq = part.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("fault spec part '" + part + "' is not name=value");
            }
            String name = part.substring(0, eq).trim().toLowerCase(Locale.ROOT);
            String value = part.substring(eq + 1).trim();
            String param = null;
            int colon = value.indexOf(':');
            if (colon >= 0) {
                param = value.substring(colon + 1);
                value = value.substring(0, colon);
            }
            try {
                if (name.equals("seed")) {
                    b.seed(Long.parseLong(value));
                    continue;
                }
                double rate = Double.parseDouble(value);
                switch (name) {
                    case "all" -> b.all(rate);
                    case "framesplit" -> {
                        b.frameSplit(rate);
                        if (param != null) {
                            b.maxFramesPerMessage(Integer.parseInt(param));
                        }
                    }
                    case "envelopesplit" -> b.envelopeSplit(rate);
                    case "documentsplit" -> b.documentSplit(rate);
                    case "documentbatch" -> b.documentBatch(rate);
                    case "duplicate" -> b.duplicate(rate);
                    case "reorder" -> b.reorder(rate, param == null ? b.reorderWindow : Integer.parseInt(param));
                    case "dropsocket" -> b.dropSocket(rate);
                    case "dropsocketmidframe" -> b.dropSocketMidFrame(rate);
                    case "socketclosing" -> b.socketClosing(rate);
                    case "missedheartbeat" -> b.missedHeartbeat(rate);
                    case "tokenexpiry" -> b.tokenExpiry(rate);
                    case "ratelimit" -> b.rateLimit(rate);
                    case "malformed" -> b.malformed(rate);
                    case "oversize" -> b.oversize(rate, param == null ? b.oversizeBytes : Integer.parseInt(param));
                    default -> throw new IllegalArgumentException("unknown fault '" + name + "' in spec part '" + part + "'");
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("fault spec part '" + part + "' has a bad number", e);
            }
        }
        return b.build();
    }

    /** The seed every fault decision derives from. */
    public long seed() {
        return seed;
    }

    /** Rate of text messages sent as several frames, cut at random byte offsets (inside UTF-8 code points too). */
    public double frameSplit() {
        return frameSplit;
    }

    /** Upper bound on the frames one split message is cut into (at least 2). */
    public int maxFramesPerMessage() {
        return maxFramesPerMessage;
    }

    /**
     * Rate of notification envelopes split across several WebSocket messages. The real Genesys
     * server sends one envelope per message: this is a fault mode, off unless set.
     */
    public double envelopeSplit() {
        return envelopeSplit;
    }

    /** Rate of seed-shape documents split across several WebSocket messages. */
    public double documentSplit() {
        return documentSplit;
    }

    /** Rate of seed-shape messages that carry the next one or two documents too. */
    public double documentBatch() {
        return documentBatch;
    }

    /** Rate of notifications scheduled a second time, up to {@link #reorderWindow()} places later. */
    public double duplicate() {
        return duplicate;
    }

    /** Rate of notifications held back by 1 to {@link #reorderWindow()} places. */
    public double reorder() {
        return reorder;
    }

    public int reorderWindow() {
        return reorderWindow;
    }

    /** Rate of messages after which the TCP connection is closed abruptly (no close frame). */
    public double dropSocket() {
        return dropSocket;
    }

    /** Rate of messages cut off mid-frame: part of the message's bytes, then an abrupt TCP close. */
    public double dropSocketMidFrame() {
        return dropSocketMidFrame;
    }

    /** Rate of messages before which a {@code v2.system.socket_closing} notice is sent (close follows after the configured delay). */
    public double socketClosing() {
        return socketClosing;
    }

    /** Rate of heartbeat ticks skipped. */
    public double missedHeartbeat() {
        return missedHeartbeat;
    }

    /** Rate of scheduled notifications before which every issued token becomes invalid. */
    public double tokenExpiry() {
        return tokenExpiry;
    }

    /** Rate of REST API calls answered 429 with Retry-After. */
    public double rateLimit() {
        return rateLimit;
    }

    /** Rate of messages preceded by an extra, syntactically broken JSON message. */
    public double malformed() {
        return malformed;
    }

    /** Rate of messages preceded by an extra message larger than {@link #oversizeBytes()}. */
    public double oversize() {
        return oversize;
    }

    /** The size an oversize message exceeds (the client's configured bound). */
    public int oversizeBytes() {
        return oversizeBytes;
    }

    /** True when no switch is on. */
    public boolean isNone() {
        return frameSplit == 0 && envelopeSplit == 0 && documentSplit == 0 && documentBatch == 0 && duplicate == 0
                && reorder == 0 && dropSocket == 0 && dropSocketMidFrame == 0 && socketClosing == 0
                && missedHeartbeat == 0 && tokenExpiry == 0 && rateLimit == 0 && malformed == 0 && oversize == 0;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Faults f && toString().equals(f.toString());
    }

    @Override
    public int hashCode() {
        return toString().hashCode();
    }

    @Override
    public String toString() {
        return "Faults[seed=" + seed + ", frameSplit=" + frameSplit + ":" + maxFramesPerMessage
                + ", envelopeSplit=" + envelopeSplit + ", documentSplit=" + documentSplit
                + ", documentBatch=" + documentBatch + ", duplicate=" + duplicate + ", reorder=" + reorder + ":"
                + reorderWindow + ", dropSocket=" + dropSocket + ", dropSocketMidFrame=" + dropSocketMidFrame
                + ", socketClosing=" + socketClosing + ", missedHeartbeat=" + missedHeartbeat
                + ", tokenExpiry=" + tokenExpiry + ", rateLimit=" + rateLimit + ", malformed=" + malformed
                + ", oversize=" + oversize + ":" + oversizeBytes + "]";
    }

    /** Builds {@link Faults}; every rate defaults to 0 (off). Not thread-safe. */
    public static final class Builder {
        private long seed = 1;
        private double frameSplit;
        private int maxFramesPerMessage = 8;
        private double envelopeSplit;
        private double documentSplit;
        private double documentBatch;
        private double duplicate;
        private double reorder;
        private int reorderWindow = 4;
        private double dropSocket;
        private double dropSocketMidFrame;
        private double socketClosing;
        private double missedHeartbeat;
        private double tokenExpiry;
        private double rateLimit;
        private double malformed;
        private double oversize;
        private int oversizeBytes = 1 << 20;

        private Builder() {
        }

        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Sets every rate at once (windows and sizes keep their values). */
        public Builder all(double rate) {
            frameSplit(rate).envelopeSplit(rate).documentSplit(rate).documentBatch(rate).duplicate(rate);
            reorder(rate, reorderWindow).dropSocket(rate).dropSocketMidFrame(rate).socketClosing(rate);
            missedHeartbeat(rate).tokenExpiry(rate).rateLimit(rate).malformed(rate);
            return oversize(rate, oversizeBytes);
        }

        public Builder frameSplit(double rate) {
            this.frameSplit = rate(rate, "frameSplit");
            return this;
        }

        public Builder maxFramesPerMessage(int frames) {
            if (frames < 2) {
                throw new IllegalArgumentException("maxFramesPerMessage must be at least 2, was " + frames);
            }
            this.maxFramesPerMessage = frames;
            return this;
        }

        public Builder envelopeSplit(double rate) {
            this.envelopeSplit = rate(rate, "envelopeSplit");
            return this;
        }

        public Builder documentSplit(double rate) {
            this.documentSplit = rate(rate, "documentSplit");
            return this;
        }

        public Builder documentBatch(double rate) {
            this.documentBatch = rate(rate, "documentBatch");
            return this;
        }

        public Builder duplicate(double rate) {
            this.duplicate = rate(rate, "duplicate");
            return this;
        }

        public Builder reorder(double rate, int window) {
            if (window < 1) {
                throw new IllegalArgumentException("reorder window must be at least 1, was " + window);
            }
            this.reorder = rate(rate, "reorder");
            this.reorderWindow = window;
            return this;
        }

        public Builder dropSocket(double rate) {
            this.dropSocket = rate(rate, "dropSocket");
            return this;
        }

        public Builder dropSocketMidFrame(double rate) {
            this.dropSocketMidFrame = rate(rate, "dropSocketMidFrame");
            return this;
        }

        public Builder socketClosing(double rate) {
            this.socketClosing = rate(rate, "socketClosing");
            return this;
        }

        public Builder missedHeartbeat(double rate) {
            this.missedHeartbeat = rate(rate, "missedHeartbeat");
            return this;
        }

        public Builder tokenExpiry(double rate) {
            this.tokenExpiry = rate(rate, "tokenExpiry");
            return this;
        }

        public Builder rateLimit(double rate) {
            this.rateLimit = rate(rate, "rateLimit");
            return this;
        }

        public Builder malformed(double rate) {
            this.malformed = rate(rate, "malformed");
            return this;
        }

        public Builder oversize(double rate, int bytes) {
            if (bytes < 1) {
                throw new IllegalArgumentException("oversize bytes must be positive, was " + bytes);
            }
            this.oversize = rate(rate, "oversize");
            this.oversizeBytes = bytes;
            return this;
        }

        public Faults build() {
            return new Faults(this);
        }

        private static double rate(double rate, String name) {
            if (!(rate >= 0 && rate <= 1)) {
                throw new IllegalArgumentException(name + " rate must be in [0, 1], was " + rate);
            }
            return rate;
        }
    }
}
