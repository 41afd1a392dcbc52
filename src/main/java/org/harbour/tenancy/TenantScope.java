package org.harbour.tenancy;

import java.util.Objects;
import java.util.function.Supplier;

import io.quarkus.arc.Arc;
import io.quarkus.arc.ManagedContext;

/**
 * Background work (webhook fan-out and delivery) acts for one organization at a time, named explicitly:
 * inside, Hibernate and row-level security see that tenant and no other. There is no way to run without
 * one: a null organization fails.
 */
public final class TenantScope {

    private TenantScope() {
    }

    public static <T> T call(String org, Supplier<T> work) {
        Objects.requireNonNull(org, "background work needs its organization");
        return scoped(org, work);
    }

    /** Network scope: no tenant, so tenant tables show nothing; for the registry and the network's own tables. */
    public static <T> T network(Supplier<T> work) {
        return scoped(null, work);
    }

    private static <T> T scoped(String org, Supplier<T> work) {
        ManagedContext requestContext = Arc.container().requestContext();
        if (requestContext.isActive()) {
            throw new IllegalStateException("a tenant scope is opened by background work, outside any request");
        }
        requestContext.activate();
        try {
            if (org != null) {
                Arc.container().instance(TenantContext.class).get().set(org);
            }
            return work.get();
        } finally {
            requestContext.terminate();
        }
    }
}
