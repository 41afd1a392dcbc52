package org.harbour.research;

import java.time.Instant;
import java.time.YearMonth;
import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;

@Schema(name = "Extract", description = "An extract job; figures of the file once READY.")
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ExtractView(UUID id, UUID projectId, String dataset, String format, String from, String to, String grain,
        @Schema(description = "summary only: the dimension of the rows.") String summaryRows,
        @Schema(description = "summary only: the dimension of the columns.") String summaryColumns, Extract.Status status,
        @Schema(description = "Why it FAILED, in English or French.") String reason, Progress progress,
        @Schema(description = "Rows in the file.") Long rows,
        @Schema(description = "Rows left out because their combination of quasi-identifiers occurred fewer than k times.")
        Long suppressedRows,
        @Schema(description = "Cells left empty: counts under k and, in summary tables, the cells suppressed with them.")
        Long suppressedCells,
        @Schema(description = "How each quasi-identifier was generalized, e.g. {\"period\": \"quarter\", \"siteKind\": \"group\"}.",
                implementation = Object.class) JsonNode generalizations,
        @Schema(description = "SHA-256 of the gzip file, hex.") String sha256,
        @Schema(description = "Size of the gzip file.") Long bytes, Instant requestedAt, Instant finishedAt) {

    @Schema(name = "ExtractProgress")
    public record Progress(@Schema(description = "0 to 100.") int percent, @Schema(description = "Rows written so far.") long rows) {
    }
}
