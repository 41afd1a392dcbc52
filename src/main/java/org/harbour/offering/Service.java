package org.harbour.offering;

import java.time.Instant;

import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;

import org.hibernate.annotations.CreationTimestamp;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** A code of the network's service taxonomy. Network-wide: not a tenant entity. */
@Entity
public class Service extends PanacheEntityBase {

    @Id
    public String code;
    @Enumerated(EnumType.STRING)
    public ServiceCategory category;
    @Enumerated(EnumType.STRING)
    public CheckingMethod method;
    public String nameEn;
    public String nameFr;
    @CreationTimestamp
    public Instant createdAt;
}
