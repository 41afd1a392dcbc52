package org.harbour.research;

import java.time.Instant;
import java.time.LocalDate;
import java.util.UUID;

import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** An extract job and, once READY, the figures of its file. */
@Entity
@Table(name = "research_extract")
public class Extract extends PanacheEntityBase {

    @org.eclipse.microprofile.openapi.annotations.media.Schema(name = "ExtractStatus")
    public enum Status {
        QUEUED, RUNNING, READY, FAILED
    }

    @Id
    public UUID id;
    public UUID projectId;
    public String requestedBy;
    public String dataset;
    public String format;
    public LocalDate fromMonth;
    public LocalDate toMonth;
    public String grain;
    public String summaryRows;
    public String summaryColumns;
    @Enumerated(EnumType.STRING)
    public Status status;
    public String reason;
    public int attempts;
    public String claimedBy;
    public Instant heartbeatAt;
    public Long expectedRows;
    public long progressRows;
    public Long rows;
    public Long suppressedRows;
    public Long suppressedCells;
    @JdbcTypeCode(SqlTypes.JSON)
    public JsonNode generalizations;
    @JdbcTypeCode(SqlTypes.ARRAY)
    public java.util.List<String> header;
    public String sha256;
    public Long bytes;
    public Instant requestedAt;
    public Instant startedAt;
    public Instant finishedAt;
}
