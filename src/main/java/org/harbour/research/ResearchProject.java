package org.harbour.research;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Version;

import org.hibernate.annotations.CreationTimestamp;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.annotations.UpdateTimestamp;
import org.hibernate.type.SqlTypes;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** A research project approved by the network: who may ask for what, until when, with which k. */
@Entity
public class ResearchProject extends PanacheEntityBase {

    @org.eclipse.microprofile.openapi.annotations.media.Schema(name = "ResearchProjectStatus")
    public enum Status {
        ACTIVE, SUSPENDED
    }

    @Id
    public UUID id;
    public String title;
    public String purpose;
    @JdbcTypeCode(SqlTypes.ARRAY)
    public List<String> researchers;
    @JdbcTypeCode(SqlTypes.ARRAY)
    public List<String> datasets;
    public LocalDate fromMonth;
    public LocalDate toMonth;
    public int k;
    public LocalDate expiresOn;
    public boolean keepSiteIdentity;
    @Enumerated(EnumType.STRING)
    public Status status;
    public byte[] keyCiphertext;
    public Instant keyRotatedAt;
    @CreationTimestamp
    public Instant createdAt;
    @UpdateTimestamp
    public Instant updatedAt;
    @Version
    public long version;

    boolean expired(LocalDate today) {
        return expiresOn.isBefore(today);
    }
}
