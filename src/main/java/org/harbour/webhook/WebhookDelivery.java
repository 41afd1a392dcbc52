package org.harbour.webhook;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Version;

import org.hibernate.annotations.CreationTimestamp;
import org.hibernate.annotations.TenantId;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

@Entity
public class WebhookDelivery extends PanacheEntityBase {

    public enum Status {
        PENDING, DELIVERED, FAILED
    }

    @Id
    public UUID id;
    @TenantId
    public String orgId;
    public UUID webhookId;
    public String event;
    /** The body sent, exactly: it is what the signature covers. */
    public String payload;
    @Enumerated(EnumType.STRING)
    public Status status;
    public int attempts;
    public Integer lastStatusCode;
    public String lastError;
    public Instant nextAttemptAt;
    @CreationTimestamp
    public Instant createdAt;
    public Instant deliveredAt;
    @Version
    public long version;
}
