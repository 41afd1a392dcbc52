package org.harbour.tenancy;

import java.time.Instant;
import java.util.List;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

@Schema(name = "Organization")
public record OrganizationView(String slug, String legalNameEn, String legalNameFr, List<String> provinces, String issuer,
        String audience, OrganizationStatus status, Instant createdAt, Instant updatedAt, long version) {

    static OrganizationView of(Organization o) {
        return new OrganizationView(o.slug, o.legalNameEn, o.legalNameFr, o.provinces, o.issuer, o.audience, o.status,
                o.createdAt, o.updatedAt, o.version);
    }
}
