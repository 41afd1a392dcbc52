package org.harbour.visit;

import java.io.Serializable;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;
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

@Entity
@IdClass(VisitDay.Key.class)
public class VisitDay extends PanacheEntityBase {

    public record Key(UUID siteId, LocalDate day) implements Serializable {
        public Key() {
            this(null, null);
        }
    }

    @Id
    public UUID siteId;
    @Id
    public LocalDate day;
    @TenantId
    public String orgId;
    public int visits;
    public Integer uniqueClients;
    @JdbcTypeCode(SqlTypes.JSON)
    public Breakdowns.ByMode byMode;
    @JdbcTypeCode(SqlTypes.JSON)
    public Breakdowns.BySubstance bySubstance;
    @JdbcTypeCode(SqlTypes.JSON)
    public Map<String, Integer> servicesProvided;
    @JdbcTypeCode(SqlTypes.JSON)
    public Breakdowns.Referrals referrals;
    @JdbcTypeCode(SqlTypes.JSON)
    public Breakdowns.TurnedAway turnedAway;
    @JdbcTypeCode(SqlTypes.JSON)
    public Breakdowns.ByGender byGender;
    @JdbcTypeCode(SqlTypes.JSON)
    public Breakdowns.ByAgeBand byAgeBand;
    @CreationTimestamp
    public Instant createdAt;
    @UpdateTimestamp
    public Instant updatedAt;
    @Version
    public long version;

    VisitDayInput figures() {
        return new VisitDayInput(visits, uniqueClients, byMode, bySubstance, servicesProvided, referrals, turnedAway, byGender,
                byAgeBand);
    }

    void set(VisitDayInput in) {
        visits = in.visits();
        uniqueClients = in.uniqueClients();
        byMode = in.byMode();
        bySubstance = in.bySubstance();
        servicesProvided = in.servicesProvided();
        referrals = in.referrals();
        turnedAway = in.turnedAway();
        byGender = in.byGender();
        byAgeBand = in.byAgeBand();
    }
}
