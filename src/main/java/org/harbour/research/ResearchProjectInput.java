package org.harbour.research;

import java.time.LocalDate;
import java.util.List;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

@Schema(name = "ResearchProjectInput", description = "A research project approved by the network.")
public record ResearchProjectInput(
        @NotBlank @Size(max = 200) String title,
        @NotBlank @Size(max = 4000) String purpose,
        @Schema(description = "Subjects (sub claim) of network-realm users with the researcher role.")
        @NotEmpty @Size(max = 50) List<@NotBlank @Size(max = 200) String> researchers,
        @Schema(description = "incidents, visits, drug-checks, resiliency, summary.")
        @NotEmpty @Size(max = 5) List<@NotNull @Pattern(regexp = "^(incidents|visits|drug-checks|resiliency|summary)$") String> datasets,
        @Schema(description = "First month the project may extract, e.g. 2025-01.", example = "2025-01")
        @NotNull @Pattern(regexp = "^(\\d{4}-(0[1-9]|1[0-2]))$") String from,
        @Schema(description = "Last month the project may extract, e.g. 2025-12.", example = "2025-12")
        @NotNull @Pattern(regexp = "^(\\d{4}-(0[1-9]|1[0-2]))$") String to,
        @Schema(description = "Every combination of quasi-identifiers occurs at least k times; default 10, never below 5.")
        @Min(5) @Max(1000) Integer k,
        @NotNull LocalDate expiresOn,
        @Schema(description = "Whether files may carry the pseudonymous site (rows of one site can then be linked).")
        Boolean keepSiteIdentity) {
}
