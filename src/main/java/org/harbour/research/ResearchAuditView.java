package org.harbour.research;

import java.time.Instant;
import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.databind.JsonNode;

@Schema(name = "ResearchAuditEntry")
@com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
public record ResearchAuditView(long id, Instant at, UUID projectId, UUID extractId, String subject,
        ResearchAuditEntry.Action action,
        @Schema(description = "Parameters, rows, suppressed rows and cells, generalizations, sha256, as the action has them.",
                implementation = Object.class) JsonNode details) {

    static ResearchAuditView of(ResearchAuditEntry e) {
        return new ResearchAuditView(e.id, e.at, e.projectId, e.extractId, e.subject, e.action, e.details);
    }
}
