package org.harbour.drugcheck;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Query;
import jakarta.transaction.Transactional;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
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
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.harbour.tenancy.FairShare;
import org.harbour.tenancy.OrganizationRegistry;
import org.harbour.tenancy.Provinces;
import org.harbour.tenancy.Roles;
import org.harbour.tenancy.TenantRequestFilter;
import org.harbour.web.Cursors;
import org.harbour.web.Page;
import org.jboss.resteasy.reactive.RestStreamElementType;

import io.smallrye.mutiny.Multi;

/** Network alerts, for every member organization (with its own token) and the coordinator. */
@Path("/v1/network/alerts")
@Tag(name = "Drug checking")
public class AlertResource {

    @Inject
    EntityManager entityManager;

    @Inject
    NetworkAlerts alerts;

    @Inject
    io.quarkus.security.identity.SecurityIdentity identity;

    @Inject
    OrganizationRegistry registry;

    @Inject
    FairShare fairShare;

    /** How soon an open stream notices that its token expired or its organization was suspended. */
    @org.eclipse.microprofile.config.inject.ConfigProperty(name = "harbour.alerts.stream-check", defaultValue = "5S")
    java.time.Duration checkEvery;

    @Schema(name = "NetworkAlertPage")
    public record AlertPage(List<AlertView> items, String nextCursor) {
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @RolesAllowed({ Roles.COORDINATOR, Roles.ORG_ADMIN, Roles.REPORTER, Roles.VIEWER })
    @Transactional
    @Operation(operationId = "listAlerts", summary = "List network alerts, latest week first",
            description = "Counts per substance, province and ISO week across the network, latest week first, then by substance "
                    + "and province; for coordinator, org-admin, reporter or viewer. Filter by province, substance and sinceWeek "
                    + "(inclusive); paged by limit (max 200) and cursor, with Link rel=\"next\".")
    @APIResponse(responseCode = "200", description = "A page of alerts", content = @Content(schema = @Schema(implementation = AlertPage.class)))
    public Response list(@QueryParam("province") @Pattern(regexp = Provinces.PATTERN, message = "{harbour.province}") String province,
            @QueryParam("substance") @Parameter(schema = @Schema(implementation = DrugCheckEnums.Substance.class)) String substance,
            @QueryParam("sinceWeek") @Pattern(regexp = "[0-9]{4}-W[0-9]{2}") @Parameter(description = "ISO week, e.g. 2026-W40") String sinceWeek,
            @QueryParam("limit") @DefaultValue("50") @Min(1) @Max(Cursors.MAX_LIMIT) int limit,
            @QueryParam("cursor") String cursor, @Context UriInfo uri) {
        StringBuilder sql = new StringBuilder("SELECT substance, province, week, samples, sites, first_seen, last_seen, version "
                + "FROM network_alert WHERE true");
        Map<String, Object> params = new HashMap<>();
        if (province != null) {
            sql.append(" AND province = :province");
            params.put("province", province);
        }
        if (substance != null) {
            sql.append(" AND substance = :substance");
            params.put("substance",
                    org.harbour.web.Params.enumValue(DrugCheckEnums.Substance.class, substance, "substance").name());
        }
        if (sinceWeek != null) {
            sql.append(" AND week >= :since");
            params.put("since", sinceWeek);
        }
        if (cursor != null) {
            String[] key = Cursors.decode(cursor, k -> {
                String[] parts = k.split("\\|");
                if (parts.length != 3) {
                    throw new IllegalArgumentException();
                }
                return parts;
            });
            sql.append(" AND (week < :w OR (week = :w AND (substance, province) > (:s, :p)))");
            params.put("w", key[0]);
            params.put("s", key[1]);
            params.put("p", key[2]);
        }
        sql.append(" ORDER BY week DESC, substance, province LIMIT ").append(limit + 1);
        Query query = entityManager.createNativeQuery(sql.toString());
        params.forEach(query::setParameter);
        List<AlertView> rows = new ArrayList<>();
        for (Object row : query.getResultList()) {
            rows.add(NetworkAlerts.view((Object[]) row));
        }
        return Page.of(rows, limit, a -> a, a -> a.week() + "|" + a.substance() + "|" + a.province()).toResponse(uri);
    }

    @GET
    @Path("/stream")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RestStreamElementType(MediaType.APPLICATION_JSON)
    @RolesAllowed({ Roles.COORDINATOR, Roles.ORG_ADMIN, Roles.REPORTER, Roles.VIEWER })
    @Operation(operationId = "streamAlerts", summary = "Follow network alerts as server-sent events",
            description = "Each event is a NetworkAlert, sent when a sample raising or updating it has been committed. "
                    + "The stream ends when the token expires or the organization is suspended: reconnect with a fresh token.")
    @APIResponse(responseCode = "429", description = "The organization already has as many streams open as it may (10)")
    @APIResponse(responseCode = "200", description = "An endless stream of alerts",
            content = @Content(mediaType = MediaType.SERVER_SENT_EVENTS, schema = @Schema(implementation = AlertView.class)))
    @org.harbour.tenancy.FairShare.OwnShare
    public Multi<AlertView> stream() {
        java.time.Instant expiresAt = identity.getPrincipal() instanceof org.eclipse.microprofile.jwt.JsonWebToken jwt
                ? java.time.Instant.ofEpochSecond(jwt.getExpirationTime())
                : java.time.Instant.now();
        java.util.Optional<String> member = TenantRequestFilter.orgOf(identity);
        // Each stream is held open for the life of its token: an organization has so many at once.
        FairShare.Permit permit = fairShare.acquire(FairShare.Work.STREAM, member.orElse(org.harbour.web.RateLimits.NETWORK));
        return alerts.stream(() -> java.time.Instant.now().isBefore(expiresAt)
                && member.map(slug -> registry.find(slug).filter(OrganizationRegistry.Entry::active).isPresent()).orElse(true),
                checkEvery).onTermination().invoke(permit::close);
    }
}
