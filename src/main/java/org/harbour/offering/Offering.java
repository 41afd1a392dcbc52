package org.harbour.offering;

import java.io.Serializable;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Version;

import org.hibernate.annotations.CreationTimestamp;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.annotations.TenantId;
import org.hibernate.annotations.UpdateTimestamp;
import org.hibernate.type.SqlTypes;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** A service a site offers, with its weekly schedule. */
@Entity
@IdClass(Offering.Key.class)
public class Offering extends PanacheEntityBase {

    public record Key(UUID siteId, String serviceCode) implements Serializable {
        public Key() {
            this(null, null);
        }
    }

    @Id
    public UUID siteId;
    @Id
    public String serviceCode;
    @TenantId
    public String orgId;
    @JdbcTypeCode(SqlTypes.JSON)
    public List<ScheduleSlot> schedule;
    public String notes;
    @CreationTimestamp
    public Instant createdAt;
    @UpdateTimestamp
    public Instant updatedAt;
    @Version
    public long version;
}
