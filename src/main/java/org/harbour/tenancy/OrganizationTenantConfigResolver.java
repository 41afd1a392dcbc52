package org.harbour.tenancy;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.harbour.web.EarlyFailureRoutes;

import io.quarkus.oidc.OidcRequestContext;
import io.quarkus.oidc.OidcTenantConfig;
import io.quarkus.oidc.TenantConfigResolver;
import io.quarkus.oidc.runtime.OidcTenantConfig.ApplicationType;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;

/**
 * Layer 1 of isolation. A tenant path is verified against that organization's issuer and audience,
 * read from the registry, so that onboarding needs no redeploy; the network paths against the network
 * realm. Anything else resolves to the default tenant, which is disabled: there is no fallback issuer.
 */
@ApplicationScoped
public class OrganizationTenantConfigResolver implements TenantConfigResolver {

    public static final String NETWORK_TENANT = "network";
    private static final String ORG_TENANT_PREFIX = "org:";
    /** Routing-context attribute: the organization of this request is suspended (answered 403 once authenticated). */
    public static final String SUSPENDED_ATTRIBUTE = "harbour.org.suspended";
    /**
     * The longest Authorization header read before verification; a longer one is refused unread. Far above what
     * Keycloak issues (2-3 KB with roles) and below what the HTTP server accepts in a header.
     */
    public static final int MAX_TOKEN_CHARS = 16 * 1024;
    private static final int MAX_ISSUER_CHARS = 512;

    @Inject
    OrganizationRegistry registry;

    private final java.util.Map<String, OidcTenantConfig> configs = new java.util.concurrent.ConcurrentHashMap<>();

    @ConfigProperty(name = "harbour.network.issuer")
    String networkIssuer;

    @ConfigProperty(name = "harbour.network.audience")
    String networkAudience;

    @Override
    public Uni<OidcTenantConfig> resolve(RoutingContext context, OidcRequestContext<OidcTenantConfig> requestContext) {
        String path = context.normalizedPath();
        Optional<String> slug = TenantPaths.orgSlug(path);
        if (slug.isPresent()) {
            Optional<OrganizationRegistry.Entry> cached = registry.cached(slug.get());
            if (cached != null) {
                return Uni.createFrom().item(tenantOf(cached, context));
            }
            return requestContext.runBlocking(() -> tenantOf(registry.find(slug.get()), context));
        }
        if (TenantPaths.isSharedNetworkPath(path)) {
            String issuer = unverifiedIssuer(context);
            if (issuer != null && !issuer.equals(networkIssuer)) {
                // Only picks which issuer verifies the token; the token is then verified in full by it.
                return requestContext.runBlocking(() -> tenantOf(registry.findByIssuer(issuer), context));
            }
        }
        if (TenantPaths.isNetworkPath(path)) {
            return Uni.createFrom().item(configs.computeIfAbsent(NETWORK_TENANT, id -> config(id, networkIssuer, networkAudience)));
        }
        return Uni.createFrom().nullItem();
    }

    /**
     * The issuer a token claims, read before verification only to pick the verifier, so that a token which
     * is not even shaped like a signed JWT of reasonable size, or claims no plausible issuer, is left to the
     * network verifier, which refuses it, without reading or parsing more.
     */
    private static String unverifiedIssuer(RoutingContext context) {
        String authorization = context.request().getHeader("Authorization");
        if (authorization == null || authorization.length() > MAX_TOKEN_CHARS
                || !authorization.regionMatches(true, 0, "Bearer ", 0, 7) || EarlyFailureRoutes.malformedBearer(authorization)) {
            return null;
        }
        String[] parts = authorization.substring(7).trim().split("\\.");
        try {
            String payload = new String(java.util.Base64.getUrlDecoder().decode(parts[1]), java.nio.charset.StandardCharsets.UTF_8);
            Object iss = new io.vertx.core.json.JsonObject(payload).getValue("iss");
            return iss instanceof String s && s.length() <= MAX_ISSUER_CHARS
                    && (s.startsWith("https://") || s.startsWith("http://")) ? s : null;
        } catch (RuntimeException malformed) {
            return null;
        }
    }

    private OidcTenantConfig tenantOf(Optional<OrganizationRegistry.Entry> entry, RoutingContext context) {
        return entry.map(org -> {
            context.put(SUSPENDED_ATTRIBUTE, !org.active());
            return orgConfig(org);
        }).orElse(null);
    }

    /**
     * The org tenant id carries the registry version, so that a changed issuer builds a new OIDC context;
     * configs are kept per tenant id rather than built on every request.
     */
    private OidcTenantConfig orgConfig(OrganizationRegistry.Entry org) {
        String tenantId = ORG_TENANT_PREFIX + org.slug() + ":" + org.version();
        return configs.computeIfAbsent(tenantId, id -> config(id, org.issuer(), org.audience()));
    }

    /** The organization slug an authenticated identity's tenant id names, if it is an organization tenant. */
    public static Optional<String> orgOfTenantId(String tenantId) {
        if (tenantId == null || !tenantId.startsWith(ORG_TENANT_PREFIX)) {
            return Optional.empty();
        }
        String rest = tenantId.substring(ORG_TENANT_PREFIX.length());
        int colon = rest.lastIndexOf(':');
        return Optional.of(colon < 0 ? rest : rest.substring(0, colon));
    }

    private static OidcTenantConfig config(String tenantId, String issuer, String audience) {
        return OidcTenantConfig.builder()
                .tenantId(tenantId)
                .authServerUrl(issuer)
                // The issuer was checked as a public address when registered; a redirect could lead anywhere.
                .followRedirects(false)
                .applicationType(ApplicationType.SERVICE)
                .token().issuer(issuer).audience(audience).end()
                .build();
    }
}
