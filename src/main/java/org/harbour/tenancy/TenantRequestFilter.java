package org.harbour.tenancy;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

import jakarta.inject.Inject;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

import org.harbour.web.Messages;
import org.harbour.web.ProblemResponses;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;

/**
 * Sets the tenant of a tenant request from the verified identity: the organization whose issuer
 * verified the token, which must be the organization of the path. Refuses a suspended organization.
 */
public class TenantRequestFilter {

    @Inject
    CurrentIdentityAssociation identities;

    @Inject
    TenantContext tenant;

    @ServerRequestFilter
    public Uni<Response> setTenant(RoutingContext routing, HttpHeaders headers) {
        Optional<String> pathOrg = TenantPaths.orgSlug(routing.normalizedPath());
        boolean suspended = Boolean.TRUE.equals(routing.get(OrganizationTenantConfigResolver.SUSPENDED_ATTRIBUTE));
        if (pathOrg.isEmpty() && !suspended) {
            return Uni.createFrom().nullItem();
        }
        return identities.getDeferredIdentity().map(identity -> {
            Optional<String> verifiedOrg = orgOf(identity);
            if (verifiedOrg.isEmpty()) {
                // Anonymous or not an organization's token: the endpoint's security check answers.
                return null;
            }
            if (pathOrg.isPresent()) {
                if (!verifiedOrg.get().equals(pathOrg.get())) {
                    return null;
                }
                tenant.set(verifiedOrg.get());
            }
            if (suspended) {
                Locale locale = Messages.locale(headers.getHeaderString(HttpHeaders.ACCEPT_LANGUAGE));
                return ProblemResponses.response(ProblemResponses.problem(locale, 403, "organization-suspended", List.of(),
                        "problem.organization-suspended.detail"));
            }
            return null;
        });
    }

    /** The organization whose issuer verified this identity's token; empty for the network realm or no one. */
    public static Optional<String> orgOf(SecurityIdentity identity) {
        if (identity == null || identity.isAnonymous()) {
            return Optional.empty();
        }
        Object tenantId = identity.getAttribute("tenant-id");
        return OrganizationTenantConfigResolver.orgOfTenantId(tenantId == null ? null : tenantId.toString());
    }
}
