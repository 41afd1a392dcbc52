package org.harbour.audit;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.SequenceGenerator;

import org.hibernate.annotations.Immutable;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.annotations.TenantId;
import org.hibernate.type.SqlTypes;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** One write, as it happened. Never updated: the table refuses it. */
@Entity
@Immutable
public class AuditEntry extends PanacheEntityBase {

    public enum Action {
        CREATE, UPDATE, DELETE, CLOSE
    }

    @Id
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "audit_entry_seq")
    @SequenceGenerator(name = "audit_entry_seq", sequenceName = "audit_entry_seq", allocationSize = 50)
    public Long id;
    @TenantId
    public String orgId;
    @Column(insertable = false, updatable = false)
    public Instant at;
    public String subject;
    public String clientId;
    @Enumerated(EnumType.STRING)
    public Action action;
    public String entity;
    public String entityId;
    @JdbcTypeCode(SqlTypes.JSON)
    public JsonNode changes;
    public UUID importId;
}
