package org.harbour.offering;

import java.net.URI;
import java.util.List;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
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
import org.harbour.web.ETags;

@Path("/v1/orgs/{org}/sites/{siteId}/offerings")
@Tag(name = "Offerings", description = "The services each site offers, with weekly schedules and audiences (women-only hours and the like).")
@Produces(MediaType.APPLICATION_JSON)
public class OfferingResource {

    @Inject
    OfferingService offerings;

    @GET
    @RolesAllowed({ Roles.ORG_ADMIN, Roles.REPORTER, Roles.VIEWER })
    @Operation(operationId = "listOfferings", summary = "List the services a site offers",
            description = "Every service the site offers, with its weekly schedule and notes, ordered by service code; not paged. "
                    + "An unknown site, or another organization's, is 404.")
    @APIResponse(responseCode = "200", description = "The site's offerings, by service code",
            content = @Content(schema = @Schema(implementation = OfferingView[].class)))
    public List<OfferingView> list(@PathParam("org") String org, @PathParam("siteId") UUID siteId) {
        return offerings.list(siteId);
    }

    @GET
    @Path("/{serviceCode}")
    @RolesAllowed({ Roles.ORG_ADMIN, Roles.REPORTER, Roles.VIEWER })
    @Operation(operationId = "getOffering", summary = "Read what a site offers of one service",
            description = "The site's schedule and notes for one service code, with its version as ETag: send it as If-Match to "
                    + "replace or delete it. 404 if the site is unknown or does not offer this service.")
    @APIResponse(responseCode = "200", description = "The offering", content = @Content(schema = @Schema(implementation = OfferingView.class)))
    public Response get(@PathParam("org") String org, @PathParam("siteId") UUID siteId, @PathParam("serviceCode") String code) {
        OfferingView offering = offerings.get(siteId, code);
        return Response.ok(offering).tag(ETags.of(offering.version())).build();
    }

    @PUT
    @Path("/{serviceCode}")
    @RolesAllowed(Roles.ORG_ADMIN)
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "putOffering", summary = "Offer a service at a site, or replace its schedule",
            description = "Creates the offering (201) or replaces it (200). If-Match is honoured on replace.")
    @APIResponse(responseCode = "200", description = "Replaced", content = @Content(schema = @Schema(implementation = OfferingView.class)))
    @APIResponse(responseCode = "201", description = "Created", content = @Content(schema = @Schema(implementation = OfferingView.class)))
    public Response put(@PathParam("org") String org, @PathParam("siteId") UUID siteId, @PathParam("serviceCode") String code,
            @HeaderParam("If-Match") String ifMatch, @Valid @NotNull OfferingInput input, @Context UriInfo uri) {
        return offerings.put(siteId, code, input, ifMatch).response(URI.create(uri.getPath()));
    }

    @DELETE
    @Path("/{serviceCode}")
    @RolesAllowed(Roles.ORG_ADMIN)
    @Operation(operationId = "deleteOffering", summary = "Stop offering a service at a site",
            description = "Org-admin only; the deletion is recorded in the audit trail. If-Match, when sent, must carry the "
                    + "current ETag (412 otherwise); 404 if the site is unknown or does not offer this service.")
    @APIResponse(responseCode = "204", description = "No longer offered")
    public void delete(@PathParam("org") String org, @PathParam("siteId") UUID siteId, @PathParam("serviceCode") String code,
            @HeaderParam("If-Match") String ifMatch) {
        offerings.delete(siteId, code, ifMatch);
    }
}
