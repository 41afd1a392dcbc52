package org.harbour.audit;

import java.time.Instant;
import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.databind.JsonNode;

@Schema(name = "AuditEntry")
public record AuditView(long id, Instant at, String subject, String clientId, AuditEntry.Action action, String entity,
        String entityId,
        @Schema(description = "Field by field: {field: {from, to}}; a create lists every field it set.",
                implementation = Object.class) JsonNode changes,
        @Schema(description = "The bulk import this write came from, if any.") UUID importId) {

    static AuditView of(AuditEntry e) {
        return new AuditView(e.id, e.at, e.subject, e.clientId, e.action, e.entity, e.entityId, e.changes, e.importId);
    }
}
