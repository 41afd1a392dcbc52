package org.harbour.visit;

import java.util.stream.IntStream;

import jakarta.validation.constraints.PositiveOrZero;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The breakdowns of a day's visits. Absent fields are not reported; zero is a reported zero. */
public final class Breakdowns {

    private Breakdowns() {
    }

    static int sum(Integer... counts) {
        return IntStream.range(0, counts.length).map(i -> counts[i] == null ? 0 : counts[i]).sum();
    }

    static int max(Integer... counts) {
        return IntStream.range(0, counts.length).map(i -> counts[i] == null ? 0 : counts[i]).max().orElse(0);
    }

    @Schema(name = "VisitsByMode", description = "One mode per visit: the parts never add up to more than the visits.")
    public record ByMode(@PositiveOrZero Integer injection, @PositiveOrZero Integer inhalation,
            @PositiveOrZero Integer intranasal, @PositiveOrZero Integer oral) {
        int total() {
            return sum(injection, inhalation, intranasal, oral);
        }
    }

    @Schema(name = "VisitsBySubstance", description = "A visit may report several substances: each count is at most the visits.")
    public record BySubstance(@PositiveOrZero Integer fentanyl, @PositiveOrZero Integer otherOpioid,
            @PositiveOrZero Integer methamphetamine, @PositiveOrZero Integer cocaine, @PositiveOrZero Integer otherStimulant,
            @PositiveOrZero Integer benzodiazepine, @PositiveOrZero Integer other) {
        int largest() {
            return max(fentanyl, otherOpioid, methamphetamine, cocaine, otherStimulant, benzodiazepine, other);
        }
    }

    @Schema(name = "Referrals")
    public record Referrals(@PositiveOrZero Integer treatment, @PositiveOrZero Integer housing,
            @PositiveOrZero Integer healthCare, @PositiveOrZero Integer socialServices) {
    }

    @Schema(name = "TurnedAway", description = "People turned away, and why; they are not counted in visits.")
    public record TurnedAway(@PositiveOrZero Integer full,
            @Schema(description = "Unable to self-inject where assistance is not allowed.") @PositiveOrZero Integer unableToSelfInject,
            @PositiveOrZero Integer youth) {
    }

    @Schema(name = "VisitsByGender", description = "Optional; the parts never add up to more than the visits.")
    public record ByGender(@PositiveOrZero Integer woman, @PositiveOrZero Integer man, @PositiveOrZero Integer nonBinary,
            @PositiveOrZero Integer notStated) {
        int total() {
            return sum(woman, man, nonBinary, notStated);
        }
    }

    @Schema(name = "VisitsByAgeBand", description = "Optional; the parts never add up to more than the visits.")
    public record ByAgeBand(@PositiveOrZero Integer under19, @PositiveOrZero Integer from19To29,
            @PositiveOrZero Integer from30To39, @PositiveOrZero Integer from40To49, @PositiveOrZero Integer from50To59,
            @PositiveOrZero Integer from60, @PositiveOrZero Integer notStated) {
        int total() {
            return sum(under19, from19To29, from30To39, from40To49, from50To59, from60, notStated);
        }
    }
}
