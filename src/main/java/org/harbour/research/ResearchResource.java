package org.harbour.research;

import java.net.URI;
import java.util.List;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import jakarta.ws.rs.core.UriInfo;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.harbour.tenancy.Roles;
import org.harbour.web.Messages;
import org.harbour.web.Problem;

@Path("/v1/research/projects")
@Tag(name = "Research", description = "Anonymized extracts for the researchers of approved projects.")
@RolesAllowed(Roles.RESEARCHER)
@Produces(MediaType.APPLICATION_JSON)
public class ResearchResource {

    static final String GZIP = "application/gzip";

    @Schema(name = "ResearchProjectList")
    public record ProjectList(List<ResearchProjectView> items) {
    }

    @Inject
    ResearchProjects projects;
    @Inject
    ExtractJobs extracts;
    @Inject
    ExtractFiles files;

    @GET
    @Operation(operationId = "listMyResearchProjects", summary = "The projects the caller is a researcher of",
            description = "The projects whose researchers include the caller's token subject, suspended and expired ones too, "
                    + "ordered by id. Not paged: at most 200.")
    @APIResponse(responseCode = "200", description = "The caller's projects",
            content = @Content(schema = @Schema(implementation = ProjectList.class)))
    public ProjectList mine() {
        return new ProjectList(projects.mine());
    }

    @POST
    @Path("/{id}/extracts")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "requestExtract", summary = "Ask for an extract",
            description = "Queued and made in the background; follow it at the Location given. A project that is suspended "
                    + "or expired answers 403 with the reason.")
    @APIResponse(responseCode = "202", description = "Queued; Location is where to follow it",
            headers = @org.eclipse.microprofile.openapi.annotations.headers.Header(name = "Location",
                    description = "The extract: GET it to follow the job", schema = @Schema(type = org.eclipse.microprofile.openapi.annotations.enums.SchemaType.STRING)),
            content = @Content(schema = @Schema(implementation = ExtractView.class)))
    @APIResponse(responseCode = "429", description = "Too many of the caller's extracts are waiting or running in this project",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(ref = "#/components/schemas/Problem")))
    public Response request(@PathParam("id") UUID id, @Valid @NotNull ExtractRequest input,
            @HeaderParam(HttpHeaders.ACCEPT_LANGUAGE) String language, @Context UriInfo uri) {
        ExtractView created = extracts.request(id, input, Messages.locale(language));
        return Response.accepted(created).location(URI.create(uri.getPath() + "/" + created.id())).build();
    }

    @GET
    @Path("/{id}/extracts/{extractId}")
    @Operation(operationId = "getExtract", summary = "Follow an extract: status, progress, and the figures of its file",
            description = "Status (QUEUED, RUNNING, READY or FAILED) and progress; once READY, its rows, suppressions, "
                    + "generalizations, SHA-256 and size; if FAILED, the reason in English or French by Accept-Language. Any "
                    + "researcher of the project may read it; others get 404.")
    @APIResponse(responseCode = "200", description = "The extract",
            content = @Content(schema = @Schema(implementation = ExtractView.class)))
    public ExtractView get(@PathParam("id") UUID id, @PathParam("extractId") UUID extractId,
            @HeaderParam(HttpHeaders.ACCEPT_LANGUAGE) String language) {
        return extracts.get(id, extractId, Messages.locale(language));
    }

    @GET
    @Path("/{id}/extracts/{extractId}/dictionary")
    @Operation(operationId = "getExtractDictionary", summary = "The data dictionary of an extract",
            description = "Every column: description, type, unit, generalization, and whether it is a quasi-identifier; "
                    + "in English or French by Accept-Language. 409 until the extract is READY.")
    @APIResponse(responseCode = "200", description = "The dictionary",
            content = @Content(schema = @Schema(implementation = DataDictionary.Dictionary.class)))
    @APIResponse(responseCode = "409", description = "The extract is not READY",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(ref = "#/components/schemas/Problem")))
    public DataDictionary.Dictionary dictionary(@PathParam("id") UUID id, @PathParam("extractId") UUID extractId,
            @HeaderParam(HttpHeaders.ACCEPT_LANGUAGE) String language) {
        return extracts.dictionary(id, extractId, Messages.locale(language));
    }

    @GET
    @Path("/{id}/extracts/{extractId}/file")
    @Produces({GZIP, MediaType.APPLICATION_JSON})
    @Operation(operationId = "downloadExtract", summary = "Download an extract's file (gzip)",
            description = "CSV or JSON Lines, gzip-compressed, streamed; its SHA-256 is the extract's sha256. Every download is "
                    + "audited. 409 until the extract is READY; 403 once the project is suspended or expired.")
    @APIResponse(responseCode = "200", description = "The file",
            content = @Content(mediaType = GZIP, schema = @Schema(type = org.eclipse.microprofile.openapi.annotations.enums.SchemaType.STRING,
                    format = "binary")))
    @APIResponse(responseCode = "409", description = "The extract is not READY",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(ref = "#/components/schemas/Problem")))
    public Response download(@PathParam("id") UUID id, @PathParam("extractId") UUID extractId) {
        Extract e = extracts.download(id, extractId);
        StreamingOutput body = out -> files.copy(e.id, e.bytes, out);
        return Response.ok(body, GZIP).header("Content-Disposition",
                "attachment; filename=\"" + e.dataset + "-" + e.id + "." + e.format + ".gz\"")
                .header("Content-Length", e.bytes).build();
    }
}
