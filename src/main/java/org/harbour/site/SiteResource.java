package org.harbour.site;

import java.net.URI;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
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
import org.harbour.tenancy.Provinces;
import org.harbour.tenancy.Roles;
import org.harbour.web.Cursors;
import org.harbour.web.ETags;
import org.harbour.web.Idempotency;
import org.harbour.web.Saved;
import org.harbour.web.Params;

@Path("/v1/orgs/{org}/sites")
@Tag(name = "Sites", description = "An organization's sites, their kind, model, location, time zone and exemption.")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class SiteResource {

    /** The shape of a page of sites, for the contract. */
    @Schema(name = "SitePage")
    public record SitePage(java.util.List<SiteView> items, String nextCursor) {
    }

    @Inject
    SiteService sites;

    @POST
    @RolesAllowed(Roles.ORG_ADMIN)
    @Operation(operationId = "createSite", summary = "Create a site",
            description = "With an externalRef already used in this organization, returns the existing site with 200 instead of creating a duplicate.")
    @APIResponse(responseCode = "201", description = "Created", content = @Content(schema = @Schema(implementation = SiteView.class)))
    @APIResponse(responseCode = "200", description = "A site with this externalRef already existed: it is returned unchanged",
            content = @Content(schema = @Schema(implementation = SiteView.class)))
    public Response create(@PathParam("org") String org, @Valid @NotNull SiteInput input, @Context UriInfo uri) {
        Saved<SiteView> saved = Idempotency.create(input.externalRef(), () -> sites.create(input),
                () -> sites.byExternalRef(input.externalRef()).map(s -> new Saved<>(s, Saved.Outcome.UNCHANGED, s.version())));
        return saved.response(URI.create(uri.getPath() + "/" + saved.value().id()));
    }

    @GET
    @RolesAllowed({ Roles.ORG_ADMIN, Roles.REPORTER, Roles.VIEWER })
    @Operation(operationId = "listSites", summary = "List the organization's sites, oldest first",
            description = "The organization's sites, in creation order. Filter by province, kind, status and service (sites "
                    + "offering that service code); paged by limit (max 200) and cursor, with a Link rel=\"next\" header when "
                    + "there are more.")
    @APIResponse(responseCode = "200", description = "A page of sites; Link rel=\"next\" when there are more",
            content = @Content(schema = @Schema(implementation = SitePage.class)))
    public Response list(@PathParam("org") String org,
            @QueryParam("province") @Pattern(regexp = Provinces.PATTERN, message = "{harbour.province}") String province,
            @QueryParam("kind") @Parameter(schema = @Schema(implementation = SiteKind.class)) String kind,
            @QueryParam("status") @Parameter(schema = @Schema(implementation = SiteStatus.class)) String status,
            @QueryParam("service") @Parameter(description = "Only sites that offer this service code.") String service,
            @QueryParam("limit") @DefaultValue("50") @Min(1) @Max(Cursors.MAX_LIMIT) int limit,
            @QueryParam("cursor") String cursor, @Context UriInfo uri) {
        return sites.list(province, Params.enumValue(SiteKind.class, kind, "kind"),
                Params.enumValue(SiteStatus.class, status, "status"), service, limit, cursor).toResponse(uri);
    }

    @GET
    @Path("/{id}")
    @RolesAllowed({ Roles.ORG_ADMIN, Roles.REPORTER, Roles.VIEWER })
    @Operation(operationId = "getSite", summary = "Read a site",
            description = "One of the organization's sites, closed ones included, with its version as ETag: send it as If-Match to "
                    + "update or close it. An unknown id, or another organization's site, is 404.")
    @APIResponse(responseCode = "200", description = "The site", content = @Content(schema = @Schema(implementation = SiteView.class)))
    public Response get(@PathParam("org") String org, @PathParam("id") UUID id) {
        SiteView site = sites.get(id);
        return Response.ok(site).tag(ETags.of(site.version())).build();
    }

    @PUT
    @Path("/{id}")
    @RolesAllowed(Roles.ORG_ADMIN)
    @Operation(operationId = "updateSite", summary = "Replace a site",
            description = "Send If-Match with the ETag you read: a stale one is answered 412 and changes nothing.")
    @APIResponse(responseCode = "200", description = "Updated", content = @Content(schema = @Schema(implementation = SiteView.class)))
    public Response update(@PathParam("org") String org, @PathParam("id") UUID id, @HeaderParam("If-Match") String ifMatch,
            @Valid @NotNull SiteInput input) {
        SiteView site = sites.update(id, input, ifMatch);
        return Response.ok(site).tag(ETags.of(site.version())).build();
    }

    @DELETE
    @Path("/{id}")
    @RolesAllowed(Roles.ORG_ADMIN)
    @Operation(operationId = "closeSite", summary = "Close a site",
            description = "Sets status CLOSED and closedOn to today in the site's time zone. The site stays readable: its visits and incidents refer to it.")
    @APIResponse(responseCode = "200", description = "Closed", content = @Content(schema = @Schema(implementation = SiteView.class)))
    public Response close(@PathParam("org") String org, @PathParam("id") UUID id, @HeaderParam("If-Match") String ifMatch) {
        SiteView site = sites.close(id, ifMatch);
        return Response.ok(site).tag(ETags.of(site.version())).build();
    }
}
