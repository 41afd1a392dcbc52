package org.harbour.tenancy;

import java.time.Instant;
import java.util.List;

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

/** A member organization: the tenant. Its slug is its id everywhere (org_id) and never changes. */
@Entity
public class Organization extends PanacheEntityBase {

    @Id
    public String slug;
    public String legalNameEn;
    public String legalNameFr;
    @JdbcTypeCode(SqlTypes.ARRAY)
    public List<String> provinces;
    public String issuer;
    public String audience;
    @Enumerated(EnumType.STRING)
    public OrganizationStatus status;
    @CreationTimestamp
    public Instant createdAt;
    @UpdateTimestamp
    public Instant updatedAt;
    @Version
    public long version;
}
