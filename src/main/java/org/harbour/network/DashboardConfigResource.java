package org.harbour.network;

import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Where the dashboard (/dashboard/) signs its users in: the network realm and its public browser client. */
@Path("/v1/dashboard/config")
@Tag(name = "Network")
@Produces(MediaType.APPLICATION_JSON)
public class DashboardConfigResource {

    @ConfigProperty(name = "harbour.network.issuer")
    String issuer;

    @ConfigProperty(name = "harbour.dashboard.client-id", defaultValue = "harbour-dashboard-web")
    String clientId;

    @Schema(name = "DashboardConfig")
    public record DashboardConfig(@Schema(description = "The network realm's OIDC issuer.") String issuer,
            @Schema(description = "The public client the dashboard signs in with (authorization code with PKCE).") String clientId) {
    }

    @GET
    @PermitAll
    @Operation(operationId = "getDashboardConfig", summary = "Where the coordinator's dashboard signs in",
            description = "Public: the issuer and client of the network realm the dashboard uses; no secret.")
    @APIResponse(responseCode = "200", description = "The dashboard's sign-in settings",
            content = @Content(schema = @Schema(implementation = DashboardConfig.class)))
    public DashboardConfig config() {
        return new DashboardConfig(issuer, clientId);
    }
}
