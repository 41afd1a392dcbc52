package org.harbour.visit;

import java.net.URI;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
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
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.harbour.tenancy.Roles;
import org.harbour.web.Cursors;
import org.harbour.web.ETags;

@Path("/v1/orgs/{org}/sites/{siteId}/visits")
@Tag(name = "Visits", description = "Daily visit figures per site and local date, as Health Canada collects them.")
@Produces(MediaType.APPLICATION_JSON)
public class VisitResource {

    @Inject
    VisitService visits;

    @Schema(name = "VisitDayPage")
    public record VisitDayPage(List<VisitDayView> items, String nextCursor) {
    }

    @PUT
    @Path("/{date}")
    @RolesAllowed({ Roles.ORG_ADMIN, Roles.REPORTER })
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "putVisitDay", summary = "Record a site's figures for a local date",
            description = "Creates the day (201) or replaces it (200, version bumped); the same figures again are answered 200 "
                    + "unchanged. Rules: counts are non-negative, unique clients and each part never exceed visits, no date in "
                    + "the site's future or before it opened.")
    @APIResponse(responseCode = "200", description = "Replaced, or unchanged", content = @Content(schema = @Schema(implementation = VisitDayView.class)))
    @APIResponse(responseCode = "201", description = "Created", content = @Content(schema = @Schema(implementation = VisitDayView.class)))
    public Response put(@PathParam("org") String org, @PathParam("siteId") UUID siteId, @PathParam("date") LocalDate date,
            @HeaderParam("If-Match") String ifMatch, @Valid @NotNull VisitDayInput input, @Context UriInfo uri) {
        return visits.put(siteId, date, input, ifMatch).response(URI.create(uri.getPath()));
    }

    @GET
    @Path("/{date}")
    @RolesAllowed({ Roles.ORG_ADMIN, Roles.REPORTER, Roles.VIEWER })
    @Operation(operationId = "getVisitDay", summary = "Read a site's figures for a local date",
            description = "The figures recorded for this site and local date, with the version as ETag: send it as If-Match to "
                    + "replace or delete the day. 404 if nothing was recorded for that date.")
    @APIResponse(responseCode = "200", description = "The day", content = @Content(schema = @Schema(implementation = VisitDayView.class)))
    public Response get(@PathParam("org") String org, @PathParam("siteId") UUID siteId, @PathParam("date") LocalDate date) {
        VisitDayView day = visits.get(siteId, date);
        return Response.ok(day).tag(ETags.of(day.version())).build();
    }

    @GET
    @RolesAllowed({ Roles.ORG_ADMIN, Roles.REPORTER, Roles.VIEWER })
    @Operation(operationId = "listVisitDays", summary = "List a site's days, oldest first",
            description = "The site's daily figures by local date, oldest first, optionally from and to a date (both inclusive). "
                    + "Paged by limit (max 200) and cursor, with a Link rel=\"next\" header when there are more; an unknown site "
                    + "is 404.")
    @APIResponse(responseCode = "200", description = "A page of days", content = @Content(schema = @Schema(implementation = VisitDayPage.class)))
    public Response list(@PathParam("org") String org, @PathParam("siteId") UUID siteId, @QueryParam("from") LocalDate from,
            @QueryParam("to") LocalDate to, @QueryParam("limit") @DefaultValue("50") @Min(1) @Max(Cursors.MAX_LIMIT) int limit,
            @QueryParam("cursor") String cursor, @Context UriInfo uri) {
        return visits.list(siteId, from, to, limit, cursor).toResponse(uri);
    }

    @DELETE
    @Path("/{date}")
    @RolesAllowed({ Roles.ORG_ADMIN, Roles.REPORTER })
    @Operation(operationId = "deleteVisitDay", summary = "Remove a day posted by mistake",
            description = "Org-admin or reporter; the deletion is recorded in the audit trail. If-Match, when sent, must carry the "
                    + "current ETag (412 otherwise); 404 if nothing was recorded for that date.")
    @APIResponse(responseCode = "204", description = "Removed")
    public void delete(@PathParam("org") String org, @PathParam("siteId") UUID siteId, @PathParam("date") LocalDate date,
            @HeaderParam("If-Match") String ifMatch) {
        visits.delete(siteId, date, ifMatch);
    }
}
