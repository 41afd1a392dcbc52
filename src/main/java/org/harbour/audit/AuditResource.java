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
import jakarta.ws.rs.PathParam;
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

import io.quarkus.panache.common.Sort;

@Path("/v1/orgs/{org}/audit")
@Tag(name = "Audit", description = "Who changed what in the organization's data: append-only, readable by org-admin.")
@Produces(MediaType.APPLICATION_JSON)
public class AuditResource {

    @Schema(name = "AuditPage")
    public record AuditPage(List<AuditView> items, String nextCursor) {
    }

    @GET
    @RolesAllowed(Roles.ORG_ADMIN)
    @Transactional
    @Operation(operationId = "listAudit", summary = "Read the organization's audit trail, newest first",
            description = "Org-admin only: who changed what in the organization's data (sites, notes, visit days...), newest "
                    + "first. Filter by entity, entityId and since (inclusive); paged by limit (max 200) and cursor, with a Link "
                    + "rel=\"next\" header when there are more.")
    @APIResponse(responseCode = "200", description = "A page of audit entries",
            content = @Content(schema = @Schema(implementation = AuditPage.class)))
    public Response list(@PathParam("org") String org, @QueryParam("entity") String entity,
            @QueryParam("entityId") String entityId, @QueryParam("since") Instant since,
            @QueryParam("limit") @DefaultValue("50") @Min(1) @Max(Cursors.MAX_LIMIT) int limit,
            @QueryParam("cursor") String cursor, @Context UriInfo uri) {
        AuditRecord.Filter filter = AuditRecord.Filter.of(entity, entityId, since, cursor);
        List<AuditEntry> rows = AuditEntry.<AuditEntry> find(filter.query(), Sort.descending("id"), filter.params()).range(0, limit).list();
        return Page.of(rows, limit, AuditView::of, e -> e.id.toString()).toResponse(uri);
    }

}
