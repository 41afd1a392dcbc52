package org.harbour.audit;

import java.util.Iterator;
import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import org.eclipse.microprofile.jwt.JsonWebToken;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.quarkus.security.identity.SecurityIdentity;

/**
 * Appends the audit entry of a write, in the write's own transaction: both commit or neither does.
 * Changes are stored as {field: {from, to}} between the views before and after, so that the entry says
 * what changed, not only that something did.
 */
@ApplicationScoped
public class AuditLog {

    /** Fields every write changes; recording them would say nothing. */
    private static final Set<String> NOISE = Set.of("version", "updatedAt", "createdAt");

    @Inject
    ObjectMapper json;

    @Inject
    CurrentIdentityAssociation identities;

    @Inject
    AuditContext context;

    public record Who(String subject, String clientId) {
    }

    /** Who the current request acts as: the token's subject and the client it was issued to. */
    public Who who() {
        SecurityIdentity identity = identities.getIdentity();
        if (identity == null || identity.isAnonymous()) {
            return new Who(null, null);
        }
        if (identity.getPrincipal() instanceof JsonWebToken token) {
            Object user = token.getClaim("preferred_username");
            return new Who(user != null ? user.toString() : token.getSubject(), token.getClaim("azp"));
        }
        return new Who(identity.getPrincipal().getName(), null);
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void record(AuditEntry.Action action, String entity, Object id, Object before, Object after) {
        AuditEntry entry = new AuditEntry();
        entry.action = action;
        entry.importId = context.importId();
        append(entry, entity, id, before, after);
    }

    /** Appends a write to the network's registry or taxonomy to the network audit, in the write's transaction. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void recordNetwork(NetworkAuditEntry.Action action, String entity, Object id, Object before, Object after) {
        NetworkAuditEntry entry = new NetworkAuditEntry();
        entry.action = action;
        append(entry, entity, id, before, after);
    }

    private void append(AuditRecord entry, String entity, Object id, Object before, Object after) {
        Who who = who();
        entry.subject = who.subject();
        entry.clientId = who.clientId();
        entry.entity = entity;
        entry.entityId = String.valueOf(id);
        entry.changes = changes(before, after);
        entry.persist();
    }

    /** Field by field, what differs between the two views; a create records every field's new value. */
    public JsonNode changes(Object before, Object after) {
        JsonNode from = before == null ? json.createObjectNode() : json.valueToTree(before);
        JsonNode to = after == null ? json.createObjectNode() : json.valueToTree(after);
        ObjectNode changes = json.createObjectNode();
        Iterator<Map.Entry<String, JsonNode>> fields = to.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            JsonNode old = from.get(field.getKey());
            if (!NOISE.contains(field.getKey()) && !field.getValue().equals(old == null ? json.nullNode() : old)) {
                ObjectNode change = changes.putObject(field.getKey());
                change.set("from", old == null ? json.nullNode() : old);
                change.set("to", field.getValue());
            }
        }
        Iterator<String> removed = from.fieldNames();
        while (removed.hasNext()) {
            String name = removed.next();
            if (!to.has(name) && !NOISE.contains(name)) {
                changes.putObject(name).set("from", from.get(name));
            }
        }
        return changes;
    }
}
