package org.harbour.webhook;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.Id;
import jakarta.persistence.Version;

import org.hibernate.annotations.CreationTimestamp;
import org.hibernate.annotations.TenantId;
import org.hibernate.annotations.UuidGenerator;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

@Entity
public class Webhook extends PanacheEntityBase {

    @Id
    @GeneratedValue
    @UuidGenerator(style = UuidGenerator.Style.VERSION_7)
    public UUID id;
    @TenantId
    public String orgId;
    public String url;
    /** Signs deliveries (HMAC-SHA256); shown once, when the webhook is created. */
    public String secret;
    public String description;
    @CreationTimestamp
    public Instant createdAt;
    @Version
    public long version;
}
