package org.harbour.webhook;

import java.net.URI;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.harbour.web.PublicUrls;

/** Where a webhook may point: a public https URL ({@link PublicUrls}), at registration and again at every delivery. */
@ApplicationScoped
public class WebhookDestinations {

    @ConfigProperty(name = "harbour.webhooks.allow-loopback", defaultValue = "false")
    boolean allowLoopback;

    public URI check(String url) {
        return PublicUrls.check(url, "url", allowLoopback);
    }
}
