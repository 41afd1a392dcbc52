package org.harbour.tenancy;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.orm.PersistenceUnitExtension;
import io.quarkus.hibernate.orm.runtime.tenant.TenantResolver;

/**
 * Layer 2 of isolation: Hibernate adds org_id to every read and write of a tenant entity. Without a
 * tenant the discriminator is a value no organization can have, so nothing matches: there is no
 * default tenant.
 */
@PersistenceUnitExtension
@ApplicationScoped
public class HibernateTenantResolver implements TenantResolver {

    /** Not a valid slug (slugs start with a letter), so it matches no row. */
    public static final String NO_TENANT = "-";

    @Override
    public String getDefaultTenantId() {
        return NO_TENANT;
    }

    @Override
    public String resolveTenantId() {
        return TenantContext.current().orElse(NO_TENANT);
    }
}
