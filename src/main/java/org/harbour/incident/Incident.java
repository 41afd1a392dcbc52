package org.harbour.incident;

import java.time.Instant;
import java.util.List;
import java.util.Map;
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
public class Incident extends PanacheEntityBase {

    @Id
    @GeneratedValue
    @UuidGenerator(style = UuidGenerator.Style.VERSION_7)
    public UUID id;
    @TenantId
    public String orgId;
    public String externalRef;
    public UUID siteId;
    public Instant occurredAt;
    @Enumerated(EnumType.STRING)
    public IncidentEnums.Location location;
    @Enumerated(EnumType.STRING)
    public IncidentEnums.Kind kind;
    @JdbcTypeCode(SqlTypes.ARRAY)
    public List<String> substances;
    @Enumerated(EnumType.STRING)
    public IncidentEnums.Mode mode;
    public Integer naloxoneDoses;
    @Enumerated(EnumType.STRING)
    public IncidentEnums.NaloxoneRoute naloxoneRoute;
    public Boolean oxygen;
    public Boolean rescueBreathing;
    public Boolean bagValveMask;
    public Boolean peerNaloxoneBeforeStaff;
    public Boolean emsCalled;
    public Boolean emsAttended;
    public Boolean policeAttended;
    @Enumerated(EnumType.STRING)
    public IncidentEnums.Outcome outcome;
    public Boolean flailingInSmallSpace;
    public String note;
    @JdbcTypeCode(SqlTypes.JSON)
    public Map<String, IncidentEnums.EmptyReason> emptyReasons;
    public Boolean debriefHeld;
    public Instant debriefAt;
    @Enumerated(EnumType.STRING)
    public IncidentEnums.DebriefKind debriefKind;
    public String correctionReason;
    @CreationTimestamp
    public Instant createdAt;
    @UpdateTimestamp
    public Instant updatedAt;
    @Version
    public long version;
}
