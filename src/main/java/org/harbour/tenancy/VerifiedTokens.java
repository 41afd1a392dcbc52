package org.harbour.tenancy;

import static io.quarkus.vertx.http.runtime.security.HttpSecurityUtils.getRoutingContextAttribute;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.Permission;
import java.security.Principal;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import io.quarkus.oidc.AccessTokenCredential;
import io.quarkus.oidc.OidcTenantConfig;
import io.quarkus.oidc.runtime.OidcIdentityProvider;
import io.quarkus.security.credential.Credential;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.TokenAuthenticationRequest;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;

/**
 * Verifying a bearer token (signature, issuer, audience, expiry, and the identity built from its claims) took a
 * quarter of the API's CPU per request under load (issue 11's profile), while a client sends the same token for
 * minutes. A token the OIDC provider accepted for a tenant is remembered for that tenant, by its SHA-256, until
 * it expires or for at most {@code harbour.token-cache.max-age}, whichever comes first; a refused token is never
 * remembered, so every refusal is still the provider's. The key is the tenant the path resolved to, whose id
 * carries the registry version: a changed issuer or audience verifies afresh, and a token is never taken for
 * another tenant than the one that verified it. Suspension is read per request by the resolver, not from here.
 * What this gives up: a signing key withdrawn from an issuer's key set stops the tokens it signed here after at
 * most max-age rather than at once.
 */
@ApplicationScoped
public class VerifiedTokens implements IdentityProvider<TokenAuthenticationRequest> {

    /** Identity attributes that belong to one request, never kept. */
    private static final Set<String> PER_REQUEST = Set.of(RoutingContext.class.getName(),
            AuthenticationRequestContext.class.getName());
    /** Set by Quarkus OIDC on every identity it builds from a JWT: the token's exp, in epoch seconds. */
    private static final String EXPIRES_AT = "quarkus.identity.expire-time";

    private final OidcIdentityProvider oidc;
    private final Cache<String, Verified> verified;

    @Inject
    VerifiedTokens(OidcIdentityProvider oidc,
            @ConfigProperty(name = "harbour.token-cache.max-age") Duration maxAge,
            @ConfigProperty(name = "harbour.token-cache.max-entries") int maxEntries) {
        this.oidc = oidc;
        this.verified = Caffeine.newBuilder().maximumSize(maxEntries).expireAfterWrite(maxAge).build();
    }

    /** Before Quarkus OIDC's provider (priority 0), which it calls itself when it has nothing to give. */
    @Override
    public int priority() {
        return 2000;
    }

    @Override
    public Class<TokenAuthenticationRequest> getRequestType() {
        return TokenAuthenticationRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(TokenAuthenticationRequest request, AuthenticationRequestContext context) {
        RoutingContext routing = getRoutingContextAttribute(request);
        OidcTenantConfig tenant = routing == null ? null : routing.get(OidcTenantConfig.class.getName());
        if (!(request.getToken() instanceof AccessTokenCredential) || tenant == null || tenant.tenantId().isEmpty()) {
            return Uni.createFrom().nullItem();
        }
        String key = tenant.tenantId().get() + ' ' + sha256(request.getToken().getToken());
        Verified hit = verified.getIfPresent(key);
        if (hit != null && Instant.now().getEpochSecond() < hit.expiresAt()) {
            routing.put(AuthenticationRequestContext.class.getName(), context);
            return Uni.createFrom().item(hit.identityFor(routing, context));
        }
        return oidc.authenticate(request, context).invoke(identity -> remember(key, identity));
    }

    long size() {
        verified.cleanUp();
        return verified.estimatedSize();
    }

    private void remember(String key, SecurityIdentity identity) {
        if (identity == null || identity.isAnonymous() || !(identity.getAttribute(EXPIRES_AT) instanceof Long expiresAt)
                || expiresAt <= 0) {
            return;
        }
        Map<String, Object> attributes = new HashMap<>(identity.getAttributes());
        attributes.keySet().removeAll(PER_REQUEST);
        verified.put(key, new Verified(identity.getPrincipal(), identity.getCredentials(), identity.getRoles(),
                identity.getPermissions(), Collections.unmodifiableMap(attributes), expiresAt));
    }

    /** The key holds a digest: no second copy of the token, and no comparison that tells how much of a guess matched. */
    private static String sha256(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    /** What the OIDC provider built for a token, less what belongs to the request it came with. */
    private record Verified(Principal principal, Set<Credential> credentials, Set<String> roles, Set<Permission> permissions,
            Map<String, Object> attributes, long expiresAt) {

        SecurityIdentity identityFor(RoutingContext routing, AuthenticationRequestContext context) {
            return QuarkusSecurityIdentity.builder().setPrincipal(principal).addCredentials(credentials).addRoles(roles)
                    .addPermissions(permissions).addAttributes(attributes)
                    .addAttribute(RoutingContext.class.getName(), routing)
                    .addAttribute(AuthenticationRequestContext.class.getName(), context).build();
        }
    }
}
