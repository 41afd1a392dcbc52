package org.harbour.drugcheck;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.Id;
import jakarta.persistence.Version;

import org.hibernate.annotations.CreationTimestamp;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.annotations.TenantId;
import org.hibernate.annotations.UpdateTimestamp;
import org.hibernate.annotations.UuidGenerator;
import org.hibernate.type.SqlTypes;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

@Entity
public class DrugCheckSample extends PanacheEntityBase {

    @Id
    @GeneratedValue
    @UuidGenerator(style = UuidGenerator.Style.VERSION_7)
    public UUID id;
    @TenantId
    public String orgId;
    public String externalRef;
    public UUID siteId;
    public Instant takenAt;
    @Enumerated(EnumType.STRING)
    public DrugCheckEnums.Expected expected;
    @Enumerated(EnumType.STRING)
    public DrugCheckEnums.SampleKind sampleKind;
    @JdbcTypeCode(SqlTypes.ARRAY)
    public List<String> methods;
    @JdbcTypeCode(SqlTypes.JSON)
    public List<DrugCheckInput.Result> results;
    /** The substances of concern this sample raised alerts for. */
    @JdbcTypeCode(SqlTypes.ARRAY)
    public List<String> concerns;
    @CreationTimestamp
    public Instant createdAt;
    @UpdateTimestamp
    public Instant updatedAt;
    @Version
    public long version;
}
