package org.harbour.tenancy;

import java.util.Optional;

import jakarta.enterprise.context.RequestScoped;

import io.quarkus.arc.Arc;

/**
 * The organization the current unit of work acts for: set from the verified token of a tenant request,
 * or explicitly by background work. Never from a body field. Empty means no tenant: tenant tables then
 * show and accept nothing.
 */
@RequestScoped
public class TenantContext {

    private String org;

    public Optional<String> org() {
        return Optional.ofNullable(org);
    }

    public void set(String org) {
        if (this.org != null && !this.org.equals(org)) {
            throw new IllegalStateException("The tenant of a unit of work cannot change");
        }
        this.org = org;
    }

    /** The current tenant where a request context is active, else none (background threads set their own). */
    public static Optional<String> current() {
        if (!Arc.container().requestContext().isActive()) {
            return Optional.empty();
        }
        return Arc.container().instance(TenantContext.class).get().org();
    }
}
