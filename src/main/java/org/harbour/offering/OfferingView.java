package org.harbour.offering;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

@Schema(name = "Offering")
public record OfferingView(UUID siteId, String serviceCode, List<ScheduleSlot> schedule, String notes, Instant createdAt,
        Instant updatedAt, long version) {

    static OfferingView of(Offering o) {
        return new OfferingView(o.siteId, o.serviceCode, o.schedule, o.notes, o.createdAt, o.updatedAt, o.version);
    }
}
