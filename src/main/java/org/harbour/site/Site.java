package org.harbour.site;

import java.time.Instant;
import java.time.LocalDate;
import java.util.UUID;

import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.Id;
import jakarta.persistence.Version;

import org.hibernate.annotations.CreationTimestamp;
import org.hibernate.annotations.TenantId;
import org.hibernate.annotations.UpdateTimestamp;
import org.hibernate.annotations.UuidGenerator;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

@Entity
public class Site extends PanacheEntityBase {

    /** Time-ordered, so that keyset pages come in creation order. */
    @Id
    @GeneratedValue
    @UuidGenerator(style = UuidGenerator.Style.VERSION_7)
    public UUID id;
    @TenantId
    public String orgId;
    public String externalRef;
    public String name;
    @Enumerated(EnumType.STRING)
    public SiteKind kind;
    @Enumerated(EnumType.STRING)
    public SiteModel model;
    public String address;
    public String city;
    public String province;
    public String healthRegion;
    public String timeZone;
    public Integer booths;
    public LocalDate openedOn;
    public LocalDate closedOn;
    @Enumerated(EnumType.STRING)
    public SiteStatus status;
    public String exemptionNumber;
    public LocalDate exemptionIssuedOn;
    public LocalDate exemptionExpiresOn;
    @CreationTimestamp
    public Instant createdAt;
    @UpdateTimestamp
    public Instant updatedAt;
    @Version
    public long version;
}
