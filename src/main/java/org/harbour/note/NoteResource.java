package org.harbour.note;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
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
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.harbour.tenancy.FairShare;
import org.harbour.tenancy.Roles;
import org.harbour.tenancy.TenantContext;
import org.harbour.web.Cursors;
import org.harbour.web.ETags;
import org.harbour.web.Params;

@Path("/v1/orgs/{org}/notes")
@Tag(name = "Notes", description = "Practice notes of the community of practice: issues and tips, in English or French.")
@Produces(MediaType.APPLICATION_JSON)
public class NoteResource {

    @Inject
    NoteService notes;

    @Inject
    NoteSearch search;

    @Inject
    FairShare fairShare;

    @Inject
    TenantContext tenant;

    @Schema(name = "NoteHitPage")
    public record NoteHitPage(List<NoteHit> items, String nextCursor) {
    }

    @POST
    @RolesAllowed({ Roles.ORG_ADMIN, Roles.REPORTER, Roles.VIEWER })
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "createNote", summary = "Share a practice note",
            description = "The caller becomes its author. visibility NETWORK shares it with every member organization.")
    @APIResponse(responseCode = "201", description = "Created", content = @Content(schema = @Schema(implementation = NoteView.class)))
    public Response create(@PathParam("org") String org, @Valid @NotNull NoteInput input, @Context UriInfo uri) {
        var saved = notes.create(input);
        return saved.response(URI.create(uri.getPath() + "/" + saved.value().id()));
    }

    @GET
    @RolesAllowed({ Roles.ORG_ADMIN, Roles.REPORTER, Roles.VIEWER })
    @Transactional
    @Operation(operationId = "listNotes", summary = "List or search the organization's own notes",
            description = "With q, ranked full-text search in the note's language (accents ignored); without, newest first.")
    @APIResponse(responseCode = "200", description = "A page of notes", content = @Content(schema = @Schema(implementation = NoteHitPage.class)))
    @APIResponse(responseCode = "429", description = "The organization already has as many searches under way as it may (4)")
    public Response list(@PathParam("org") String org, @QueryParam("q") @Parameter(description = "Words to find, in web search syntax (\"a phrase\", or, -word); at most "
                    + NoteSearch.MAX_QUERY_CHARS + " characters and " + NoteSearch.MAX_QUERY_WORDS + " words. Exclusions alone find nothing.",
                    schema = @Schema(type = SchemaType.STRING, maxLength = NoteSearch.MAX_QUERY_CHARS)) String q,
            @QueryParam("theme") @Parameter(schema = @Schema(implementation = NoteEnums.Theme.class)) String theme,
            @QueryParam("kind") @Parameter(schema = @Schema(implementation = NoteEnums.Kind.class)) String kind,
            @QueryParam("tag") String tag,
            @QueryParam("language") @Parameter(schema = @Schema(implementation = NoteEnums.Language.class)) String language,
            @QueryParam("from") Instant from, @QueryParam("to") Instant to,
            @QueryParam("limit") @DefaultValue("50") @Min(1) @Max(Cursors.MAX_LIMIT) int limit,
            @QueryParam("cursor") String cursor, @Context UriInfo uri) {
        NoteSearch.Criteria criteria = criteria(q, theme, kind, tag, language, null, from, to);
        try (FairShare.Permit permit = fairShare.acquire(FairShare.Work.SEARCH, org)) {
            return search.search(criteria, tenant.org().orElseThrow(), limit, cursor).toResponse(uri);
        }
    }

    @GET
    @Path("/{id}")
    @RolesAllowed({ Roles.ORG_ADMIN, Roles.REPORTER, Roles.VIEWER })
    @Operation(operationId = "getNote", summary = "Read one of the organization's notes",
            description = "One of the organization's own notes, with its version as ETag. Another organization's note is 404 here, "
                    + "even one shared with the network: search those at /v1/network/notes.")
    @APIResponse(responseCode = "200", description = "The note", content = @Content(schema = @Schema(implementation = NoteView.class)))
    public Response get(@PathParam("org") String org, @PathParam("id") UUID id) {
        NoteView note = notes.get(id);
        return Response.ok(note).tag(ETags.of(note.version())).build();
    }

    @PUT
    @Path("/{id}")
    @RolesAllowed({ Roles.ORG_ADMIN, Roles.REPORTER, Roles.VIEWER })
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "updateNote", summary = "Edit a note (its author, or an org-admin)",
            description = "Replaces its title, body, language, theme, kind, tags and visibility; its author stays. Only its author "
                    + "or an org-admin may (403 otherwise); If-Match, when sent, must carry the current ETag (412 otherwise).")
    @APIResponse(responseCode = "200", description = "Updated", content = @Content(schema = @Schema(implementation = NoteView.class)))
    public Response update(@PathParam("org") String org, @PathParam("id") UUID id, @HeaderParam("If-Match") String ifMatch,
            @Valid @NotNull NoteInput input, @Context UriInfo uri) {
        return notes.update(id, input, ifMatch).response(URI.create(uri.getPath()));
    }

    @DELETE
    @Path("/{id}")
    @RolesAllowed({ Roles.ORG_ADMIN, Roles.REPORTER, Roles.VIEWER })
    @Operation(operationId = "deleteNote", summary = "Delete a note (its author, or an org-admin)",
            description = "Deletes it; the deletion is recorded in the audit trail. Only its author or an org-admin may (403 "
                    + "otherwise); If-Match, when sent, must carry the current ETag (412 otherwise).")
    @APIResponse(responseCode = "204", description = "Deleted")
    public void delete(@PathParam("org") String org, @PathParam("id") UUID id, @HeaderParam("If-Match") String ifMatch) {
        notes.delete(id, ifMatch);
    }

    static NoteSearch.Criteria criteria(String q, String theme, String kind, String tag, String language, String organization,
            Instant from, Instant to) {
        NoteSearch.checkQuery(q);
        return new NoteSearch.Criteria(q, Params.enumValue(NoteEnums.Theme.class, theme, "theme"),
                Params.enumValue(NoteEnums.Kind.class, kind, "kind"), tag == null ? null : tag.toLowerCase(),
                Params.enumValue(NoteEnums.Language.class, language, "language"), organization, from, to);
    }
}
