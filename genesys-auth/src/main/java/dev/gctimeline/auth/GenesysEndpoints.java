package dev.gctimeline.auth;

import dev.gctimeline.auth.internal.Loopback;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The three base URIs of a Genesys Cloud deployment: the REST API, the OAuth login server and the
 * notification streaming host. Usually derived from a {@link GenesysRegion}; each one can be
 * overridden for a proxy, a test server or the testkit simulator.
 *
 * <p>Plain-text schemes ({@code http://}, {@code ws://}) are accepted only for loopback hosts
 * ({@code localhost}, 127.0.0.0/8, ::1), because the client secret and tokens travel over these
 * connections. URIs must be absolute, carry no user info, query or fragment; a trailing slash is
 * dropped so that {@code api().resolve("/api/v2/...")} and string concatenation both work.
 *
 * <pre>{@code
 * GenesysEndpoints ie = GenesysEndpoints.of(GenesysRegion.EU_WEST_1);
 * GenesysEndpoints local = GenesysEndpoints.builder()
 *         .api("http://127.0.0.1:8080").login("http://127.0.0.1:8080").streaming("ws://127.0.0.1:8081")
 *         .build();
 * }</pre>
 *
 * @param api       REST API base, e.g. {@code https://api.mypurecloud.ie}
 * @param login     OAuth base, e.g. {@code https://login.mypurecloud.ie}
 * @param streaming WebSocket base, e.g. {@code wss://streaming.mypurecloud.ie}
 */
public record GenesysEndpoints(URI api, URI login, URI streaming) {

    /** Validates and normalises all three URIs; see the type's description for the rules. */
    public GenesysEndpoints {
        api = check("api", api, "https", "http");
        login = check("login", login, "https", "http");
        streaming = check("streaming", streaming, "wss", "ws");
    }

    /** The endpoints of a region. */
    public static GenesysEndpoints of(GenesysRegion region) {
        Objects.requireNonNull(region, "region");
        return new GenesysEndpoints(region.apiBase(), region.loginBase(), region.streamingBase());
    }

    /** A builder: a region, overrides of any of the three URIs, or both. */
    public static Builder builder() {
        return new Builder();
    }

    /** The token endpoint, {@code {login}/oauth/token}. */
    public URI tokenUri() {
        return URI.create(login + "/oauth/token");
    }

    private static URI check(String which, URI uri, String secure, String plain) {
        Objects.requireNonNull(uri, which + " URI");
        String scheme = uri.getScheme() == null ? null : uri.getScheme().toLowerCase(Locale.ROOT);
        if (scheme == null || uri.isOpaque() || uri.getHost() == null) {
            throw new IllegalArgumentException("The " + which + " URI must be absolute with a host, like "
                    + secure + "://" + which + ".mypurecloud.com, not '" + shown(uri) + "'");
        }
        if (uri.getRawUserInfo() != null) {
            // Never echo the user info: it is exactly what must not be in a URL.
            throw new IllegalArgumentException("The " + which + " URI for host " + uri.getHost()
                    + " carries user info; credentials never go in a URL: give them to the token provider");
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new IllegalArgumentException("The " + which + " URI must be a base URI without query or fragment, not '"
                    + shown(uri) + "'");
        }
        if (scheme.equals(plain)) {
            if (!Loopback.isLoopbackHost(uri.getHost())) {
                throw new IllegalArgumentException("Plain-text " + plain + ":// is allowed only for loopback hosts"
                        + " (127.0.0.0/8, ::1, localhost), because secrets and tokens travel over it: use "
                        + secure + "://" + uri.getHost() + " for the " + which + " URI instead of '" + shown(uri) + "'");
            }
        } else if (!scheme.equals(secure)) {
            throw new IllegalArgumentException("The " + which + " URI must use " + secure + "://"
                    + " (or " + plain + ":// on a loopback host), not '" + shown(uri) + "'");
        }
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        while (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        try {
            return new URI(scheme + "://" + uri.getRawAuthority() + path);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("The " + which + " URI is not valid: '" + shown(uri) + "'", e);
        }
    }

    private static String shown(URI uri) {
        return uri.getRawUserInfo() == null ? uri.toString() : "(a URI with user info, not shown)";
    }

    /**
     * Builds {@link GenesysEndpoints} from a region and/or explicit URIs; explicit URIs win. Without
     * a region all three URIs must be given.
     *
     * <pre>{@code
     * GenesysEndpoints viaProxy = GenesysEndpoints.builder()
     *         .region(GenesysRegion.US_EAST_1).api("https://genesys-proxy.internal").build();
     * }</pre>
     */
    public static final class Builder {
        private GenesysRegion region;
        private URI api;
        private URI login;
        private URI streaming;

        private Builder() {}

        /** The region whose hosts fill in whatever is not overridden. */
        public Builder region(GenesysRegion region) {
            this.region = Objects.requireNonNull(region, "region");
            return this;
        }

        /** Overrides the REST API base ({@code https://...}, or {@code http://} on loopback). */
        public Builder api(URI api) {
            this.api = Objects.requireNonNull(api, "api");
            return this;
        }

        /** Overrides the REST API base. */
        public Builder api(String api) {
            return api(parse("api", api));
        }

        /** Overrides the OAuth base ({@code https://...}, or {@code http://} on loopback). */
        public Builder login(URI login) {
            this.login = Objects.requireNonNull(login, "login");
            return this;
        }

        /** Overrides the OAuth base. */
        public Builder login(String login) {
            return login(parse("login", login));
        }

        /** Overrides the WebSocket base ({@code wss://...}, or {@code ws://} on loopback). */
        public Builder streaming(URI streaming) {
            this.streaming = Objects.requireNonNull(streaming, "streaming");
            return this;
        }

        /** Overrides the WebSocket base. */
        public Builder streaming(String streaming) {
            return streaming(parse("streaming", streaming));
        }

        /**
         * @throws IllegalArgumentException when a URI is missing (no region) or breaks the rules
         */
        public GenesysEndpoints build() {
            if (region == null) {
                List<String> missing = new ArrayList<>();
                if (api == null) {
                    missing.add("api");
                }
                if (login == null) {
                    missing.add("login");
                }
                if (streaming == null) {
                    missing.add("streaming");
                }
                if (!missing.isEmpty()) {
                    throw new IllegalArgumentException("Without a region every URI must be given; missing: "
                            + String.join(", ", missing) + " (or set region(...) to fill them in)");
                }
            }
            return new GenesysEndpoints(
                    api != null ? api : region.apiBase(),
                    login != null ? login : region.loginBase(),
                    streaming != null ? streaming : region.streamingBase());
        }

        private static URI parse(String which, String text) {
            Objects.requireNonNull(text, which);
            try {
                return new URI(text.strip());
            } catch (URISyntaxException e) {
                // The reason quotes the input, which could hold user info: keep only the position.
                throw new IllegalArgumentException("The " + which + " URI is not a valid URI (error at index "
                        + e.getIndex() + ")", null);
            }
        }
    }
}
