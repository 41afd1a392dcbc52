package org.harbour.offering;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.harbour.tenancy.Roles;
import org.harbour.web.Params;

@Path("/v1/orgs/{org}/open-sites")
@Tag(name = "Offerings")
@Produces(MediaType.APPLICATION_JSON)
public class OpenSitesResource {

    @Inject
    OfferingService offerings;

    @GET
    @RolesAllowed({ Roles.ORG_ADMIN, Roles.REPORTER, Roles.VIEWER })
    @Operation(operationId = "listOpenSites", summary = "Sites open at an instant, for an audience",
            description = "Each site is judged in its own time zone (daylight-saving changes included). An audience is served by "
                    + "slots for it and by slots open to ALL (WOMEN also by WOMEN_AND_TRANS); dedicated=true keeps only slots "
                    + "for exactly that audience, such as women-only hours.")
    @APIResponse(responseCode = "200", description = "The open sites and the slots that make them open",
            content = @Content(schema = @Schema(implementation = OpenSiteSchema[].class)))
    public List<OfferingService.OpenSite> open(@PathParam("org") String org,
            @QueryParam("at") @Parameter(description = "An instant with offset; now when absent.") Instant at,
            @QueryParam("audience") @Parameter(schema = @Schema(implementation = Audience.class)) String audience,
            @QueryParam("dedicated") @DefaultValue("false") boolean dedicated,
            @QueryParam("service") String service) {
        return offerings.openAt(at == null ? Instant.now() : at, Params.enumValue(Audience.class, audience, "audience"),
                dedicated, service);
    }

    /** The shape of an open site, for the contract. */
    @Schema(name = "OpenSite")
    public record OpenSiteSchema(UUID siteId, String name, String city, String province, String timeZone,
            @Schema(description = "The site's local date and time at the instant asked.") String localTime,
            List<OfferingService.OpenSlot> open) {
    }
}
