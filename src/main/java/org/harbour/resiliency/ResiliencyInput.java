package org.harbour.resiliency;

import java.math.BigDecimal;
import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

@Schema(name = "ResiliencyMonthInput", description = "A team's month: trainings and drills held, and the wellbeing pulse.")
public record ResiliencyInput(
        @NotNull @Size(max = 20) List<@Valid @NotNull Training> trainings,
        @Valid Pulse pulse) {

    public enum TrainingKind {
        OVERDOSE_RESPONSE_DRILL, TRAUMA_INFORMED_PRACTICE, RESILIENCY_SELF_CARE, GRIEF, PEER_SUPPORT
    }

    @Schema(name = "Training")
    public record Training(@NotNull TrainingKind kind, @NotNull @Min(1) Integer sessions, @NotNull @PositiveOrZero Integer attendees) {
    }

    @Schema(name = "WellbeingPulse", description = "Means of the team's anonymous survey on the ProQOL 5 subscale range, 10 (low) "
            + "to 50 (high): compassion satisfaction (higher is better), burnout and secondary traumatic stress (lower is better). "
            + "Fewer than 5 respondents is refused: so few answers could identify someone.")
    public record Pulse(
            @NotNull @Schema(description = "At least 5.") Integer respondents,
            @NotNull @DecimalMin("10") @DecimalMax("50") BigDecimal compassionSatisfaction,
            @NotNull @DecimalMin("10") @DecimalMax("50") BigDecimal burnout,
            @NotNull @DecimalMin("10") @DecimalMax("50") BigDecimal secondaryTraumaticStress) {
    }
}
