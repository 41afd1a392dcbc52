package org.harbour.incident;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.harbour.incident.IncidentEnums.Substance;

/**
 * Between the wire and the row, in one canonical form: instants to the microsecond the database keeps,
 * empty collections and all-empty groups as absent. Comparing canonical inputs tells a retry (unchanged)
 * from a change.
 */
final class IncidentMapping {

    private IncidentMapping() {
    }

    static IncidentInput canonical(IncidentInput in) {
        IncidentInput.Response r = in.response();
        if (r != null && r.naloxoneDoses() == null && r.naloxoneRoute() == null && r.oxygen() == null && r.rescueBreathing() == null
                && r.bagValveMask() == null && r.peerNaloxoneBeforeStaff() == null && r.emsCalled() == null
                && r.emsAttended() == null && r.policeAttended() == null) {
            r = null;
        }
        IncidentInput.Debrief d = in.debrief() == null ? null
                : new IncidentInput.Debrief(in.debrief().held(), micros(in.debrief().heldAt()), in.debrief().kind());
        return new IncidentInput(in.externalRef(), in.siteId(), micros(in.occurredAt()), in.location(), in.kind(),
                in.substances() == null || in.substances().isEmpty() ? null : EnumSet.copyOf(in.substances()), in.mode(), r,
                in.outcome(), in.flailingInSmallSpace(), in.note(),
                in.emptyReasons() == null || in.emptyReasons().isEmpty() ? null : Map.copyOf(in.emptyReasons()), d, null);
    }

    static IncidentInput toInput(Incident i) {
        Set<Substance> substances = i.substances == null || i.substances.isEmpty() ? null
                : i.substances.stream().map(Substance::valueOf).collect(Collectors.toCollection(() -> EnumSet.noneOf(Substance.class)));
        IncidentInput.Response response = new IncidentInput.Response(i.naloxoneDoses, i.naloxoneRoute, i.oxygen, i.rescueBreathing,
                i.bagValveMask, i.peerNaloxoneBeforeStaff, i.emsCalled, i.emsAttended, i.policeAttended);
        IncidentInput.Debrief debrief = i.debriefHeld == null ? null
                : new IncidentInput.Debrief(i.debriefHeld, i.debriefAt, i.debriefKind);
        return canonical(new IncidentInput(i.externalRef, i.siteId, i.occurredAt, i.location, i.kind, substances, i.mode, response,
                i.outcome, i.flailingInSmallSpace, i.note, i.emptyReasons, debrief, null));
    }

    static void apply(Incident i, IncidentInput in) {
        i.externalRef = in.externalRef();
        i.siteId = in.siteId();
        i.occurredAt = in.occurredAt();
        i.location = in.location();
        i.kind = in.kind();
        i.substances = in.substances() == null ? null
                : in.substances().stream().sorted(Comparator.naturalOrder()).map(Enum::name).toList();
        i.mode = in.mode();
        IncidentInput.Response r = in.response();
        i.naloxoneDoses = r == null ? null : r.naloxoneDoses();
        i.naloxoneRoute = r == null ? null : r.naloxoneRoute();
        i.oxygen = r == null ? null : r.oxygen();
        i.rescueBreathing = r == null ? null : r.rescueBreathing();
        i.bagValveMask = r == null ? null : r.bagValveMask();
        i.peerNaloxoneBeforeStaff = r == null ? null : r.peerNaloxoneBeforeStaff();
        i.emsCalled = r == null ? null : r.emsCalled();
        i.emsAttended = r == null ? null : r.emsAttended();
        i.policeAttended = r == null ? null : r.policeAttended();
        i.outcome = in.outcome();
        i.flailingInSmallSpace = in.flailingInSmallSpace();
        i.note = in.note();
        i.emptyReasons = in.emptyReasons();
        i.debriefHeld = in.debrief() == null ? null : in.debrief().held();
        i.debriefAt = in.debrief() == null ? null : in.debrief().heldAt();
        i.debriefKind = in.debrief() == null ? null : in.debrief().kind();
    }

    private static Instant micros(Instant instant) {
        return instant == null ? null : instant.truncatedTo(ChronoUnit.MICROS);
    }
}
