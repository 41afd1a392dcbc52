package org.harbour.visit;

import java.util.Map;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

@Schema(name = "VisitDayInput", description = "A site's figures for one local date. Posting the date again replaces them.")
public record VisitDayInput(
        @NotNull @PositiveOrZero @Schema(examples = "84") Integer visits,
        @PositiveOrZero @Schema(description = "Distinct people that day: never summed across days or sites by the API.",
                examples = "51") Integer uniqueClients,
        @Valid Breakdowns.ByMode byMode,
        @Valid Breakdowns.BySubstance bySubstance,
        @Schema(description = "On-site services provided that day, by taxonomy code (at most 100 codes).")
        @Size(max = 100) Map<@Size(max = 60) String, @NotNull @PositiveOrZero Integer> servicesProvided,
        @Valid Breakdowns.Referrals referrals,
        @Valid Breakdowns.TurnedAway turnedAway,
        @Valid Breakdowns.ByGender byGender,
        @Valid Breakdowns.ByAgeBand byAgeBand) {
}
