package org.harbour.imports;

import java.io.IOException;
import java.io.InputStream;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.harbour.tenancy.FairShare;
import org.harbour.tenancy.Roles;
import org.harbour.web.Messages;

import com.fasterxml.jackson.databind.ObjectMapper;

@Path("/v1/orgs/{org}/imports")
@Tag(name = "Imports", description = "Bulk upload of sites, offerings, visit days and incidents.")
public class ImportResource {

    public static final String JSON_LINES = "application/x-ndjson";
    public static final String JSON_LINES_EXAMPLE = "{\"type\":\"visit\",\"siteExternalRef\":\"RS-001\",\"date\":\"2026-11-20\",\"visits\":84}\n"
            + "{\"type\":\"visit\",\"siteExternalRef\":\"RS-001\",\"date\":\"2026-11-21\",\"visits\":77}\n";
    /** The longest line read, in characters: a record is never near it. */
    static final int MAX_LINE_CHARS = 256 * 1024;

    @Inject
    ImportService imports;

    @Inject
    FairShare fairShare;

    @Inject
    ObjectMapper json;

    @POST
    @org.harbour.tenancy.FairShare.OwnShare
    @RolesAllowed({ Roles.ORG_ADMIN, Roles.REPORTER })
    @Consumes({ JSON_LINES, "application/jsonl", MediaType.APPLICATION_JSON })
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(operationId = "importRecords", summary = "Import records in bulk",
            description = "JSON Lines (application/x-ndjson), or a JSON array (application/json), of records, each an object with "
                    + "\"type\": \"site\" | \"offering\" | \"visit\" | \"incident\" | \"drug-check\" and the fields of that record's input. "
                    + "Sites, incidents and drug checks need their externalRef (a line brings the record with that reference to what it "
                    + "says); offerings and visits name their site by siteId or siteExternalRef, and give serviceCode or date. "
                    + "Up to 100,000 records and 64 MB per request, read as they arrive. Sites and offerings need org-admin. "
                    + "Every line is reported: created, updated, unchanged, or rejected with the reasons; a rejected line never "
                    + "blocks the others unless atomic=true, which writes all or nothing. dryRun=true validates without writing.")
    @RequestBody(content = {
            // Its example is set by ProblemResponsesFilter: an annotation's example is read as JSON, and JSON Lines are text.
            @Content(mediaType = JSON_LINES, schema = @Schema(type = SchemaType.STRING)),
            @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(type = SchemaType.ARRAY,
                    implementation = Object.class)) })
    @APIResponse(responseCode = "429", description = "The organization already has as many imports under way as it may (2)")
    @APIResponse(responseCode = "200", description = "What became of every line",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ImportReport.class)))
    public ImportReport importRecords(@PathParam("org") String org, @QueryParam("dryRun") @DefaultValue("false") boolean dryRun,
            @QueryParam("atomic") @DefaultValue("false") boolean atomic, HttpHeaders headers, InputStream body) throws IOException {
        try (FairShare.Permit permit = fairShare.acquire(FairShare.Work.IMPORT, org)) {
            if (!atomic && !dryRun) {
                // Each chunk is its own transaction: no connection is held while the body arrives.
                return run(body, dryRun, atomic, headers);
            }
            // One transaction for the whole body: take it all first, so that a slow client holds no connection or lock.
            java.nio.file.Path spooled = java.nio.file.Files.createTempFile("harbour-import-", ".body");
            try {
                try (java.io.OutputStream out = java.nio.file.Files.newOutputStream(spooled)) {
                    body.transferTo(out);
                }
                try (InputStream in = java.nio.file.Files.newInputStream(spooled)) {
                    return run(in, dryRun, atomic, headers);
                }
            } finally {
                java.nio.file.Files.deleteIfExists(spooled);
            }
        }
    }

    private ImportReport run(InputStream body, boolean dryRun, boolean atomic, HttpHeaders headers) throws IOException {
        boolean array = headers.getMediaType() != null && headers.getMediaType().isCompatible(MediaType.APPLICATION_JSON_TYPE);
        try (LineReader reader = array ? LineReader.jsonArray(body, json) : LineReader.jsonLines(body, json, MAX_LINE_CHARS)) {
            return imports.run(reader, dryRun, atomic, Messages.locale(headers.getHeaderString(HttpHeaders.ACCEPT_LANGUAGE)));
        }
    }
}
