package org.harbour.tenancy;

import java.net.URI;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.harbour.web.Cursors;
import org.harbour.web.ETags;
import org.harbour.web.Params;

@Path("/v1/admin/organizations")
@Tag(name = "Organizations", description = "The organization registry: onboarding member organizations and their identity providers (network-admin).")
@RolesAllowed(Roles.NETWORK_ADMIN)
@Produces(MediaType.APPLICATION_JSON)
public class OrganizationResource {

    /** The shape of a page of organizations, for the contract. */
    @Schema(name = "OrganizationPage")
    public record OrganizationPage(java.util.List<OrganizationView> items, String nextCursor) {
    }

    @Inject
    OrganizationService organizations;

    /** Evicted here, after the service's transaction has committed, so that no reader caches the old entry. */
    @Inject
    OrganizationRegistry registry;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "createOrganization", summary = "Onboard an organization",
            description = "Its tokens are accepted as soon as this returns: no restart.")
    @APIResponse(responseCode = "201", description = "Created", content = @Content(schema = @Schema(implementation = OrganizationView.class)))
    public Response create(@Valid @NotNull OrganizationInput input, @Context UriInfo uri) {
        OrganizationView created = organizations.create(input);
        registry.evict(created.slug());
        return Response.created(URI.create(uri.getPath() + "/" + created.slug())).tag(ETags.of(created.version()))
                .entity(created).build();
    }

    @GET
    @Operation(operationId = "listOrganizations", summary = "List organizations, by slug",
            description = "Every organization in the registry, ordered by slug, optionally filtered by status (ACTIVE or "
                    + "SUSPENDED). Paged by limit (max 200) and cursor, with a Link rel=\"next\" header when there are more.")
    @APIResponse(responseCode = "200", description = "A page of organizations; Link rel=\"next\" when there are more",
            content = @Content(schema = @Schema(implementation = OrganizationPage.class)))
    public Response list(
            @QueryParam("status") @Parameter(schema = @Schema(implementation = OrganizationStatus.class)) String status,
            @QueryParam("limit") @DefaultValue("50") @Min(1) @Max(Cursors.MAX_LIMIT) int limit,
            @QueryParam("cursor") String cursor, @Context UriInfo uri) {
        return organizations.list(Params.enumValue(OrganizationStatus.class, status, "status"), limit, cursor)
                .toResponse(uri);
    }

    @GET
    @Path("/{slug}")
    @Operation(operationId = "getOrganization", summary = "Read an organization",
            description = "The registry entry of this slug (404 if none), with its version as ETag: send it as If-Match when you "
                    + "update it.")
    @APIResponse(responseCode = "200", description = "The organization", content = @Content(schema = @Schema(implementation = OrganizationView.class)))
    public Response get(@PathParam("slug") String slug) {
        OrganizationView org = organizations.get(slug);
        return Response.ok(org).tag(ETags.of(org.version())).build();
    }

    @PUT
    @Consumes(MediaType.APPLICATION_JSON)
    @Path("/{slug}")
    @Operation(operationId = "updateOrganization", summary = "Replace an organization's registry entry",
            description = "The slug cannot change. Send If-Match with the ETag you read to avoid overwriting a concurrent change.")
    @APIResponse(responseCode = "200", description = "Updated", content = @Content(schema = @Schema(implementation = OrganizationView.class)))
    public Response update(@PathParam("slug") String slug, @HeaderParam("If-Match") String ifMatch,
            @Valid @NotNull OrganizationInput input) {
        OrganizationView org = organizations.update(slug, input, ifMatch);
        registry.evict(slug);
        return Response.ok(org).tag(ETags.of(org.version())).build();
    }

    @POST
    @Path("/{slug}/suspend")
    @Operation(operationId = "suspendOrganization", summary = "Suspend an organization",
            description = "Its tokens are refused (403 organization-suspended) until it is reactivated; its data is kept.")
    @APIResponse(responseCode = "200", description = "Suspended", content = @Content(schema = @Schema(implementation = OrganizationView.class)))
    public Response suspend(@PathParam("slug") String slug) {
        return status(slug, OrganizationStatus.SUSPENDED);
    }

    @POST
    @Path("/{slug}/reactivate")
    @Operation(operationId = "reactivateOrganization", summary = "Reactivate a suspended organization",
            description = "Sets its status back to ACTIVE, so that its tokens are accepted again; its data was kept while it was "
                    + "suspended. Recorded in the network audit trail.")
    @APIResponse(responseCode = "200", description = "Active again", content = @Content(schema = @Schema(implementation = OrganizationView.class)))
    public Response reactivate(@PathParam("slug") String slug) {
        return status(slug, OrganizationStatus.ACTIVE);
    }

    private Response status(String slug, OrganizationStatus status) {
        OrganizationView org = organizations.setStatus(slug, status);
        registry.evict(slug);
        return Response.ok(org).tag(ETags.of(org.version())).build();
    }
}
