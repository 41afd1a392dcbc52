package org.harbour.drugcheck;

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
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.harbour.tenancy.Roles;
import org.harbour.web.Cursors;
import org.harbour.web.ETags;
import org.harbour.web.Idempotency;
import org.harbour.web.Params;
import org.harbour.web.Saved;

@Path("/v1/orgs/{org}/drug-checks")
@Tag(name = "Drug checking", description = "Drug-checking samples and results; substances of concern raise network alerts.")
@Produces(MediaType.APPLICATION_JSON)
public class DrugCheckResource {

    @Inject
    DrugCheckService checks;

    @Schema(name = "DrugCheckPage")
    public record DrugCheckPage(List<DrugCheckView> items, String nextCursor) {
    }

    @POST
    @RolesAllowed({ Roles.ORG_ADMIN, Roles.REPORTER })
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "createDrugCheck", summary = "Record a drug-checking sample and its results",
            description = "A substance of concern (carfentanil, nitazenes, xylazine, medetomidine by default; a benzodiazepine in "
                    + "an opioid sample; fentanyl and the like in a stimulant sample) raises or updates the network alert of its "
                    + "substance, province and ISO week. With an externalRef already stored, the stored sample is returned (200).")
    @APIResponse(responseCode = "201", description = "Created", content = @Content(schema = @Schema(implementation = DrugCheckView.class)))
    @APIResponse(responseCode = "200", description = "Already recorded under this externalRef",
            content = @Content(schema = @Schema(implementation = DrugCheckView.class)))
    public Response create(@PathParam("org") String org, @Valid @NotNull DrugCheckInput input, @Context UriInfo uri) {
        Saved<DrugCheckView> saved = Idempotency.create(input.externalRef(), () -> checks.create(input),
                () -> checks.byExternalRef(input.externalRef()).map(v -> new Saved<>(v, Saved.Outcome.UNCHANGED, v.version())));
        return saved.response(URI.create(uri.getPath() + "/" + saved.value().id()));
    }

    @GET
    @RolesAllowed({ Roles.ORG_ADMIN, Roles.REPORTER, Roles.VIEWER })
    @Operation(operationId = "listDrugChecks", summary = "List samples, newest first",
            description = "The organization's samples, newest takenAt first. Filter by siteId, expected and a takenAt range (from "
                    + "inclusive, to exclusive); paged by limit (max 200) and cursor, with a Link rel=\"next\" header when there "
                    + "are more.")
    @APIResponse(responseCode = "200", description = "A page of samples", content = @Content(schema = @Schema(implementation = DrugCheckPage.class)))
    public Response list(@PathParam("org") String org, @QueryParam("siteId") UUID siteId,
            @QueryParam("expected") @Parameter(schema = @Schema(implementation = DrugCheckEnums.Expected.class)) String expected,
            @QueryParam("from") Instant from, @QueryParam("to") Instant to,
            @QueryParam("limit") @DefaultValue("50") @Min(1) @Max(Cursors.MAX_LIMIT) int limit,
            @QueryParam("cursor") String cursor, @Context UriInfo uri) {
        DrugCheckService.Filter filter = new DrugCheckService.Filter(siteId,
                Params.enumValue(DrugCheckEnums.Expected.class, expected, "expected"), from, to);
        return checks.list(filter, limit, cursor).toResponse(uri);
    }

    @GET
    @Path("/{id}")
    @RolesAllowed({ Roles.ORG_ADMIN, Roles.REPORTER, Roles.VIEWER })
    @Operation(operationId = "getDrugCheck", summary = "Read a sample",
            description = "One of the organization's samples with its results, and its version as ETag. An unknown id, or another "
                    + "organization's sample, is 404.")
    @APIResponse(responseCode = "200", description = "The sample", content = @Content(schema = @Schema(implementation = DrugCheckView.class)))
    public Response get(@PathParam("org") String org, @PathParam("id") UUID id) {
        DrugCheckView sample = checks.get(id);
        return Response.ok(sample).tag(ETags.of(sample.version())).build();
    }
}
