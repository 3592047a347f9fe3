package dev.gctimeline.auth;

import java.net.URI;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Every Genesys Cloud region, with the three hosts this library talks to: {@code api.{domain}}
 * (REST), {@code login.{domain}} (OAuth) and {@code streaming.{domain}} (notification WebSockets).
 *
 * <p>The constants and their region codes follow the official SDKs' {@code PureCloudRegionHosts}
 * ({@code us_east_1 -> api.mypurecloud.com}, ...). Codes are AWS-style names, because every
 * Genesys Cloud region runs in the AWS region of that name; {@link #US_EAST_2} is the FedRAMP
 * (US government) region and {@link #EUSC_DE_EAST_1} the EU Sovereign Cloud region, whose codes
 * are Genesys's own rather than plain AWS names.
 *
 * <pre>{@code
 * GenesysRegion region = GenesysRegion.fromDomain("mypurecloud.ie");   // EU_WEST_1
 * URI login = region.loginBase();                                       // https://login.mypurecloud.ie
 * }</pre>
 */
public enum GenesysRegion {
    /** Americas (US East, N. Virginia): {@code mypurecloud.com}. */
    US_EAST_1("mypurecloud.com", "us-east-1"),
    /** Americas (US East 2, FedRAMP): {@code use2.us-gov-pure.cloud}. */
    US_EAST_2("use2.us-gov-pure.cloud", "us-east-2"),
    /** Americas (US West, Oregon): {@code usw2.pure.cloud}. */
    US_WEST_2("usw2.pure.cloud", "us-west-2"),
    /** Americas (Canada Central): {@code cac1.pure.cloud}. */
    CA_CENTRAL_1("cac1.pure.cloud", "ca-central-1"),
    /** Americas (Mexico Central): {@code mxc1.pure.cloud}. */
    MX_CENTRAL_1("mxc1.pure.cloud", "mx-central-1"),
    /** Americas (South America, Sao Paulo): {@code sae1.pure.cloud}. */
    SA_EAST_1("sae1.pure.cloud", "sa-east-1"),
    /** EMEA (Ireland): {@code mypurecloud.ie}. */
    EU_WEST_1("mypurecloud.ie", "eu-west-1"),
    /** EMEA (London): {@code euw2.pure.cloud}. */
    EU_WEST_2("euw2.pure.cloud", "eu-west-2"),
    /** EMEA (Frankfurt): {@code mypurecloud.de}. */
    EU_CENTRAL_1("mypurecloud.de", "eu-central-1"),
    /** EMEA (Zurich): {@code euc2.pure.cloud}. */
    EU_CENTRAL_2("euc2.pure.cloud", "eu-central-2"),
    /** EMEA (EU Sovereign Cloud, Germany): {@code edee1.eusc-pure.cloud}. */
    EUSC_DE_EAST_1("edee1.eusc-pure.cloud", "eusc-de-east-1"),
    /** EMEA (UAE): {@code mec1.pure.cloud}. */
    ME_CENTRAL_1("mec1.pure.cloud", "me-central-1"),
    /** Asia Pacific (Mumbai): {@code aps1.pure.cloud}. */
    AP_SOUTH_1("aps1.pure.cloud", "ap-south-1"),
    /** Asia Pacific (Seoul): {@code apne2.pure.cloud}. */
    AP_NORTHEAST_2("apne2.pure.cloud", "ap-northeast-2"),
    /** Asia Pacific (Tokyo): {@code mypurecloud.jp}. */
    AP_NORTHEAST_1("mypurecloud.jp", "ap-northeast-1"),
    /** Asia Pacific (Osaka): {@code apne3.pure.cloud}. */
    AP_NORTHEAST_3("apne3.pure.cloud", "ap-northeast-3"),
    /** Asia Pacific (Singapore): {@code apse1.pure.cloud}. */
    AP_SOUTHEAST_1("apse1.pure.cloud", "ap-southeast-1"),
    /** Asia Pacific (Sydney): {@code mypurecloud.com.au}. */
    AP_SOUTHEAST_2("mypurecloud.com.au", "ap-southeast-2");

    private final String domain;
    private final String code;
    private final URI apiBase;
    private final URI loginBase;
    private final URI streamingBase;

    GenesysRegion(String domain, String code) {
        this.domain = domain;
        this.code = code;
        this.apiBase = URI.create("https://api." + domain);
        this.loginBase = URI.create("https://login." + domain);
        this.streamingBase = URI.create("wss://streaming." + domain);
    }

    /** The region's domain, e.g. {@code mypurecloud.ie}. */
    public String domain() {
        return domain;
    }

    /** The region's code, e.g. {@code eu-west-1}. */
    public String code() {
        return code;
    }

    /** {@code https://api.{domain}}: base of the REST API ({@code /api/v2/...}). */
    public URI apiBase() {
        return apiBase;
    }

    /** {@code https://login.{domain}}: base of the OAuth endpoints ({@code /oauth/token}). */
    public URI loginBase() {
        return loginBase;
    }

    /** {@code wss://streaming.{domain}}: the host of notification channels' {@code connectUri}. */
    public URI streamingBase() {
        return streamingBase;
    }

    /** True for the US government (FedRAMP) region. */
    public boolean isFedRamp() {
        return this == US_EAST_2;
    }

    /** The region's three base URIs as {@link GenesysEndpoints}. */
    public GenesysEndpoints endpoints() {
        return GenesysEndpoints.of(this);
    }

    /**
     * The region named by any of the spellings a user is likely to paste: a domain
     * ({@code mypurecloud.ie}), a host ({@code api.mypurecloud.ie}, {@code login.}, {@code apps.},
     * {@code streaming.}), a URL ({@code https://login.mypurecloud.ie/oauth/token}), a region code
     * ({@code eu-west-1}) or a constant name ({@code EU_WEST_1}). Case and surrounding blanks do not
     * matter.
     *
     * @throws IllegalArgumentException for anything else; the message lists every valid region
     */
    public static GenesysRegion fromDomain(String text) {
        if (text == null || text.isBlank()) {
            throw unknown(String.valueOf(text));
        }
        String s = text.strip().toLowerCase(Locale.ROOT);
        int scheme = s.indexOf("://");
        if (scheme >= 0) {
            s = s.substring(scheme + 3);
        }
        int end = s.length();
        for (char stop : new char[] {'/', '?', '#'}) {
            int i = s.indexOf(stop);
            if (i >= 0 && i < end) {
                end = i;
            }
        }
        s = s.substring(0, end);
        int at = s.lastIndexOf('@');
        if (at >= 0) {
            s = s.substring(at + 1); // user info never identifies a region (and is never echoed)
        }
        int colon = s.lastIndexOf(':');
        if (colon >= 0) {
            s = s.substring(0, colon); // a port, e.g. login.mypurecloud.ie:443
        }
        if (s.endsWith(".")) {
            s = s.substring(0, s.length() - 1); // fully qualified DNS name
        }
        for (GenesysRegion r : values()) {
            if (s.equals(r.domain) || s.equals(r.code) || s.equals(r.name().toLowerCase(Locale.ROOT))) {
                return r;
            }
        }
        for (String prefix : new String[] {"api.", "login.", "streaming.", "apps."}) {
            if (s.startsWith(prefix)) {
                String rest = s.substring(prefix.length());
                for (GenesysRegion r : values()) {
                    if (rest.equals(r.domain)) {
                        return r;
                    }
                }
            }
        }
        throw unknown(text);
    }

    private static IllegalArgumentException unknown(String text) {
        // Echo what was given, but not user info from a URL (it may hold credentials) nor a novel.
        int at = text.lastIndexOf('@');
        String shown = at >= 0 ? "***@" + text.substring(at + 1) : text;
        if (shown.length() > 100) {
            shown = shown.substring(0, 100) + "...";
        }
        String valid = Arrays.stream(values())
                .map(r -> r.domain + " (" + r.code + ")")
                .collect(Collectors.joining(", "));
        return new IllegalArgumentException("Unknown Genesys Cloud region '" + shown
                + "': give a domain, host, URL or region code of one of: " + valid
                + "; for anything else (a proxy, a simulator) set the URLs with GenesysEndpoints.builder()");
    }
}
