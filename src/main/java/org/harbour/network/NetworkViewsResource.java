package org.harbour.network;

import java.time.Instant;
import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
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
import org.harbour.web.ProblemException;
import org.harbour.web.ProblemException.FieldErrorKey;

/** The coordinator's views of the site directory: coverage of services and exemptions to renew. */
@Path("/v1/network")
@Tag(name = "Network")
@Produces(MediaType.APPLICATION_JSON)
public class NetworkViewsResource {

    static final int MAX_DAYS = 730;

    @Inject
    Coverage coverage;

    @Inject
    Exemptions exemptions;

    @GET
    @Path("/coverage")
    @RolesAllowed(Roles.COORDINATOR)
    @Operation(operationId = "getCoverage", summary = "Coverage of services across the network",
            description = "Per province (or health region): active sites, sites offering each service, sites with women-only, "
                    + "trans-only and youth hours, 24-hour sites, and sites open at an instant for each audience, each judged in "
                    + "its own time zone.")
    @APIResponse(responseCode = "200", description = "Coverage per province or health region",
            content = @Content(schema = @Schema(implementation = CoverageView.class)))
    public CoverageView coverage(
            @QueryParam("by") @Parameter(schema = @Schema(enumeration = { "province", "healthRegion" }),
                    description = "province when absent.") String by,
            @QueryParam("province") @Parameter(description = "Comma-separated ISO 3166-2:CA codes.") String province,
            @QueryParam("at") @Parameter(description = "An instant with offset for the open-now counts; now when absent.") Instant at) {
        if (by != null && !by.isEmpty() && !by.equals("province") && !by.equals("healthRegion")) {
            throw new ProblemException(400, "validation", List.of(new FieldErrorKey("by", "field.enum", "province, healthRegion")),
                    "problem.validation.detail");
        }
        if (at != null && (at.isBefore(Instant.parse("2000-01-01T00:00:00Z")) || at.isAfter(Instant.parse("2100-01-01T00:00:00Z")))) {
            throw new ProblemException(400, "validation", List.of(new FieldErrorKey("at", "field.instant-range")),
                    "problem.validation.detail");
        }
        return coverage.coverage("healthRegion".equals(by), NetworkParams.provinces(province),
                at == null ? Instant.now() : at);
    }

    @GET
    @Path("/exemptions")
    @RolesAllowed(Roles.COORDINATOR)
    @Operation(operationId = "listExemptionsDue", summary = "Exemptions to renew",
            description = "Exemptions of sites that are not closed and expire within the number of days given (in each site's "
                    + "own time zone), expired ones first, then the soonest. The list is complete: it is bounded by the sites.")
    @APIResponse(responseCode = "200", description = "The exemptions due",
            content = @Content(schema = @Schema(implementation = ExemptionList.class)))
    public ExemptionList exemptions(
            @QueryParam("expiringWithinDays") @DefaultValue("90") @Min(0) @Max(MAX_DAYS) int withinDays,
            @QueryParam("province") @Parameter(description = "Comma-separated ISO 3166-2:CA codes.") String province,
            @QueryParam("organization") @Parameter(description = "Comma-separated organization slugs.") String organization) {
        return new ExemptionList(withinDays, exemptions.due(withinDays, NetworkParams.provinces(province),
                NetworkParams.organizations(organization)));
    }

    @Schema(name = "ExemptionList")
    public record ExemptionList(int expiringWithinDays, List<ExemptionView> items) {
    }
}
