package org.harbour.audit;

import java.util.UUID;

import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.SequenceGenerator;

import org.hibernate.annotations.Immutable;
import org.hibernate.annotations.TenantId;

/** One write, as it happened. Never updated: the table refuses it. */
@Entity
@Immutable
public class AuditEntry extends AuditRecord {

    public enum Action {
        CREATE, UPDATE, DELETE, CLOSE
    }

    @Id
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "audit_entry_seq")
    @SequenceGenerator(name = "audit_entry_seq", sequenceName = "audit_entry_seq", allocationSize = 50)
    public Long id;
    @TenantId
    public String orgId;
    @Enumerated(EnumType.STRING)
    public Action action;
    public UUID importId;
}
