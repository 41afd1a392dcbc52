package org.harbour.drugcheck;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.harbour.offering.CheckingMethod;

@Schema(name = "DrugCheckInput", description = "A drug-checking sample and its results. Nothing here identifies the person.")
public record DrugCheckInput(
        @Size(min = 1, max = 100) @Pattern(regexp = "\\p{Graph}[\\p{Graph} ]*", message = "{harbour.external-ref}")
        @Schema(description = "The organization's own reference: posting it again returns the stored sample (200).") String externalRef,
        @NotNull UUID siteId,
        @NotNull Instant takenAt,
        @NotNull DrugCheckEnums.Expected expected,
        @NotNull DrugCheckEnums.SampleKind sampleKind,
        @NotEmpty @Size(max = 20) Set<@NotNull CheckingMethod> methods,
        @NotNull @Size(max = 50) List<@Valid @NotNull Result> results) {

    @Schema(name = "DrugCheckResult", description = "One substance found by one method: abundance or percentage where known; "
            + "for test strips, the strip's reading.")
    public record Result(
            @NotNull DrugCheckEnums.Substance substance,
            @NotNull CheckingMethod method,
            DrugCheckEnums.Abundance abundance,
            @DecimalMin("0") @DecimalMax("100") BigDecimal percentage,
            DrugCheckEnums.StripResult stripResult) {
    }
}
