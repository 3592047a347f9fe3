package dev.gctimeline.stream.internal.sources;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Rules for the URI a seed-shape client connects to: {@code wss://} (plain {@code ws://} only on a
 * loopback address, because a token travels on the handshake), no user info, no query (the token
 * goes in a header; the legacy query form is added here and nowhere else), and a redacted form for
 * logs and messages.
 *
 * <pre>{@code URI u = WebSocketTargets.check(uri); String shown = WebSocketTargets.shown(u, tokenInQuery);}</pre>
 */
public final class WebSocketTargets {
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    private WebSocketTargets() {
    }

    /**
     * The URI, validated.
     *
     * @throws IllegalArgumentException saying what is wrong, never echoing a query or user info
     */
    public static URI check(URI uri) {
        Objects.requireNonNull(uri, "uri");
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (uri.isOpaque() || uri.getHost() == null || !(scheme.equals("wss") || scheme.equals("ws"))) {
            throw new IllegalArgumentException("the seed-shape stream URI must be an absolute wss:// URI with a host, like "
                    + "wss://api.mypurecloud.com/api/v2/streaming/events");
        }
        if (uri.getRawUserInfo() != null) {
            throw new IllegalArgumentException("the seed-shape stream URI for host " + uri.getHost()
                    + " carries user info; credentials never go in a URL: give the stream a TokenProvider");
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new IllegalArgumentException("the seed-shape stream URI for " + scheme + "://" + uri.getRawAuthority()
                    + uri.getRawPath() + " must have no query or fragment: the token goes in the Authorization header"
                    + " (or, opted in with tokenInQuery(true), is added by the stream itself)");
        }
        if (scheme.equals("ws") && !isLoopbackLiteral(uri.getHost())) {
            throw new IllegalArgumentException("plain ws:// is allowed only for loopback hosts (127.0.0.0/8, ::1,"
                    + " localhost), because the token travels on the handshake: use wss://" + uri.getHost());
        }
        return uri;
    }

    /** {@code uri} with {@code ?access_token=<token>} (URL-encoded): the legacy form, never logged. */
    public static URI withTokenQuery(URI uri, String token) {
        String s = uri.toString() + "?access_token=" + URLEncoder.encode(token, StandardCharsets.UTF_8);
        try {
            return new URI(s);
        } catch (URISyntaxException e) {
            // Not reachable: the base passed check() and the token is percent-encoded. Never echo it.
            throw new IllegalStateException("could not add the token query to the seed-shape stream URI");
        }
    }

    /** The URI as logs may show it: with the token query replaced by {@code ***} when it has one. */
    public static String shown(URI uri, boolean tokenInQuery) {
        return tokenInQuery ? uri + "?access_token=***" : uri.toString();
    }

    /**
     * {@code text} with every occurrence of {@code token} (raw and URL-encoded) replaced by
     * {@code ***}: for messages of exceptions that may quote the URI they failed on.
     */
    public static String scrub(String text, String token) {
        if (text == null || token == null || token.isEmpty()) {
            return text;
        }
        String out = text.replace(token, "***");
        String encoded = URLEncoder.encode(token, StandardCharsets.UTF_8);
        return encoded.equals(token) ? out : out.replace(encoded, "***");
    }

    /** {@code localhost} and loopback address literals; never asks DNS (a name could change its mind). */
    static boolean isLoopbackLiteral(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        if (h.equals("localhost")) {
            return true;
        }
        boolean v6 = h.startsWith("[") || h.indexOf(':') >= 0;
        if (!v6) {
            if (!IPV4.matcher(h).matches()) {
                return false;
            }
            for (String octet : h.split("\\.")) {
                if (Integer.parseInt(octet) > 255) {
                    return false;
                }
            }
        }
        try {
            return InetAddress.getByName(h).isLoopbackAddress(); // a literal: parsed, never looked up
        } catch (UnknownHostException | IllegalArgumentException e) {
            return false;
        }
    }
}
