package org.harbour.note;

import java.time.Instant;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.harbour.tenancy.FairShare;
import org.harbour.tenancy.Roles;
import org.harbour.tenancy.TenantRequestFilter;
import org.harbour.web.Cursors;

/**
 * The network's shared notes. Callable with a token of any member organization (verified by that
 * organization's issuer) or of the network realm; with no tenant set, it ranks in network_note_search (which
 * holds NETWORK notes only) and reads the page's notes through the note table's explicit NETWORK policy, so an
 * organization-visible note can never appear.
 */
@Path("/v1/network/notes")
@Tag(name = "Notes")
@Produces(MediaType.APPLICATION_JSON)
public class NetworkNoteResource {

    @Inject
    NoteSearch search;

    @Inject
    FairShare fairShare;

    @Inject
    io.quarkus.security.identity.SecurityIdentity identity;

    @GET
    @RolesAllowed({ Roles.COORDINATOR, Roles.ORG_ADMIN, Roles.REPORTER, Roles.VIEWER })
    @Transactional
    @Operation(operationId = "searchNetworkNotes", summary = "Search the notes every organization shares",
            description = "Ranked full-text search in English and French: each note is matched in its own language, accents "
                    + "ignored (resilience finds résilience). Without q, newest first.")
    @APIResponse(responseCode = "429", description = "The caller's organization already has as many searches under way as it may (4)")
    @APIResponse(responseCode = "200", description = "A page of notes",
            content = @Content(schema = @Schema(implementation = NoteResource.NoteHitPage.class)))
    public Response search(@QueryParam("q") @Parameter(description = "Words to find, in web search syntax (\"a phrase\", or, -word); at most "
                    + NoteSearch.MAX_QUERY_CHARS + " characters and " + NoteSearch.MAX_QUERY_WORDS + " words. Exclusions alone find nothing.",
                    schema = @Schema(type = SchemaType.STRING, maxLength = NoteSearch.MAX_QUERY_CHARS)) String q,
            @QueryParam("theme") @Parameter(schema = @Schema(implementation = NoteEnums.Theme.class)) String theme,
            @QueryParam("kind") @Parameter(schema = @Schema(implementation = NoteEnums.Kind.class)) String kind,
            @QueryParam("tag") String tag,
            @QueryParam("language") @Parameter(schema = @Schema(implementation = NoteEnums.Language.class)) String language,
            @QueryParam("organization") String organization, @QueryParam("from") Instant from, @QueryParam("to") Instant to,
            @QueryParam("limit") @DefaultValue("20") @Min(1) @Max(Cursors.MAX_LIMIT) int limit,
            @QueryParam("cursor") String cursor, @Context UriInfo uri) {
        try (FairShare.Permit permit = fairShare.acquire(FairShare.Work.SEARCH, TenantRequestFilter.orgOf(identity).orElse(org.harbour.web.RateLimits.NETWORK))) {
            return search.search(NoteResource.criteria(q, theme, kind, tag, language, organization, from, to), null, limit, cursor)
                    .toResponse(uri);
        }
    }
}
