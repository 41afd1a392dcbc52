package org.harbour.audit;

import java.time.Instant;
import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.transaction.Transactional;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.harbour.tenancy.Roles;
import org.harbour.web.Cursors;
import org.harbour.web.Page;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.panache.common.Sort;

@Path("/v1/admin/audit")
@Tag(name = "Audit")
@Produces(MediaType.APPLICATION_JSON)
public class NetworkAuditResource {

    @Schema(name = "NetworkAuditEntry")
    public record NetworkAuditView(long id, Instant at, String subject, String clientId, NetworkAuditEntry.Action action,
            @Schema(description = "organization or service", examples = "organization") String entity,
            @Schema(description = "The organization's slug or the service's code.") String entityId,
            @Schema(description = "Field by field: {field: {from, to}}; a create lists every field it set.",
                    implementation = Object.class) JsonNode changes) {

        static NetworkAuditView of(NetworkAuditEntry e) {
            return new NetworkAuditView(e.id, e.at, e.subject, e.clientId, e.action, e.entity, e.entityId, e.changes);
        }
    }

    @Schema(name = "NetworkAuditPage")
    public record NetworkAuditPage(List<NetworkAuditView> items, String nextCursor) {
    }

    @GET
    @RolesAllowed(Roles.NETWORK_ADMIN)
    @Transactional
    @Operation(operationId = "listNetworkAudit", summary = "Read the network audit trail (registry and taxonomy), newest first",
            description = "Network-admin only: every change to the organization registry and the service taxonomy, by whom and "
                    + "when. Filter by entity (organization or service), entityId (slug or code) and since (inclusive); paged by "
                    + "limit (max 200) and cursor, with a Link rel=\"next\" header.")
    @APIResponse(responseCode = "200", description = "A page of network audit entries",
            content = @Content(schema = @Schema(implementation = NetworkAuditPage.class)))
    public Response list(@QueryParam("entity") String entity, @QueryParam("entityId") String entityId,
            @QueryParam("since") Instant since,
            @QueryParam("limit") @DefaultValue("50") @Min(1) @Max(Cursors.MAX_LIMIT) int limit,
            @QueryParam("cursor") String cursor, @Context UriInfo uri) {
        AuditRecord.Filter filter = AuditRecord.Filter.of(entity, entityId, since, cursor);
        List<NetworkAuditEntry> rows = NetworkAuditEntry.<NetworkAuditEntry> find(filter.query(), Sort.descending("id"), filter.params()).range(0, limit).list();
        return Page.of(rows, limit, NetworkAuditView::of, e -> e.id.toString()).toResponse(uri);
    }
}
