package org.harbour.site;

import java.time.Instant;
import java.time.LocalDate;
import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

@Schema(name = "Site")
public record SiteView(UUID id, String externalRef, String name, SiteKind kind, SiteModel model, String address, String city,
        String province, String healthRegion, String timeZone, Integer booths, LocalDate openedOn, LocalDate closedOn,
        SiteStatus status, SiteInput.ExemptionInput exemption, Instant createdAt, Instant updatedAt, long version) {

    static SiteView of(Site s) {
        SiteInput.ExemptionInput exemption = s.exemptionNumber == null ? null
                : new SiteInput.ExemptionInput(s.exemptionNumber, s.exemptionIssuedOn, s.exemptionExpiresOn);
        return new SiteView(s.id, s.externalRef, s.name, s.kind, s.model, s.address, s.city, s.province, s.healthRegion,
                s.timeZone, s.booths, s.openedOn, s.closedOn, s.status, exemption, s.createdAt, s.updatedAt, s.version);
    }
}
