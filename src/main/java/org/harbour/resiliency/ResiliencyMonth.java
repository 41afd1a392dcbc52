package org.harbour.resiliency;

import java.io.Serializable;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

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

@Entity
@IdClass(ResiliencyMonth.Key.class)
public class ResiliencyMonth extends PanacheEntityBase {

    public record Key(String team, LocalDate month) implements Serializable {
        public Key() {
            this(null, null);
        }
    }

    @Id
    public String team;
    @Id
    public LocalDate month;
    @TenantId
    public String orgId;
    @JdbcTypeCode(SqlTypes.JSON)
    public List<ResiliencyInput.Training> trainings;
    @JdbcTypeCode(SqlTypes.JSON)
    public ResiliencyInput.Pulse pulse;
    @CreationTimestamp
    public Instant createdAt;
    @UpdateTimestamp
    public Instant updatedAt;
    @Version
    public long version;
}
