package org.harbour.testsupport;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.jwk.RsaJwkGenerator;
import org.jose4j.lang.JoseException;

import com.github.tomakehurst.wiremock.WireMockServer;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * OIDC providers for the tests: one realm per organization and one for the network, each with its own
 * signing key, served by the WireMock that quarkus-test-oidc-server brings. Keys differ per realm, so a
 * token of one organization fails on another's path by its issuer and by its signature. The private keys
 * are written under target/ for {@link Tokens} to sign with.
 */
public class OidcRealmsResource implements QuarkusTestResourceLifecycleManager {

    /** Realms the tests may register organizations with; "rogue" is never registered. */
    public static final List<String> REALMS = List.of("network", "riverside", "lakeshore", "harbourview", "northshore",
            "eastside", "tidewater", "prairie", "westwind", "quayside", "rogue");
    static final Path KEYS = Path.of("target", "test-oidc").toAbsolutePath();

    private WireMockServer server;

    @Override
    public Map<String, String> start() {
        server = new WireMockServer(wireMockConfig().dynamicPort());
        server.start();
        try {
            Files.createDirectories(KEYS);
            for (String realm : REALMS) {
                RsaJsonWebKey key = RsaJwkGenerator.generateJwk(2048);
                key.setKeyId(realm + "-key");
                key.setAlgorithm("RS256");
                key.setUse("sig");
                Files.writeString(KEYS.resolve(realm + ".jwk"), key.toJson(JsonWebKey.OutputControlLevel.INCLUDE_PRIVATE));
                String base = server.baseUrl() + "/realms/" + realm;
                server.stubFor(get(urlEqualTo("/realms/" + realm + "/.well-known/openid-configuration"))
                        .willReturn(aResponse().withHeader("Content-Type", "application/json")
                                .withBody("{\"issuer\":\"" + base + "\",\"jwks_uri\":\"" + base
                                        + "/protocol/openid-connect/certs\",\"token_endpoint\":\"" + base
                                        + "/protocol/openid-connect/token\"}")));
                server.stubFor(get(urlEqualTo("/realms/" + realm + "/protocol/openid-connect/certs"))
                        .willReturn(aResponse().withHeader("Content-Type", "application/json")
                                .withBody("{\"keys\":[" + key.toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY) + "]}")));
            }
            Files.writeString(KEYS.resolve("base-url"), server.baseUrl() + "/realms/");
        } catch (IOException | JoseException e) {
            throw new IllegalStateException(e);
        }
        return Map.of("harbour.network.issuer", server.baseUrl() + "/realms/network");
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop();
        }
    }
}
