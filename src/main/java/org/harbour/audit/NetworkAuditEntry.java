package org.harbour.audit;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.hibernate.annotations.Immutable;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** One write to the network's registry or taxonomy, as it happened. Never updated: the table refuses it. */
@Entity
@Table(name = "network_audit")
@Immutable
public class NetworkAuditEntry extends PanacheEntityBase {

    public enum Action {
        CREATE, UPDATE, DELETE, SUSPEND, REACTIVATE
    }

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;
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
}
