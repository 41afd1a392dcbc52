package org.harbour.incident;

import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.harbour.incident.IncidentEnums.EmptyReason;
import org.harbour.incident.IncidentEnums.Kind;
import org.harbour.incident.IncidentEnums.Location;
import org.harbour.incident.IncidentEnums.Mode;
import org.harbour.incident.IncidentEnums.Outcome;
import org.harbour.incident.IncidentEnums.Substance;

@Schema(name = "Incident")
public record IncidentView(UUID id, String externalRef, UUID siteId, Instant occurredAt, Location location, Kind kind,
        Set<Substance> substances, Mode mode, IncidentInput.Response response, Outcome outcome, Boolean flailingInSmallSpace,
        @Schema(description = "Free text, shown to the organization's own users only.") String note,
        Map<String, EmptyReason> emptyReasons, IncidentInput.Debrief debrief,
        @Schema(description = "Why the outcome of a DEATH was last corrected.") String correctionReason,
        Instant createdAt, Instant updatedAt, long version) {

    static IncidentView of(Incident i) {
        IncidentInput in = IncidentMapping.toInput(i);
        return new IncidentView(i.id, i.externalRef, i.siteId, i.occurredAt, i.location, i.kind, in.substances(), i.mode,
                in.response(), i.outcome, i.flailingInSmallSpace, i.note, in.emptyReasons(), in.debrief(), i.correctionReason,
                i.createdAt, i.updatedAt, i.version);
    }
}
