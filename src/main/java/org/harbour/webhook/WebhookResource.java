package org.harbour.webhook;

import java.net.URI;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
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
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.harbour.audit.AuditEntry;
import org.harbour.audit.AuditLog;
import org.harbour.tenancy.Roles;
import org.harbour.web.ProblemException;

import io.quarkus.panache.common.Sort;

@Path("/v1/orgs/{org}/webhooks")
@Tag(name = "Webhooks", description = "Network alerts pushed to the organization's systems, signed, retried and recorded.")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.ORG_ADMIN)
public class WebhookResource {

    private static final SecureRandom RANDOM = new SecureRandom();

    @Inject
    WebhookDestinations destinations;

    @Inject
    AuditLog audit;

    /** Each webhook is a delivery per alert: the cap bounds what one organization makes the dispatcher do. */
    @org.eclipse.microprofile.config.inject.ConfigProperty(name = "harbour.webhooks.max-per-org", defaultValue = "10")
    int maxPerOrganization;

    @Schema(name = "WebhookInput")
    public record WebhookInput(
            @NotBlank @Size(max = 2000) @Schema(description = "A public https URL.", examples = "https://ops.riverside.example/harbour/alerts")
            String url,
            @Size(max = 200) String description) {
    }

    @Schema(name = "Webhook", description = "Deliveries are POSTs of a NetworkAlert with headers Harbour-Event, Harbour-Delivery and "
            + "Harbour-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of \"t.body\" with the secret>. Reject a timestamp older "
            + "than a few minutes to stop replays. Failed deliveries are retried with exponential backoff.")
    public record WebhookView(UUID id, String url, String description, Instant createdAt,
            @Schema(description = "Only in the answer to the creation: keep it, it is not shown again.") String secret) {
    }

    @Schema(name = "WebhookDelivery")
    public record DeliveryView(UUID id, String event, WebhookDelivery.Status status, int attempts, Integer lastStatusCode,
            String lastError, Instant createdAt, Instant deliveredAt, Instant nextAttemptAt) {
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Transactional
    @Operation(operationId = "createWebhook", summary = "Register a webhook for network alerts",
            description = "An organization has at most 10 webhooks (422 beyond).")
    @APIResponse(responseCode = "201", description = "Registered; the answer holds the signing secret",
            content = @Content(schema = @Schema(implementation = WebhookView.class)))
    public Response create(@PathParam("org") String org, @Valid @NotNull WebhookInput input, @Context UriInfo uri) {
        destinations.check(input.url());
        // Serialized per organization, so that racing creations cannot pass the cap together.
        Webhook.getEntityManager().createNativeQuery("SELECT pg_advisory_xact_lock(hashtext('webhooks:' || :org))")
                .setParameter("org", org).getSingleResult();
        if (Webhook.count() >= maxPerOrganization) {
            throw ProblemException.rule(new ProblemException.FieldErrorKey("url", "field.too-many-webhooks", maxPerOrganization));
        }
        Webhook hook = new Webhook();
        hook.url = input.url();
        hook.description = input.description();
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        hook.secret = HexFormat.of().formatHex(secret);
        hook.persistAndFlush();
        WebhookView view = new WebhookView(hook.id, hook.url, hook.description, hook.createdAt, null);
        audit.record(AuditEntry.Action.CREATE, "webhook", hook.id, null, view);
        return Response.created(URI.create(uri.getPath() + "/" + hook.id))
                .entity(new WebhookView(hook.id, hook.url, hook.description, hook.createdAt, hook.secret)).build();
    }

    @GET
    @Transactional
    @Operation(operationId = "listWebhooks", summary = "List the organization's webhooks",
            description = "Org-admin only: the organization's webhooks, oldest first, with URL and description but never the "
                    + "signing secret (shown only at creation). Not paged.")
    @APIResponse(responseCode = "200", description = "The webhooks, without their secrets",
            content = @Content(schema = @Schema(implementation = WebhookView[].class)))
    public List<WebhookView> list(@PathParam("org") String org) {
        return Webhook.<Webhook> listAll(Sort.by("createdAt")).stream()
                .map(h -> new WebhookView(h.id, h.url, h.description, h.createdAt, null)).toList();
    }

    @DELETE
    @Path("/{id}")
    @Transactional
    @Operation(operationId = "deleteWebhook", summary = "Remove a webhook and its delivery records",
            description = "Org-admin only: its delivery records go with it, pending ones included. Recorded in the organization's "
                    + "audit trail; an unknown id is 404.")
    @APIResponse(responseCode = "204", description = "Removed")
    public void delete(@PathParam("org") String org, @PathParam("id") UUID id) {
        Webhook hook = Webhook.<Webhook> findByIdOptional(id).orElseThrow(ProblemException::notFound);
        WebhookView before = new WebhookView(hook.id, hook.url, hook.description, hook.createdAt, null);
        hook.delete();
        audit.record(AuditEntry.Action.DELETE, "webhook", id, before, null);
    }

    @GET
    @Path("/{id}/deliveries")
    @Transactional
    @Operation(operationId = "listWebhookDeliveries", summary = "The latest deliveries to a webhook, newest first",
            description = "Org-admin only: the webhook's most recent deliveries, newest first, with status (PENDING, DELIVERED or "
                    + "FAILED), attempts, last HTTP status or error and next attempt. At most limit (max 200); not paged. An "
                    + "unknown webhook is 404.")
    @APIResponse(responseCode = "200", description = "Deliveries with their attempts and last status",
            content = @Content(schema = @Schema(implementation = DeliveryView[].class)))
    public List<DeliveryView> deliveries(@PathParam("org") String org, @PathParam("id") UUID id,
            @QueryParam("limit") @DefaultValue("50") @Min(1) @Max(200) int limit) {
        Webhook.<Webhook> findByIdOptional(id).orElseThrow(ProblemException::notFound);
        return WebhookDelivery.<WebhookDelivery> find("webhookId", Sort.descending("createdAt"), id).range(0, limit - 1).list()
                .stream().map(d -> new DeliveryView(d.id, d.event, d.status, d.attempts, d.lastStatusCode, d.lastError, d.createdAt,
                        d.deliveredAt, d.nextAttemptAt)).toList();
    }
}
