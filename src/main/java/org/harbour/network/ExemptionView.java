package org.harbour.network;

import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

@Schema(name = "ExemptionDue", description = "A site's exemption that has expired or expires soon.")
public record ExemptionView(
        @Schema(description = "The organization's slug.") String organization,
        String organizationNameEn,
        String organizationNameFr,
        UUID siteId,
        String siteName,
        @Schema(enumeration = { "SCS", "OPS", "MOBILE", "HOUSING", "HOSPITAL", "PARAMEDIC", "DISPENSING" }) String siteKind,
        String province,
        @Schema(enumeration = { "PLANNED", "ACTIVE", "TEMPORARILY_CLOSED" }) String siteStatus,
        @Schema(nullable = true) String exemptionNumber,
        @Schema(format = "date") String expiresOn,
        @Schema(description = "Days from the site's today to the expiry; negative once expired.") int daysLeft,
        boolean expired) {
}
