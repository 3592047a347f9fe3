package dev.gctimeline.auth.internal;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Decides whether a URI host is a loopback address, without ever asking DNS: only the name
 * {@code localhost} and address literals count. A name that merely resolves to 127.0.0.1 does not,
 * because a resolver (or an attacker controlling it) could change its mind later.
 */
public final class Loopback {
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    private Loopback() {}

    /** True for {@code localhost}, 127.0.0.0/8 and ::1 (with or without brackets). */
    public static boolean isLoopbackHost(String host) {
        if (host == null || host.isEmpty()) {
            return false;
        }
        String h = host.toLowerCase(Locale.ROOT);
        if (h.equals("localhost")) {
            return true;
        }
        boolean v6 = h.startsWith("[") && h.endsWith("]") || h.indexOf(':') >= 0;
        if (!v6 && !IPV4.matcher(h).matches()) {
            return false; // a name: do not resolve it
        }
        if (!v6) {
            for (String octet : h.split("\\.")) {
                if (Integer.parseInt(octet) > 255) {
                    return false;
                }
            }
        }
        try {
            // Safe: for an address literal getByName parses and never performs a lookup.
            return InetAddress.getByName(h).isLoopbackAddress();
        } catch (UnknownHostException | IllegalArgumentException e) {
            return false;
        }
    }
}
