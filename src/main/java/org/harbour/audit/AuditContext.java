package org.harbour.audit;

import java.util.UUID;

import jakarta.enterprise.context.RequestScoped;

/** What the audit of the current request needs beyond the identity: the bulk import its writes belong to. */
@RequestScoped
public class AuditContext {

    private UUID importId;

    public UUID importId() {
        return importId;
    }

    public void importing(UUID importId) {
        this.importId = importId;
    }
}
