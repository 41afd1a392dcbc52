package org.harbour.drugcheck;

import java.time.Instant;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

@Schema(name = "NetworkAlert", description = "A substance of concern found in a province in an ISO week: counts only, never a "
        + "person, a site or an organization.")
public record AlertView(@Schema(examples = "NITAZENE") String substance, @Schema(examples = "CA-ON") String province,
        @Schema(examples = "2026-W47") String week, int samples, int sites, Instant firstSeen, Instant lastSeen, long version) {
}
