package dev.gctimeline.store.influx;

import java.net.URI;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Immutable configuration of an {@link InfluxTimelineStore}: where InfluxDB is, which API version,
 * where the points go, credentials, and batching. Built with {@link #builder()} or from the string
 * options of {@link InfluxTimelineStoreProvider} ({@link #fromOptions(Map)}). Credentials never appear
 * in {@link #toString()} or in any exception message; they travel only in the {@code Authorization}
 * header, never in a URL.
 *
 * <pre>{@code
 * InfluxConfig c = InfluxConfig.builder().url("http://127.0.0.1:8086").version(InfluxApiVersion.V1)
 *     .database("timeline").username("writer").password(secret).build();
 * }</pre>
 */
public final class InfluxConfig {
    /** Default lines per HTTP write: InfluxData's own recommendation. */
    public static final int DEFAULT_BATCH_SIZE = 5_000;
    public static final String DEFAULT_MEASUREMENT = "timeline_event";
    public static final String DEFAULT_SUMMARY_MEASUREMENT = "conversation_summary";

    /** Every option {@link #fromOptions} knows. */
    public static final Set<String> OPTIONS = Set.of("url", "version", "db", "database", "rp", "org", "bucket",
            "token", "username", "password", "batchSize", "maxBatchBytes", "measurement", "summaryMeasurement",
            "gzip", "connectTimeout", "requestTimeout");

    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_.\\-]{0,127}");

    private final URI url;
    private final InfluxApiVersion version;
    private final String database;
    private final String retentionPolicy;
    private final String org;
    private final String bucket;
    private final String token;
    private final String username;
    private final String password;
    private final int batchSize;
    private final int maxBatchBytes;
    private final String measurement;
    private final String summaryMeasurement;
    private final boolean gzip;
    private final Duration connectTimeout;
    private final Duration requestTimeout;

    private InfluxConfig(Builder b) {
        if (b.url == null) {
            throw new IllegalArgumentException("missing option 'url' (for example http://127.0.0.1:8086)");
        }
        String scheme = b.url.getScheme();
        if (scheme == null || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https")) || b.url.getHost() == null) {
            throw new IllegalArgumentException("option 'url' must be an http:// or https:// URL with a host, not '"
                    + redactUserInfo(b.url) + "'");
        }
        if (b.url.getRawUserInfo() != null || b.url.getRawQuery() != null) {
            throw new IllegalArgumentException("option 'url' must not carry credentials or a query; "
                    + "use the token or username/password options");
        }
        this.url = b.url;
        this.version = b.version;
        switch (version) {
            case V1 -> {
                require(b.database, "db", "the InfluxDB 1.x database (create it first: CREATE DATABASE ...)");
                forbid(b.org, "org", "v1");
                forbid(b.bucket, "bucket", "v1");
            }
            case V2 -> {
                require(b.org, "org", "the InfluxDB 2 organisation");
                require(b.bucket, "bucket", "the InfluxDB 2 bucket");
                require(b.token, "token", "an InfluxDB 2 API token with write and read access to the bucket");
                forbid(b.database, "db", "v2 (use bucket)");
                forbid(b.retentionPolicy, "rp", "v2");
            }
            case V3 -> {
                require(b.database, "database", "the InfluxDB 3 database");
                forbid(b.org, "org", "v3");
                forbid(b.bucket, "bucket", "v3 (use database)");
                forbid(b.retentionPolicy, "rp", "v3");
            }
            default -> throw new IllegalStateException();
        }
        if ((b.username == null) != (b.password == null)) {
            throw new IllegalArgumentException("options 'username' and 'password' go together: give both or neither");
        }
        if (b.username != null && version != InfluxApiVersion.V1) {
            throw new IllegalArgumentException("options 'username'/'password' are for version v1; use 'token' with "
                    + version.name().toLowerCase(Locale.ROOT));
        }
        if (b.username != null && b.token != null) {
            throw new IllegalArgumentException("give either 'token' or 'username'/'password', not both");
        }
        if (b.batchSize < 1 || b.batchSize > 1_000_000) {
            throw new IllegalArgumentException("option 'batchSize' must be between 1 and 1000000, not " + b.batchSize);
        }
        if (b.maxBatchBytes < 1024) {
            throw new IllegalArgumentException("option 'maxBatchBytes' must be at least 1024, not " + b.maxBatchBytes);
        }
        checkName(b.measurement, "measurement");
        checkName(b.summaryMeasurement, "summaryMeasurement");
        if (b.measurement.equals(b.summaryMeasurement)) {
            throw new IllegalArgumentException("options 'measurement' and 'summaryMeasurement' must differ");
        }
        checkPositive(b.connectTimeout, "connectTimeout");
        checkPositive(b.requestTimeout, "requestTimeout");
        this.database = b.database;
        this.retentionPolicy = b.retentionPolicy;
        this.org = b.org;
        this.bucket = b.bucket;
        this.token = b.token;
        this.username = b.username;
        this.password = b.password;
        this.batchSize = b.batchSize;
        this.maxBatchBytes = b.maxBatchBytes;
        this.measurement = b.measurement;
        this.summaryMeasurement = b.summaryMeasurement;
        this.gzip = b.gzip;
        this.connectTimeout = b.connectTimeout;
        this.requestTimeout = b.requestTimeout;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * A configuration from string options (the {@link InfluxTimelineStoreProvider} keys): {@code url},
     * {@code version} ({@code v1} default, {@code v2}, {@code v3}), {@code db} (alias {@code database})
     * and {@code rp}, or {@code org} and {@code bucket}, {@code token} or {@code username} and
     * {@code password}, {@code batchSize}, {@code maxBatchBytes}, {@code measurement},
     * {@code summaryMeasurement}, {@code gzip}, {@code connectTimeout}, {@code requestTimeout}
     * (milliseconds or ISO-8601 such as {@code PT5S}).
     *
     * @throws IllegalArgumentException naming the option that is unknown, missing or wrong
     */
    public static InfluxConfig fromOptions(Map<String, String> options) {
        Objects.requireNonNull(options, "options");
        for (String k : options.keySet()) {
            if (!OPTIONS.contains(k)) {
                throw new IllegalArgumentException("unknown option '" + k + "' for the influx store; known options: "
                        + new java.util.TreeSet<>(OPTIONS));
            }
        }
        Builder b = builder();
        String url = options.get("url");
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException("missing option 'url' (for example http://127.0.0.1:8086)");
        }
        try {
            b.url(URI.create(url.trim()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("option 'url' is not a valid URL", null);
        }
        if (options.containsKey("version")) {
            b.version(InfluxApiVersion.parse(options.get("version")));
        }
        if (options.containsKey("db") && options.containsKey("database")) {
            throw new IllegalArgumentException("options 'db' and 'database' are the same option; give one");
        }
        b.database(options.containsKey("db") ? options.get("db") : options.get("database"));
        b.retentionPolicy(options.get("rp"));
        b.org(options.get("org"));
        b.bucket(options.get("bucket"));
        b.token(options.get("token"));
        b.username(options.get("username"));
        b.password(options.get("password"));
        if (options.containsKey("batchSize")) {
            b.batchSize(parseInt(options.get("batchSize"), "batchSize"));
        }
        if (options.containsKey("maxBatchBytes")) {
            b.maxBatchBytes(parseInt(options.get("maxBatchBytes"), "maxBatchBytes"));
        }
        if (options.containsKey("measurement")) {
            b.measurement(options.get("measurement"));
        }
        if (options.containsKey("summaryMeasurement")) {
            b.summaryMeasurement(options.get("summaryMeasurement"));
        }
        if (options.containsKey("gzip")) {
            String g = options.get("gzip").trim().toLowerCase(Locale.ROOT);
            if (!g.equals("true") && !g.equals("false")) {
                throw new IllegalArgumentException("option 'gzip' must be true or false, not '" + options.get("gzip") + "'");
            }
            b.gzip(Boolean.parseBoolean(g));
        }
        if (options.containsKey("connectTimeout")) {
            b.connectTimeout(parseDuration(options.get("connectTimeout"), "connectTimeout"));
        }
        if (options.containsKey("requestTimeout")) {
            b.requestTimeout(parseDuration(options.get("requestTimeout"), "requestTimeout"));
        }
        return b.build();
    }

    public URI url() {
        return url;
    }

    public InfluxApiVersion version() {
        return version;
    }

    /** v1 database or v3 database; null for v2. */
    public String database() {
        return database;
    }

    /** v1 retention policy, or null for the database's default. */
    public String retentionPolicy() {
        return retentionPolicy;
    }

    public String org() {
        return org;
    }

    public String bucket() {
        return bucket;
    }

    public int batchSize() {
        return batchSize;
    }

    /** Largest uncompressed body of one write request; a batch is cut earlier when it would exceed it. */
    public int maxBatchBytes() {
        return maxBatchBytes;
    }

    public String measurement() {
        return measurement;
    }

    public String summaryMeasurement() {
        return summaryMeasurement;
    }

    public boolean gzip() {
        return gzip;
    }

    public Duration connectTimeout() {
        return connectTimeout;
    }

    public Duration requestTimeout() {
        return requestTimeout;
    }

    /** Whether a token is configured (the token itself is not readable from the config). */
    public boolean hasToken() {
        return token != null;
    }

    /** The {@code Authorization} header value, or null. Never log it. */
    String authorization() {
        if (username != null) {
            String pair = username + ":" + password;
            return "Basic " + java.util.Base64.getEncoder().encodeToString(pair.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        if (token == null) {
            return null;
        }
        return (version == InfluxApiVersion.V3 ? "Bearer " : "Token ") + token;
    }

    @Override
    public String toString() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("url", url);
        m.put("version", version);
        if (database != null) {
            m.put("database", database);
        }
        if (retentionPolicy != null) {
            m.put("rp", retentionPolicy);
        }
        if (org != null) {
            m.put("org", org);
        }
        if (bucket != null) {
            m.put("bucket", bucket);
        }
        if (username != null) {
            m.put("username", username);
            m.put("password", "***");
        }
        if (token != null) {
            m.put("token", "***");
        }
        m.put("batchSize", batchSize);
        m.put("measurement", measurement);
        m.put("summaryMeasurement", summaryMeasurement);
        m.put("gzip", gzip);
        return "InfluxConfig" + m;
    }

    private static void require(String v, String option, String what) {
        if (v == null || v.isBlank()) {
            throw new IllegalArgumentException("missing option '" + option + "': " + what);
        }
    }

    private static void forbid(String v, String option, String version) {
        if (v != null) {
            throw new IllegalArgumentException("option '" + option + "' does not apply to " + version
                    + "; check option 'version'");
        }
    }

    private static void checkName(String v, String option) {
        if (v == null || !NAME.matcher(v).matches()) {
            throw new IllegalArgumentException("option '" + option + "' must be a plain name ([A-Za-z_][A-Za-z0-9_.-]*), not '"
                    + v + "'");
        }
    }

    private static void checkPositive(Duration d, String option) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException("option '" + option + "' must be a positive duration");
        }
    }

    private static int parseInt(String s, String option) {
        try {
            return Integer.parseInt(s.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("option '" + option + "' must be an integer, not '" + s + "'", null);
        }
    }

    private static Duration parseDuration(String s, String option) {
        String t = s.trim();
        try {
            return t.startsWith("P") || t.startsWith("p") ? Duration.parse(t) : Duration.ofMillis(Long.parseLong(t));
        } catch (NumberFormatException | DateTimeParseException e) {
            throw new IllegalArgumentException("option '" + option + "' must be milliseconds or an ISO-8601 duration (PT5S), not '"
                    + s + "'", null);
        }
    }

    private static String redactUserInfo(URI u) {
        return u.getRawUserInfo() == null ? u.toString() : u.toString().replace(u.getRawUserInfo() + "@", "***@");
    }

    /** Builds an {@link InfluxConfig}; {@link #build()} validates and names the first bad option. */
    public static final class Builder {
        private URI url;
        private InfluxApiVersion version = InfluxApiVersion.V1;
        private String database;
        private String retentionPolicy;
        private String org;
        private String bucket;
        private String token;
        private String username;
        private String password;
        private int batchSize = DEFAULT_BATCH_SIZE;
        private int maxBatchBytes = 16 * 1024 * 1024;
        private String measurement = DEFAULT_MEASUREMENT;
        private String summaryMeasurement = DEFAULT_SUMMARY_MEASUREMENT;
        private boolean gzip = true;
        private Duration connectTimeout = Duration.ofSeconds(5);
        private Duration requestTimeout = Duration.ofSeconds(30);

        private Builder() {
        }

        public Builder url(URI url) {
            this.url = url;
            return this;
        }

        public Builder url(String url) {
            return url(URI.create(url));
        }

        public Builder version(InfluxApiVersion version) {
            this.version = Objects.requireNonNull(version, "version");
            return this;
        }

        /** v1 or v3 database. */
        public Builder database(String database) {
            this.database = blankToNull(database);
            return this;
        }

        /** v1 retention policy (optional). */
        public Builder retentionPolicy(String rp) {
            this.retentionPolicy = blankToNull(rp);
            return this;
        }

        public Builder org(String org) {
            this.org = blankToNull(org);
            return this;
        }

        public Builder bucket(String bucket) {
            this.bucket = blankToNull(bucket);
            return this;
        }

        /** API token (v2 required; v3 and v1 optional). */
        public Builder token(String token) {
            this.token = blankToNull(token);
            return this;
        }

        /** v1 user (with {@link #password}), sent as HTTP Basic authentication. */
        public Builder username(String username) {
            this.username = blankToNull(username);
            return this;
        }

        public Builder password(String password) {
            this.password = password;
            return this;
        }

        public Builder batchSize(int batchSize) {
            this.batchSize = batchSize;
            return this;
        }

        public Builder maxBatchBytes(int maxBatchBytes) {
            this.maxBatchBytes = maxBatchBytes;
            return this;
        }

        public Builder measurement(String measurement) {
            this.measurement = measurement;
            return this;
        }

        public Builder summaryMeasurement(String summaryMeasurement) {
            this.summaryMeasurement = summaryMeasurement;
            return this;
        }

        public Builder gzip(boolean gzip) {
            this.gzip = gzip;
            return this;
        }

        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = connectTimeout;
            return this;
        }

        public Builder requestTimeout(Duration requestTimeout) {
            this.requestTimeout = requestTimeout;
            return this;
        }

        public InfluxConfig build() {
            return new InfluxConfig(this);
        }

        private static String blankToNull(String s) {
            return s == null || s.isEmpty() ? null : s;
        }
    }
}
