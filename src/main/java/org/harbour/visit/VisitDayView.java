package org.harbour.visit;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;
import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

@Schema(name = "VisitDay")
public record VisitDayView(UUID siteId, LocalDate date, int visits, Integer uniqueClients, Breakdowns.ByMode byMode,
        Breakdowns.BySubstance bySubstance, Map<String, Integer> servicesProvided, Breakdowns.Referrals referrals,
        Breakdowns.TurnedAway turnedAway, Breakdowns.ByGender byGender, Breakdowns.ByAgeBand byAgeBand, Instant createdAt,
        Instant updatedAt, long version) {

    static VisitDayView of(VisitDay v) {
        return new VisitDayView(v.siteId, v.day, v.visits, v.uniqueClients, v.byMode, v.bySubstance, v.servicesProvided,
                v.referrals, v.turnedAway, v.byGender, v.byAgeBand, v.createdAt, v.updatedAt, v.version);
    }
}
