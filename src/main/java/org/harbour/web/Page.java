package org.harbour.web;

import java.util.List;
import java.util.function.Function;

import jakarta.ws.rs.core.Link;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** One page of a keyset-paginated list; nextCursor is absent on the last page. */
public record Page<T>(List<T> items,
        @Schema(description = "Pass as cursor to get the next page; also in the Link rel=\"next\" header.") String nextCursor) {

    /**
     * Cuts a page from rows fetched with limit + 1: the extra row only tells that there is a next page.
     */
    public static <E, T> Page<T> of(List<E> rows, int limit, Function<E, T> view, Function<E, String> key) {
        boolean more = rows.size() > limit;
        List<E> page = more ? rows.subList(0, limit) : rows;
        String next = more ? Cursors.encode(key.apply(page.get(page.size() - 1))) : null;
        return new Page<>(page.stream().map(view).toList(), next);
    }

    public Response toResponse(UriInfo uri) {
        Response.ResponseBuilder ok = Response.ok(this);
        if (nextCursor != null) {
            ok.links(Link.fromUri(uri.getRequestUriBuilder().replaceQueryParam("cursor", nextCursor).build()).rel("next").build());
        }
        return ok.build();
    }
}
