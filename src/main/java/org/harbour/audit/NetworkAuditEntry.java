package org.harbour.audit;

import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.hibernate.annotations.Immutable;


/** One write to the network's registry or taxonomy, as it happened. Never updated: the table refuses it. */
@Entity
@Table(name = "network_audit")
@Immutable
public class NetworkAuditEntry extends AuditRecord {

    public enum Action {
        CREATE, UPDATE, DELETE, SUSPEND, REACTIVATE
    }

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;
    @Enumerated(EnumType.STRING)
    public Action action;
}
