package org.harbour.testsupport;

import java.io.IOException;
import java.nio.file.Files;
import java.security.PrivateKey;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.lang.JoseException;

import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.build.JwtClaimsBuilder;

/** Signs access tokens as the test realms' providers would, Keycloak-shaped (realm_access.roles). */
public final class Tokens {

    public static final String AUDIENCE = "harbour-api";
    private static final Map<String, RsaJsonWebKey> KEYS = new ConcurrentHashMap<>();

    private Tokens() {
    }

    public static String issuer(String realm) {
        try {
            return Files.readString(OidcRealmsResource.KEYS.resolve("base-url")) + realm;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A valid token of the realm with these roles. */
    public static String of(String realm, String... roles) {
        return sign(claims(realm, roles), realm);
    }

    /** A valid token of the realm for this subject (sub claim) with these roles. */
    public static String forSubject(String subject, String realm, String... roles) {
        return sign(claims(realm, roles).subject(subject), realm);
    }

    public static String expired(String realm, String... roles) {
        return sign(claims(realm, roles).issuedAt(Instant.now().minusSeconds(7200)).expiresAt(Instant.now().minusSeconds(3600)),
                realm);
    }

    /** A valid token issued to this client (azp claim) of the realm. */
    public static String forClient(String client, String realm, String... roles) {
        return sign(claims(realm, roles).claim("azp", client), realm);
    }

    /** A valid token that expires in this many seconds. */
    public static String expiringIn(long seconds, String realm, String... roles) {
        return sign(claims(realm, roles).expiresAt(Instant.now().plusSeconds(seconds)), realm);
    }

    public static String forAudience(String audience, String realm, String... roles) {
        return sign(claims(realm, roles).audience(audience), realm);
    }

    /** Claims of the realm, signed with another realm's key: a forgery. */
    public static String signedBy(String keyRealm, String realm, String... roles) {
        return sign(claims(realm, roles), keyRealm);
    }

    /** A token naming this client of the realm, signed with another realm's key. */
    public static String forClientSignedBy(String client, String keyRealm, String realm, String... roles) {
        return sign(claims(realm, roles).claim("azp", client), keyRealm);
    }

    private static JwtClaimsBuilder claims(String realm, String... roles) {
        return Jwt.issuer(issuer(realm))
                .audience(AUDIENCE)
                .subject(realm + "-user-" + String.join("-", roles))
                .preferredUserName(realm + "-user")
                .claim("azp", realm + "-system")
                .claim("realm_access", Map.of("roles", List.of(roles)))
                .issuedAt(Instant.now())
                .expiresAt(Instant.now().plusSeconds(3600));
    }

    private static String sign(JwtClaimsBuilder claims, String keyRealm) {
        RsaJsonWebKey key = KEYS.computeIfAbsent(keyRealm, Tokens::load);
        PrivateKey privateKey = key.getRsaPrivateKey();
        return claims.jws().keyId(key.getKeyId()).sign(privateKey);
    }

    private static RsaJsonWebKey load(String realm) {
        try {
            return (RsaJsonWebKey) JsonWebKey.Factory.newJwk(Files.readString(OidcRealmsResource.KEYS.resolve(realm + ".jwk")));
        } catch (IOException | JoseException e) {
            throw new IllegalStateException(e);
        }
    }
}
