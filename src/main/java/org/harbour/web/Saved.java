package org.harbour.web;

import java.net.URI;

import jakarta.ws.rs.core.Response;

/**
 * What a write did: created a record, changed it, or found it already as asked (a retry). Single
 * writes answer 201 or 200 from it; bulk imports report it per line.
 */
public record Saved<T>(T value, Outcome outcome, long version) {

    public enum Outcome {
        CREATED, UPDATED, UNCHANGED
    }

    public static <T> Saved<T> created(T value, long version) {
        return new Saved<>(value, Outcome.CREATED, version);
    }

    public Response response(URI location) {
        Response.ResponseBuilder builder = outcome == Outcome.CREATED ? Response.created(location) : Response.ok().location(location);
        return builder.tag(ETags.of(version)).entity(value).build();
    }
}
