package org.harbour.tenancy;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.TransactionScoped;

/**
 * Layer 3 of isolation: PostgreSQL row-level security reads the tenant from harbour.org, which is set
 * at the start of every transaction, local to it (set_config(..., true)), so that it can never outlive
 * the transaction on a pooled connection. A transaction without a tenant leaves it unset: the policies
 * then match no row.
 */
@ApplicationScoped
public class RowLevelSecurity {

    @Inject
    EntityManager entityManager;

    void onTransactionBegin(@Observes @Initialized(TransactionScoped.class) Object event) {
        TenantContext.current().ifPresent(org -> entityManager
                .createNativeQuery("select set_config('harbour.org', :org, true)")
                .setParameter("org", org)
                .getSingleResult());
    }
}
