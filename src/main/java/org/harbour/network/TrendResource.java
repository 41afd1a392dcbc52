package org.harbour.network;

import java.time.LocalDate;
import java.time.ZoneId;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.harbour.tenancy.Roles;
import org.harbour.web.Messages;

@Path("/v1/network")
@Tag(name = "Network")
@Produces(MediaType.APPLICATION_JSON)
public class TrendResource {

    @Inject
    Trends trends;

    @Inject
    Measures measures;

    @ConfigProperty(name = "harbour.network.time-zone")
    ZoneId zone;

    @GET
    @Path("/trends")
    @RolesAllowed(Roles.COORDINATOR)
    @Operation(operationId = "getTrends", summary = "Trends across the network",
            description = "Measures by week, month, quarter or year, province, health region, site kind or organization, from "
                    + "rollups kept current by every write. Shares and rates are computed from summed numerators and denominators. "
                    + "Unique clients are never summed and are not a measure. Dates are rounded to the start of their ISO week "
                    + "(by week) or month.")
    @APIResponse(responseCode = "200", description = "One row per combination",
            content = @Content(schema = @Schema(implementation = TrendView.class)))
    public TrendView trends(
            @QueryParam("measures") @Parameter(description = "Comma-separated measure names (GET /v1/network/measures); "
                    + "default visits,overdoses,overdosesPer1000Visits.") String measureNames,
            @QueryParam("by") @Parameter(description = "Up to two of week, month, quarter, year, province, healthRegion, siteKind, "
                    + "organization, at most one of them a period.") String by,
            @QueryParam("province") @Parameter(description = "Comma-separated ISO 3166-2:CA codes.") String province,
            @QueryParam("healthRegion") @Parameter(description = "Comma-separated health region names, as the sites give them "
                    + "(a name cannot hold a comma here).") String healthRegion,
            @QueryParam("siteKind") @Parameter(description = "Comma-separated site kinds.") String siteKind,
            @QueryParam("organization") @Parameter(description = "Comma-separated organization slugs.") String organization,
            @QueryParam("service") @Parameter(description = "Comma-separated service codes: sites offering one of them.") String service,
            @QueryParam("from") @Parameter(description = "A month (2025-01) or a date.") String from,
            @QueryParam("to") @Parameter(description = "A month (2025-12, to its last day) or a date.") String to,
            @QueryParam("period") @Parameter(description = "Instead of from and to; default LAST_12_MONTHS (complete months).",
                    schema = @Schema(implementation = TrendQuery.Period.class)) String period,
            @HeaderParam(HttpHeaders.ACCEPT_LANGUAGE) String language) {
        TrendQuery q = TrendQuery.parse(measures, measureNames, by, province, healthRegion, siteKind, organization, service, from,
                to, period, LocalDate.now(zone));
        return trends.trends(q, Messages.locale(language));
    }

    @GET
    @Path("/measures")
    @RolesAllowed(Roles.COORDINATOR)
    @Operation(operationId = "listMeasures", summary = "The data dictionary of the trend measures",
            description = "Every measure with its definition, numerator, denominator and unit, in English or French by Accept-Language.")
    @APIResponse(responseCode = "200", description = "The measures",
            content = @Content(schema = @Schema(implementation = MeasureList.class)))
    public MeasureList measures(@HeaderParam(HttpHeaders.ACCEPT_LANGUAGE) String language) {
        return new MeasureList(measures.dictionary(Messages.locale(language)));
    }

    @Schema(name = "MeasureList")
    public record MeasureList(java.util.List<MeasureView> measures) {
    }
}
