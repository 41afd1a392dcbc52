package org.harbour.research;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

@Schema(name = "ExtractRequest", description = "An extract of one dataset over whole months within the project's window.")
public record ExtractRequest(
        @Schema(description = "incidents, visits, drug-checks, resiliency or summary (one of the project's).")
        @NotNull @Pattern(regexp = "^(incidents|visits|drug-checks|resiliency|summary)$") String dataset,
        @Schema(description = "csv (RFC 4180, with a header) or jsonl; the file is gzip either way.")
        @NotNull @Pattern(regexp = "^(csv|jsonl)$") String format,
        @Schema(example = "2025-01") @NotNull @Pattern(regexp = "^(\\d{4}-(0[1-9]|1[0-2]))$") String from,
        @Schema(example = "2025-12") @NotNull @Pattern(regexp = "^(\\d{4}-(0[1-9]|1[0-2]))$") String to,
        @Schema(description = "The finest period asked for; it may be coarsened to reach k. Default month.")
        @Pattern(regexp = "^(week|month|quarter)$") String grain,
        @Schema(description = "summary only: the dimension of the table's rows.")
        @Pattern(regexp = "^(province|siteKind|period|kind|outcome)$") String rows,
        @Schema(description = "summary only: the dimension of the table's columns.")
        @Pattern(regexp = "^(province|siteKind|period|kind|outcome)$") String columns) {
}
