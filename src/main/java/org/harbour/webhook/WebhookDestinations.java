package org.harbour.webhook;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.harbour.web.ProblemException;
import org.harbour.web.ProblemException.FieldErrorKey;

/**
 * Where a webhook may point: https, to a public address. Private, loopback, link-local (cloud metadata)
 * and other internal ranges are refused, at registration and again at every delivery (an answer of the
 * DNS may change). Tests allow loopback receivers by configuration, plain http included.
 */
@ApplicationScoped
public class WebhookDestinations {

    @ConfigProperty(name = "harbour.webhooks.allow-loopback", defaultValue = "false")
    boolean allowLoopback;

    public URI check(String url) {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw refused("field.webhook-url");
        }
        if (uri.getHost() == null || uri.getUserInfo() != null) {
            throw refused("field.webhook-url");
        }
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(uri.getHost());
        } catch (UnknownHostException e) {
            throw refused("field.webhook-unresolved");
        }
        boolean loopback = true;
        for (InetAddress address : addresses) {
            loopback &= address.isLoopbackAddress();
            if (internal(address) && !(allowLoopback && address.isLoopbackAddress())) {
                throw refused("field.webhook-internal");
            }
        }
        boolean https = "https".equalsIgnoreCase(uri.getScheme());
        if (!https && !(allowLoopback && loopback && "http".equalsIgnoreCase(uri.getScheme()))) {
            throw refused("field.webhook-https");
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
            return (b[0] & 0xfe) == 0xfc; // unique local fc00::/7
        }
        int first = b[0] & 0xff;
        int second = b[1] & 0xff;
        return first == 0 || (first == 100 && second >= 64 && second <= 127) // shared address space (CGNAT)
                || (first == 192 && second == 0 && (b[2] & 0xff) == 0) || first >= 240;
    }

    private static ProblemException refused(String key) {
        return ProblemException.rule(new FieldErrorKey("url", key));
    }
}
