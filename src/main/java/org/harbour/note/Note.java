package org.harbour.note;

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

/** A practice note. Its search vector is a stored column the database generates, not mapped here. */
@Entity
public class Note extends PanacheEntityBase {

    @Id
    @GeneratedValue
    @UuidGenerator(style = UuidGenerator.Style.VERSION_7)
    public UUID id;
    @TenantId
    public String orgId;
    public String authorSubject;
    public String title;
    public String body;
    @Enumerated(EnumType.STRING)
    public NoteEnums.Language language;
    @Enumerated(EnumType.STRING)
    public NoteEnums.Theme theme;
    @Enumerated(EnumType.STRING)
    public NoteEnums.Kind kind;
    @JdbcTypeCode(SqlTypes.ARRAY)
    public List<String> tags;
    @Enumerated(EnumType.STRING)
    public NoteEnums.Visibility visibility;
    @CreationTimestamp
    public Instant createdAt;
    @UpdateTimestamp
    public Instant updatedAt;
    @Version
    public long version;
}
