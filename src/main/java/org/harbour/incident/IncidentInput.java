package org.harbour.incident;

import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.harbour.incident.IncidentEnums.DebriefKind;
import org.harbour.incident.IncidentEnums.EmptyReason;
import org.harbour.incident.IncidentEnums.Kind;
import org.harbour.incident.IncidentEnums.Location;
import org.harbour.incident.IncidentEnums.Mode;
import org.harbour.incident.IncidentEnums.NaloxoneRoute;
import org.harbour.incident.IncidentEnums.Outcome;
import org.harbour.incident.IncidentEnums.Substance;

@Schema(name = "IncidentInput")
public record IncidentInput(
        @Size(min = 1, max = 100) @Pattern(regexp = "\\p{Graph}[\\p{Graph} ]*", message = "{harbour.external-ref}")
        @Schema(description = "The organization's own reference: posting it again returns the existing incident (200).",
                examples = "INC-2026-00042") String externalRef,
        @Schema(description = "The site; absent for the organization's outreach.") UUID siteId,
        @NotNull @Schema(examples = "2026-11-20T23:14:00-05:00") Instant occurredAt,
        @NotNull Location location,
        @NotNull Kind kind,
        @Schema(description = "For an overdose, at least one; UNKNOWN says it explicitly.") @Size(max = 20) Set<@NotNull Substance> substances,
        @Schema(description = "Required for an overdose (UNKNOWN allowed).") Mode mode,
        @Valid Response response,
        Outcome outcome,
        @Schema(description = "A flailing overdose in a small space.") Boolean flailingInSmallSpace,
        @Size(max = 4000) @Schema(description = "Free text that never leaves the organization.") String note,
        @Schema(description = "Why a field is empty, by field name (mode, substances, outcome, flailingInSmallSpace, "
                + "response.naloxoneDoses, response.emsCalled, ...).")
        @Size(max = 50) Map<@Size(max = 100) String, @NotNull EmptyReason> emptyReasons,
        @Valid Debrief debrief,
        @Size(max = 1000) @Schema(description = "Required to change the outcome of an incident recorded as DEATH.")
        String correctionReason) {

    @Schema(name = "IncidentResponse", description = "What was done.")
    public record Response(
            @Min(0) @Max(20) Integer naloxoneDoses,
            NaloxoneRoute naloxoneRoute,
            Boolean oxygen,
            Boolean rescueBreathing,
            Boolean bagValveMask,
            @Schema(description = "Naloxone was given by a peer before staff arrived.") Boolean peerNaloxoneBeforeStaff,
            Boolean emsCalled,
            Boolean emsAttended,
            Boolean policeAttended) {
    }

    @Schema(name = "Debrief", description = "The staff debrief after the incident.")
    public record Debrief(@NotNull Boolean held, Instant heldAt, DebriefKind kind) {
    }
}
