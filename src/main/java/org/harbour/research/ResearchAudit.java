package org.harbour.research;

import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import com.fasterxml.jackson.databind.ObjectMapper;

/** Appends to the research audit in the caller's transaction: what it records happened, or neither did. */
@ApplicationScoped
public class ResearchAudit {

    @Inject
    ObjectMapper json;

    @Transactional(Transactional.TxType.MANDATORY)
    public void record(UUID projectId, UUID extractId, String subject, ResearchAuditEntry.Action action, Object details) {
        ResearchAuditEntry entry = new ResearchAuditEntry();
        entry.projectId = projectId;
        entry.extractId = extractId;
        entry.subject = subject;
        entry.action = action;
        entry.details = json.valueToTree(details == null ? java.util.Map.of() : details);
        entry.persist();
    }
}
