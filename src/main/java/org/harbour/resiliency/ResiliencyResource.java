package org.harbour.resiliency;

import java.net.URI;
import java.time.YearMonth;
import java.time.ZoneOffset;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.Consumes;
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

@Path("/v1/orgs/{org}/resiliency")
@Tag(name = "Staff resiliency", description = "Trainings, drills and an anonymous wellbeing pulse per team and month, next to debrief rates.")
@Produces(MediaType.APPLICATION_JSON)
public class ResiliencyResource {

    private static final String MONTH = "[0-9]{4}-(0[1-9]|1[0-2])";

    @Inject
    ResiliencyService resiliency;

    @PUT
    @Path("/{team}/{month}")
    @RolesAllowed(Roles.ORG_ADMIN)
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "putResiliencyMonth", summary = "Record a team's month: trainings held and the wellbeing pulse",
            description = "Creates (201) or replaces (200) the team's month. A pulse of fewer than 5 respondents is refused.")
    @APIResponse(responseCode = "200", description = "Replaced, or unchanged",
            content = @Content(schema = @Schema(implementation = ResiliencyView.Team.class)))
    @APIResponse(responseCode = "201", description = "Created", content = @Content(schema = @Schema(implementation = ResiliencyView.Team.class)))
    public Response put(@PathParam("org") String org,
            @PathParam("team") @Pattern(regexp = "[\\p{L}\\p{N}][\\p{L}\\p{N} _-]{0,59}", message = "{harbour.tag}") String team,
            @PathParam("month") @Pattern(regexp = MONTH, message = "{harbour.month}") String month,
            @HeaderParam("If-Match") String ifMatch, @Valid @NotNull ResiliencyInput input, @Context UriInfo uri) {
        // The encoded path: a team name may hold spaces or accents, which a URI cannot hold as they are.
        return resiliency.put(team, YearMonth.parse(month), input, ifMatch).response(URI.create(uri.getRequestUri().getRawPath()));
    }

    @GET
    @RolesAllowed({ Roles.ORG_ADMIN, Roles.VIEWER })
    @Operation(operationId = "getResiliency", summary = "Read the teams' months next to incidents and debrief rates",
            description = "From and to are months (YYYY-MM), at most 36 apart; the last 12 months when absent.")
    @APIResponse(responseCode = "200", description = "Month by month", content = @Content(schema = @Schema(implementation = ResiliencyView.class)))
    public ResiliencyView get(@PathParam("org") String org,
            @QueryParam("from") @Pattern(regexp = MONTH, message = "{harbour.month}") String from,
            @QueryParam("to") @Pattern(regexp = MONTH, message = "{harbour.month}") String to) {
        YearMonth last = to == null ? YearMonth.now(ZoneOffset.UTC) : YearMonth.parse(to);
        YearMonth first = from == null ? last.minusMonths(11) : YearMonth.parse(from);
        return resiliency.months(first, last);
    }
}
