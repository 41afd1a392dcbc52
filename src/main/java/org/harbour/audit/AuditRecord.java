package org.harbour.audit;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import jakarta.persistence.Column;
import jakarta.persistence.MappedSuperclass;

import org.harbour.web.Cursors;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** What every audit trail records of a write (an organization's, the network's), and how its readers filter it. */
@MappedSuperclass
public abstract class AuditRecord extends PanacheEntityBase {

    @Column(insertable = false, updatable = false)
    public Instant at;
    public String subject;
    public String clientId;
    public String entity;
    public String entityId;
    @JdbcTypeCode(SqlTypes.JSON)
    public JsonNode changes;

    /** A filter of a trail, newest first by id, as a Panache query and its parameters. */
    record Filter(String query, Map<String, Object> params) {

        static Filter of(String entity, String entityId, Instant since, String cursor) {
            StringBuilder query = new StringBuilder("1 = 1");
            Map<String, Object> params = new HashMap<>();
            if (entity != null) {
                query.append(" and entity = :entity");
                params.put("entity", entity);
            }
            if (entityId != null) {
                query.append(" and entityId = :entityId");
                params.put("entityId", entityId);
            }
            if (since != null) {
                query.append(" and at >= :since");
                params.put("since", since);
            }
            if (cursor != null) {
                query.append(" and id < :before");
                params.put("before", Cursors.decode(cursor, Long::valueOf));
            }
            return new Filter(query.toString(), params);
        }
    }
}
