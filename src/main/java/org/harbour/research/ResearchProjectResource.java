package org.harbour.research;

import java.net.URI;
import java.util.List;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
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
import org.harbour.web.ETags;

@Path("/v1/admin/research-projects")
@Tag(name = "Research projects", description = "Approving research projects and reading their audit (network-admin).")
@RolesAllowed(Roles.NETWORK_ADMIN)
@Produces(MediaType.APPLICATION_JSON)
public class ResearchProjectResource {

    @Schema(name = "ResearchProjectPage")
    public record ResearchProjectPage(List<ResearchProjectView> items, String nextCursor) {
    }

    @Schema(name = "ResearchAuditPage")
    public record ResearchAuditPage(List<ResearchAuditView> items, String nextCursor) {
    }

    @Inject
    ResearchProjects projects;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "createResearchProject", summary = "Approve a research project",
            description = "The project gets a secret key of its own for its pseudonyms, stored encrypted and never shown.")
    @APIResponse(responseCode = "201", description = "Created",
            content = @Content(schema = @Schema(implementation = ResearchProjectView.class)))
    public Response create(@Valid @NotNull ResearchProjectInput input, @Context UriInfo uri) {
        ResearchProjectView created = projects.create(input);
        return Response.created(URI.create(uri.getPath() + "/" + created.id())).tag(ETags.of(created.version()))
                .entity(created).build();
    }

    @GET
    @Operation(operationId = "listResearchProjects", summary = "List research projects",
            description = "Every research project, active, suspended or expired, ordered by id. Paged by limit (max 200) and "
                    + "cursor, with a Link rel=\"next\" header when there are more.")
    @APIResponse(responseCode = "200", description = "A page of projects; Link rel=\"next\" when there are more",
            content = @Content(schema = @Schema(implementation = ResearchProjectPage.class)))
    public Response list(@QueryParam("limit") @DefaultValue("50") @Min(1) @Max(Cursors.MAX_LIMIT) int limit,
            @QueryParam("cursor") String cursor, @Context UriInfo uri) {
        return projects.list(limit, cursor).toResponse(uri);
    }

    @GET
    @Path("/{id}")
    @Operation(operationId = "getResearchProject", summary = "Read a research project",
            description = "Its researchers, approved datasets, window, k, expiry, status and whether it has expired; never its "
                    + "secret key. An unknown id is 404.")
    @APIResponse(responseCode = "200", description = "The project",
            content = @Content(schema = @Schema(implementation = ResearchProjectView.class)))
    public Response get(@PathParam("id") UUID id) {
        ResearchProjectView p = projects.get(id);
        return Response.ok(p).tag(ETags.of(p.version())).build();
    }

    @POST
    @Path("/{id}/suspend")
    @Operation(operationId = "suspendResearchProject", summary = "Suspend a research project",
            description = "No new extract and no download from this moment until it is reactivated.")
    @APIResponse(responseCode = "200", description = "Suspended",
            content = @Content(schema = @Schema(implementation = ResearchProjectView.class)))
    public ResearchProjectView suspend(@PathParam("id") UUID id) {
        return projects.setStatus(id, ResearchProject.Status.SUSPENDED);
    }

    @POST
    @Path("/{id}/reactivate")
    @Operation(operationId = "reactivateResearchProject", summary = "Reactivate a suspended research project",
            description = "Sets its status back to ACTIVE: its researchers may ask for extracts and download files again, unless "
                    + "it has expired (still 403). Recorded in the project's audit; an active project is returned unchanged.")
    @APIResponse(responseCode = "200", description = "Active again",
            content = @Content(schema = @Schema(implementation = ResearchProjectView.class)))
    public ResearchProjectView reactivate(@PathParam("id") UUID id) {
        return projects.setStatus(id, ResearchProject.Status.ACTIVE);
    }

    @POST
    @Path("/{id}/rotate-key")
    @Operation(operationId = "rotateResearchProjectKey", summary = "Give a project a new secret key",
            description = "Every pseudonym in the project's later extracts changes; files already made keep the old ones.")
    @APIResponse(responseCode = "200", description = "Rotated",
            content = @Content(schema = @Schema(implementation = ResearchProjectView.class)))
    public ResearchProjectView rotateKey(@PathParam("id") UUID id) {
        return projects.rotateKey(id);
    }

    @GET
    @Path("/{id}/audit")
    @Operation(operationId = "listResearchAudit", summary = "Read a project's audit, newest first",
            description = "Every extract asked for, made, failed and downloaded, by whom and when, with its figures.")
    @APIResponse(responseCode = "200", description = "A page of audit entries",
            content = @Content(schema = @Schema(implementation = ResearchAuditPage.class)))
    public Response audit(@PathParam("id") UUID id, @QueryParam("limit") @DefaultValue("50") @Min(1) @Max(Cursors.MAX_LIMIT) int limit,
            @QueryParam("cursor") String cursor, @Context UriInfo uri) {
        return projects.audit(id, limit, cursor).toResponse(uri);
    }
}
