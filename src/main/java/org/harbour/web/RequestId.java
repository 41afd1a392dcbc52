package org.harbour.web;

import java.util.UUID;
import java.util.regex.Pattern;

import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.MDC;

/**
 * Gives every request an id: the caller's X-Request-Id when it is a UUID (so a client can correlate its
 * retries), a new one otherwise. It goes in the MDC (every log line), the response header and the
 * problem instance.
 */
@ApplicationScoped
public class RequestId {

    public static final String HEADER = "X-Request-Id";
    static final String KEY = "requestId";
    private static final Pattern UUID_TEXT = Pattern.compile("[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}");

    void register(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).handler(ctx -> {
            String given = ctx.request().getHeader(HEADER);
            String id = given != null && UUID_TEXT.matcher(given).matches() ? given.toLowerCase() : UUID.randomUUID().toString();
            ctx.put(KEY, id);
            MDC.put(KEY, id);
            ctx.response().putHeader(HEADER, id);
            ctx.next();
        });
    }

    /** The current request's id, or a fresh one outside a request. */
    public static String current() {
        Object id = MDC.get(KEY);
        return id == null ? UUID.randomUUID().toString() : id.toString();
    }

    public static String instance(String id) {
        return "urn:uuid:" + id;
    }
}
