package org.harbour.research;

import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.List;
import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

@Schema(name = "ResearchProject", description = "A research project. Its secret key is never shown.")
public record ResearchProjectView(UUID id, String title, String purpose, List<String> researchers, List<String> datasets,
        @Schema(example = "2025-01") String from, @Schema(example = "2025-12") String to, int k, LocalDate expiresOn,
        boolean keepSiteIdentity, ResearchProject.Status status,
        @Schema(description = "True once expiresOn has passed: no new extract, no download.") boolean expired,
        Instant keyRotatedAt, Instant createdAt, long version) {

    static ResearchProjectView of(ResearchProject p, LocalDate today) {
        return new ResearchProjectView(p.id, p.title, p.purpose, p.researchers, p.datasets, YearMonth.from(p.fromMonth).toString(),
                YearMonth.from(p.toMonth).toString(), p.k, p.expiresOn, p.keepSiteIdentity, p.status, p.expired(today),
                p.keyRotatedAt, p.createdAt, p.version);
    }
}
