package org.harbour.research;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;

import org.hibernate.annotations.Immutable;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** One thing done with a project: created, suspended, a key rotated, an extract asked for, made or downloaded. */
@Entity
@Immutable
@jakarta.persistence.Table(name = "research_audit")
public class ResearchAuditEntry extends PanacheEntityBase {

    @org.eclipse.microprofile.openapi.annotations.media.Schema(name = "ResearchAuditAction")
    public enum Action {
        PROJECT_CREATED, PROJECT_SUSPENDED, PROJECT_REACTIVATED, KEY_ROTATED, EXTRACT_REQUESTED, EXTRACT_READY, EXTRACT_FAILED,
        DOWNLOADED
    }

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;
    @Column(insertable = false, updatable = false)
    public Instant at;
    public UUID projectId;
    public UUID extractId;
    public String subject;
    @Enumerated(EnumType.STRING)
    public Action action;
    @JdbcTypeCode(SqlTypes.JSON)
    public JsonNode details;
}
