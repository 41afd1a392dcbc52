package org.harbour.tenancy;

import java.util.Set;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;

/**
 * A role counts only when the realm that may grant it verified the token: network roles (coordinator,
 * researcher, network-admin) from the network realm, organization roles from an organization's issuer.
 * An organization runs its own identity provider, which could put "coordinator" in its tokens; since
 * members' tokens are verified on the shared network paths, that role must not reach the coordinator's.
 */
@ApplicationScoped
public class RealmRoles implements SecurityIdentityAugmentor {

    static final Set<String> NETWORK_ROLES = Set.of(Roles.COORDINATOR, Roles.RESEARCHER, Roles.NETWORK_ADMIN);
    static final Set<String> ORGANIZATION_ROLES = Set.of(Roles.ORG_ADMIN, Roles.REPORTER, Roles.VIEWER);

    /** Runs after any other augmentor, so that no role added later escapes the filter. */
    @Override
    public int priority() {
        return Integer.MIN_VALUE;
    }

    @Override
    public Uni<SecurityIdentity> augment(SecurityIdentity identity, AuthenticationRequestContext context) {
        if (identity.isAnonymous()) {
            return Uni.createFrom().item(identity);
        }
        Object tenantId = identity.getAttribute("tenant-id");
        Set<String> granted = OrganizationTenantConfigResolver.NETWORK_TENANT.equals(tenantId) ? NETWORK_ROLES : ORGANIZATION_ROLES;
        if (granted.containsAll(identity.getRoles())) {
            return Uni.createFrom().item(identity);
        }
        Set<String> kept = identity.getRoles().stream().filter(granted::contains).collect(Collectors.toSet());
        return Uni.createFrom().item(QuarkusSecurityIdentity.builder()
                .setPrincipal(identity.getPrincipal())
                .addAttributes(identity.getAttributes())
                .addCredentials(identity.getCredentials())
                .addRoles(kept)
                .build());
    }
}
