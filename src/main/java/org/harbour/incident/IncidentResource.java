package org.harbour.incident;

import java.net.URI;
import java.time.Instant;
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
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.harbour.tenancy.Roles;
import org.harbour.web.Cursors;
import org.harbour.web.ETags;
import org.harbour.web.Idempotency;
import org.harbour.web.Params;
import org.harbour.web.Saved;

@Path("/v1/orgs/{org}/incidents")
@Tag(name = "Incidents", description = "Overdoses and other incidents, the response, the outcome and the staff debrief.")
@Produces(MediaType.APPLICATION_JSON)
public class IncidentResource {

    @Inject
    IncidentService incidents;

    @Schema(name = "IncidentPage")
    public record IncidentPage(List<IncidentView> items, String nextCursor) {
    }

    @POST
    @RolesAllowed({ Roles.ORG_ADMIN, Roles.REPORTER })
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "createIncident", summary = "Record an incident",
            description = "With an externalRef already stored, the stored incident is returned with 200 and left as it was: "
                    + "retries are safe. Rules: an overdose has a mode and at least one substance (UNKNOWN explicitly), "
                    + "naloxone doses are 0 to 20, an incident without a site is OUTREACH.")
    @APIResponse(responseCode = "201", description = "Created", content = @Content(schema = @Schema(implementation = IncidentView.class)))
    @APIResponse(responseCode = "200", description = "Already recorded under this externalRef",
            content = @Content(schema = @Schema(implementation = IncidentView.class)))
    public Response create(@PathParam("org") String org, @Valid @NotNull IncidentInput input, @Context UriInfo uri) {
        Saved<IncidentView> saved = Idempotency.create(input.externalRef(), () -> incidents.create(input),
                () -> incidents.byExternalRef(input.externalRef()).map(v -> new Saved<>(v, Saved.Outcome.UNCHANGED, v.version())));
        return saved.response(URI.create(uri.getPath() + "/" + saved.value().id()));
    }

    @GET
    @RolesAllowed({ Roles.ORG_ADMIN, Roles.REPORTER, Roles.VIEWER })
    @Operation(operationId = "listIncidents", summary = "List incidents, newest first",
            description = "The organization's incidents, newest occurredAt first. Filter by siteId, kind, outcome and an "
                    + "occurredAt range (from inclusive, to exclusive); paged by limit (max 200) and cursor, with a Link "
                    + "rel=\"next\" header when there are more.")
    @APIResponse(responseCode = "200", description = "A page of incidents", content = @Content(schema = @Schema(implementation = IncidentPage.class)))
    public Response list(@PathParam("org") String org, @QueryParam("siteId") UUID siteId,
            @QueryParam("kind") @Parameter(schema = @Schema(implementation = IncidentEnums.Kind.class)) String kind,
            @QueryParam("outcome") @Parameter(schema = @Schema(implementation = IncidentEnums.Outcome.class)) String outcome,
            @QueryParam("from") @Parameter(description = "Occurred at or after this instant.") Instant from,
            @QueryParam("to") @Parameter(description = "Occurred before this instant.") Instant to,
            @QueryParam("limit") @DefaultValue("50") @Min(1) @Max(Cursors.MAX_LIMIT) int limit,
            @QueryParam("cursor") String cursor, @Context UriInfo uri) {
        IncidentService.Filter filter = new IncidentService.Filter(siteId, Params.enumValue(IncidentEnums.Kind.class, kind, "kind"),
                Params.enumValue(IncidentEnums.Outcome.class, outcome, "outcome"), from, to);
        return incidents.list(filter, limit, cursor).toResponse(uri);
    }

    @GET
    @Path("/{id}")
    @RolesAllowed({ Roles.ORG_ADMIN, Roles.REPORTER, Roles.VIEWER })
    @Operation(operationId = "getIncident", summary = "Read an incident",
            description = "One of the organization's incidents, with its version as ETag: send it as If-Match to update it. An "
                    + "unknown id, or another organization's incident, is 404.")
    @APIResponse(responseCode = "200", description = "The incident", content = @Content(schema = @Schema(implementation = IncidentView.class)))
    public Response get(@PathParam("org") String org, @PathParam("id") UUID id) {
        IncidentView incident = incidents.get(id);
        return Response.ok(incident).tag(ETags.of(incident.version())).build();
    }

    @PUT
    @Path("/{id}")
    @RolesAllowed({ Roles.ORG_ADMIN, Roles.REPORTER })
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "updateIncident", summary = "Correct an incident, or record its debrief",
            description = "Replaces the incident. Send If-Match with the ETag you read. Changing the outcome of a DEATH needs a "
                    + "correctionReason.")
    @APIResponse(responseCode = "200", description = "Updated, or unchanged", content = @Content(schema = @Schema(implementation = IncidentView.class)))
    public Response update(@PathParam("org") String org, @PathParam("id") UUID id, @HeaderParam("If-Match") String ifMatch,
            @Valid @NotNull IncidentInput input, @Context UriInfo uri) {
        return incidents.update(id, input, ifMatch).response(URI.create(uri.getPath()));
    }
}
