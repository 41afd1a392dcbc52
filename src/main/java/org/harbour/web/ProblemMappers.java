package org.harbour.web;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import jakarta.persistence.OptimisticLockException;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;
import jakarta.ws.rs.NotAcceptableException;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.inject.Inject;

import org.hibernate.StaleStateException;
import org.hibernate.exception.JDBCConnectionException;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;

import io.quarkus.oidc.OIDCException;
import io.quarkus.hibernate.validator.runtime.jaxrs.ResteasyReactiveViolationException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;

/**
 * Turns every failure into application/problem+json in the caller's language. Nothing from an
 * exception's message reaches the client: internal text (SQL, class names) stays in the log.
 */
public class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    @ServerExceptionMapper
    public Response problem(ProblemException e, HttpHeaders headers) {
        return ProblemResponses.response(ProblemResponses.problem(locale(headers), e));
    }

    @ServerExceptionMapper({ AuthenticationFailedException.class, UnauthorizedException.class })
    public Response unauthorized(HttpHeaders headers) {
        return simple(headers, 401, "unauthorized", "problem.unauthorized.detail");
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e, HttpHeaders headers) {
        return simple(headers, 403, "forbidden", "problem.forbidden.detail");
    }

    @ServerExceptionMapper(priority = jakarta.ws.rs.Priorities.USER - 1)
    public Response violation(ResteasyReactiveViolationException e, HttpHeaders headers) {
        return constraintViolation(e, headers);
    }

    static final int MAX_ERRORS = 100;

    @ServerExceptionMapper
    public Response constraintViolation(ConstraintViolationException e, HttpHeaders headers) {
        boolean onReturnValue = e.getConstraintViolations().stream()
                .anyMatch(v -> containsKind(v.getPropertyPath(), ElementKind.RETURN_VALUE));
        if (onReturnValue) {
            return internal(e, headers);
        }
        // At most MAX_ERRORS: a body of a million empty tags would otherwise answer with a million errors.
        List<Problem.FieldError> errors = e.getConstraintViolations().stream()
                .map(FieldErrors::of)
                .sorted((a, b) -> a.field().compareTo(b.field()))
                .limit(MAX_ERRORS)
                .toList();
        return ProblemResponses.response(ProblemResponses.problem(locale(headers), 400, "validation", errors,
                "problem.validation.detail"));
    }

    /** Declared for the subtype too, ahead of the extension's own mapper for it, which answers plain JSON. */
    @ServerExceptionMapper(priority = jakarta.ws.rs.Priorities.USER - 1)
    public Response mismatched(MismatchedInputException e, HttpHeaders headers) {
        return unreadable(e, headers);
    }

    @ServerExceptionMapper(priority = jakarta.ws.rs.Priorities.USER - 1)
    public Response unreadable(JsonProcessingException e, HttpHeaders headers) {
        Locale locale = locale(headers);
        return FieldErrors.of(e, locale)
                .map(error -> ProblemResponses.response(ProblemResponses.problem(locale, 400, "validation", List.of(error),
                        "problem.validation.detail")))
                .orElseGet(() -> simple(headers, 400, "malformed-body", "problem.malformed-body.detail"));
    }

    @Inject
    AllowedMethods allowedMethods;

    @ServerExceptionMapper
    public Response web(WebApplicationException e, HttpHeaders headers, UriInfo uri) {
        int status = e.getResponse().getStatus();
        if (e instanceof NotFoundException) {
            String parameter = unconvertibleQueryParameter(e, uri);
            if (parameter != null) {
                return problem(new ProblemException(400, "validation", List.of(new ProblemException.FieldErrorKey(parameter, "field.type")),
                        "problem.validation.detail"), headers);
            }
            return simple(headers, 404, "not-found", "problem.not-found.detail");
        }
        if (e instanceof NotAllowedException) {
            return Response.fromResponse(simple(headers, 405, "method-not-allowed", "problem.method-not-allowed.detail"))
                    .header("Allow", allowedMethods.allowFor(uri.getPath())).build();
        }
        if (e instanceof NotSupportedException) {
            return simple(headers, 415, "unsupported-media-type", "problem.unsupported-media-type.detail");
        }
        if (e instanceof NotAcceptableException) {
            return simple(headers, 406, "not-acceptable", "problem.not-acceptable.detail");
        }
        if (e.getCause() instanceof JsonProcessingException unreadable) {
            return unreadable(unreadable, headers);
        }
        if (status == 400) {
            return simple(headers, 400, "bad-request", "problem.bad-request.detail");
        }
        if (status == 413) {
            return simple(headers, 413, "too-large", "problem.too-large.detail");
        }
        if (status >= 500) {
            return internal(e, headers);
        }
        return simple(headers, status, "http-" + status, null);
    }

    /**
     * JAX-RS answers 404 when a query parameter cannot be converted to its type (?limit=abc), as if the
     * resource did not exist; the caller's mistake is the value. The conversion's failure names the value it
     * could not read: a query parameter with that value gets a 400 field error, a path parameter stays 404.
     */
    private static String unconvertibleQueryParameter(WebApplicationException e, UriInfo uri) {
        if (e.getCause() == null) {
            return null;
        }
        String failure = String.valueOf(e.getCause().getMessage());
        for (List<String> values : uri.getPathParameters().values()) {
            if (values.stream().anyMatch(v -> names(failure, v))) {
                return null;
            }
        }
        for (Map.Entry<String, List<String>> parameter : uri.getQueryParameters().entrySet()) {
            if (parameter.getValue().stream().anyMatch(v -> names(failure, v))) {
                return parameter.getKey();
            }
        }
        return null;
    }

    /** Whether a conversion failure quotes this value, as the JDK's do: For input string: "x", Text 'x' could not... */
    private static boolean names(String failure, String value) {
        return !value.isEmpty() && (failure.contains("\"" + value + "\"") || failure.contains("'" + value + "'")
                || failure.endsWith(": " + value));
    }

    @ServerExceptionMapper({ OptimisticLockException.class, StaleStateException.class })
    public Response concurrentUpdate(HttpHeaders headers) {
        return simple(headers, 409, "conflict", "problem.conflict.concurrent");
    }

    @ServerExceptionMapper({ JDBCConnectionException.class, SQLTransientConnectionException.class })
    public Response databaseDown(Exception e, HttpHeaders headers) {
        LOG.error("Database unreachable", e);
        if (connectionLost(e)) {
            flushPool();
        }
        return simple(headers, 503, "unavailable", "problem.unavailable.detail");
    }

    /** The server went away (class 08, or shut down: 57P01-57P03), not merely busy: worth checking the pool for. */
    private static boolean connectionLost(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof JDBCConnectionException) {
                return true;
            }
            if (t instanceof SQLException sql && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("08") || sql.getSQLState().matches("57P0[123]"))) {
                return true;
            }
        }
        return false;
    }

    private static final java.util.concurrent.atomic.AtomicLong LAST_FLUSH = new java.util.concurrent.atomic.AtomicLong();

    /**
     * The database went away (a failover): the pooled connections that lead to the old server (or to one that is
     * now a standby: the validation query fails there) are closed, and the next ones find the new primary, rather
     * than each being found broken by a request. Healthy ones stay. At most once a second.
     */
    private static void flushPool() {
        long now = System.nanoTime();
        long last = LAST_FLUSH.get();
        if (now - last > 1_000_000_000L && LAST_FLUSH.compareAndSet(last, now)) {
            try {
                pool().flush(io.agroal.api.AgroalDataSource.FlushMode.INVALID);
            } catch (RuntimeException e) {
                LOG.warn("The connection pool could not be flushed: " + e.getMessage());
            }
        }
    }

    /**
     * Failures that say "not now" rather than "never": no connection (class 08, or none free in the pool or on
     * the server), the server shutting down, a lock timeout, a statement or an idle transaction stopped by its
     * timeout (the load may have passed), a write that reached a standby. Worth a retry, so 503. A full disk is
     * not: retrying would fail the same way, so it stays a 500 and is logged as such.
     */
    private static boolean unavailable(SQLException e) {
        String state = e.getSQLState();
        if (state == null) {
            return String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT).contains("acquisition timeout");
        }
        // 57014: a statement cancelled by statement_timeout; 25P03: a transaction left idle past its timeout;
        // 25006: a write that reached a server which is no longer the primary (a failover under way).
        return state.startsWith("08") || state.equals("53300") || state.startsWith("57P") || state.equals("55P03")
                || state.equals("57014") || state.equals("25P03") || state.equals("25006");
    }

    /** The organization's identity provider cannot be reached to verify the token: not the caller's fault. */
    @ServerExceptionMapper
    public Response identityProviderDown(OIDCException e, HttpHeaders headers) {
        LOG.warn("Identity provider unreachable: " + e.getMessage());
        return simple(headers, 503, "identity-provider-unavailable", "problem.identity-provider-unavailable.detail");
    }

    @ServerExceptionMapper
    public Response unexpected(Throwable e, HttpHeaders headers) {
        Throwable cause = e;
        while (cause != null) {
            if (cause instanceof ProblemException p) {
                return problem(p, headers);
            }
            if (cause instanceof JDBCConnectionException || cause instanceof SQLTransientConnectionException
                    || cause instanceof SQLException sql && unavailable(sql)) {
                return databaseDown((Exception) cause, headers);
            }
            if (cause instanceof io.vertx.core.http.HttpClosedException) {
                // The client went away in the middle of its body: no one hears the answer, and it is not our failure.
                LOG.info("Client closed the connection before the end of its request");
                return simple(headers, 400, "bad-request", "problem.bad-request.closed");
            }
            if (cause instanceof org.hibernate.exception.ConstraintViolationException) {
                LOG.info("Constraint violation mapped to 409", cause);
                return simple(headers, 409, "conflict", "problem.conflict.constraint");
            }
            if (cause instanceof OptimisticLockException || cause instanceof StaleStateException) {
                return concurrentUpdate(headers);
            }
            cause = cause.getCause() == cause ? null : cause.getCause();
        }
        // A commit that failed for no reason given is 503 only if the database cannot be reached now (a failover cut
        // it): a retry then finds out whether it committed. Otherwise (a timeout, a refused row) it is a 500.
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof jakarta.transaction.RollbackException && !primaryReachable()) {
                return databaseDown((Exception) t, headers);
            }
        }
        return internal(e, headers);
    }

    /** Whether a fresh look at the primary succeeds (a pooled connection, validated as on borrow). */
    private static boolean primaryReachable() {
        try (java.sql.Connection c = pool().getConnection();
                java.sql.Statement s = c.createStatement()) {
            s.setQueryTimeout(2);
            s.execute("SELECT 1 / (NOT pg_is_in_recovery())::int");
            return true;
        } catch (SQLException | RuntimeException e) {
            return false;
        }
    }

    private static io.agroal.api.AgroalDataSource pool() {
        return io.quarkus.arc.Arc.container().instance(io.agroal.api.AgroalDataSource.class).get();
    }

    private Response internal(Throwable e, HttpHeaders headers) {
        LOG.error("Unexpected failure", e);
        return simple(headers, 500, "internal", "problem.internal.detail");
    }

    private static Response simple(HttpHeaders headers, int status, String code, String detailKey) {
        return ProblemResponses.response(ProblemResponses.problem(locale(headers), status, code, List.of(), detailKey));
    }

    static Locale locale(HttpHeaders headers) {
        return headers == null ? Locale.ENGLISH : Messages.locale(headers.getHeaderString(HttpHeaders.ACCEPT_LANGUAGE));
    }

    private static boolean containsKind(Path path, ElementKind kind) {
        for (Path.Node node : path) {
            if (node.getKind() == kind) {
                return true;
            }
        }
        return false;
    }
}
