package org.harbour.imports;

import java.util.List;
import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.harbour.web.Problem;

import com.fasterxml.jackson.annotation.JsonInclude;

@Schema(name = "ImportReport", description = "What became of every line: nothing is silently ignored.")
public record ImportReport(
        @Schema(description = "Audit entries of this import carry this id.") UUID importId,
        boolean dryRun,
        boolean atomic,
        @Schema(description = "Whether the writes were kept: false for a dry run, and for an atomic import with a rejected line.")
        boolean committed,
        Counts counts,
        List<Line> lines) {

    @Schema(name = "ImportCounts")
    public record Counts(int created, int updated, int unchanged, int rejected) {
    }

    public enum Status {
        CREATED, UPDATED, UNCHANGED, REJECTED
    }

    @Schema(name = "ImportLine")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Line(@Schema(description = "1-based line (JSON Lines) or element (JSON array) number.") int line,
            @Schema(examples = "incident") String type, Status status,
            @Schema(description = "The record's id, or site/serviceCode, or site/date.") String id,
            List<Problem.FieldError> errors) {
    }
}
