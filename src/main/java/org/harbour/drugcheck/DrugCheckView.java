package org.harbour.drugcheck;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

@Schema(name = "DrugCheck")
public record DrugCheckView(UUID id, String externalRef, UUID siteId, Instant takenAt, DrugCheckEnums.Expected expected,
        DrugCheckEnums.SampleKind sampleKind, List<String> methods, List<DrugCheckInput.Result> results,
        @Schema(description = "Substances of concern found: each raised or updated a network alert.") List<String> concerns,
        Instant createdAt, long version) {

    static DrugCheckView of(DrugCheckSample s) {
        return new DrugCheckView(s.id, s.externalRef, s.siteId, s.takenAt, s.expected, s.sampleKind, s.methods, s.results,
                s.concerns, s.createdAt, s.version);
    }
}
