package org.harbour.web;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;

import org.harbour.web.ProblemException.FieldErrorKey;

/**
 * URLs the service itself calls (webhook receivers, organizations' OIDC issuers) must be https to a
 * public address: private, loopback, link-local (cloud metadata) and other internal ranges are refused,
 * so that no caller can point the service at what sits behind it. Development and tests may allow
 * loopback, plain http included.
 */
public final class PublicUrls {

    private PublicUrls() {
    }

    /** The URL, or a 422 naming {@code field}. Resolves the host: call it again before each use, DNS may change. */
    public static URI check(String url, String field, boolean allowLoopback) {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw refused(field, "field.public-url");
        }
        if (uri.getHost() == null || uri.getUserInfo() != null) {
            throw refused(field, "field.public-url");
        }
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(uri.getHost());
        } catch (UnknownHostException e) {
            throw refused(field, "field.public-unresolved");
        }
        boolean loopback = true;
        for (InetAddress address : addresses) {
            loopback &= address.isLoopbackAddress();
            if (internal(address) && !(allowLoopback && address.isLoopbackAddress())) {
                throw refused(field, "field.public-internal");
            }
        }
        boolean https = "https".equalsIgnoreCase(uri.getScheme());
        if (!https && !(allowLoopback && loopback && "http".equalsIgnoreCase(uri.getScheme()))) {
            throw refused(field, "field.public-https");
        }
        return uri;
    }

    private static boolean internal(InetAddress a) {
        if (a.isLoopbackAddress() || a.isAnyLocalAddress() || a.isLinkLocalAddress() || a.isSiteLocalAddress()
                || a.isMulticastAddress()) {
            return true;
        }
        byte[] b = a.getAddress();
        if (a instanceof Inet6Address) {
            return (b[0] & 0xfe) == 0xfc // unique local fc00::/7
                    // addresses that carry an IPv4 one, which may be internal: NAT64 64:ff9b::/96, 6to4 2002::/16,
                    // Teredo 2001::/32
                    || (b[0] == 0 && b[1] == 0x64 && b[2] == (byte) 0xff && b[3] == (byte) 0x9b)
                    || (b[0] == 0x20 && b[1] == 0x02)
                    || (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0 && b[3] == 0);
        }
        int first = b[0] & 0xff;
        int second = b[1] & 0xff;
        return first == 0 || (first == 100 && second >= 64 && second <= 127) // shared address space (CGNAT)
                || (first == 192 && second == 0 && (b[2] & 0xff) == 0) || first >= 240;
    }

    private static ProblemException refused(String field, String key) {
        return ProblemException.rule(new FieldErrorKey(field, key));
    }
}
