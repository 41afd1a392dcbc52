package org.harbour.testsupport;

import static io.restassured.RestAssured.given;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.restassured.http.ContentType;
import io.restassured.response.Response;

/** Data the tests stand on, made through the API as a member system would. */
public final class Fixtures {

    public static final String RIVERSIDE = "riverside";
    public static final String LAKESHORE = "lakeshore";

    private Fixtures() {
    }

    public static String admin() {
        return Tokens.of("network", "network-admin");
    }

    /** Registers the organization whose issuer is the test realm of the same name; no-op when it exists. */
    public static void organization(String slug) {
        organization(slug, slug);
    }

    public static void organization(String slug, String realm) {
        Response r = given().auth().oauth2(admin()).contentType(ContentType.JSON)
                .body(organizationBody(slug, realm))
                .post("/v1/admin/organizations");
        if (r.statusCode() != 201 && r.statusCode() != 409) {
            throw new IllegalStateException("cannot create organization " + slug + ": " + r.asString());
        }
    }

    public static Map<String, Object> organizationBody(String slug, String realm) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("slug", slug);
        body.put("legalNameEn", "Society " + slug);
        body.put("legalNameFr", "Société " + slug);
        body.put("provinces", List.of("CA-ON"));
        body.put("issuer", Tokens.issuer(realm));
        body.put("audience", Tokens.AUDIENCE);
        return body;
    }

    public static Map<String, Object> siteBody(String name) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", name);
        body.put("kind", "SCS");
        body.put("model", "STANDALONE");
        body.put("address", "120 Harbour St");
        body.put("city", "Toronto");
        body.put("province", "CA-ON");
        body.put("healthRegion", "Toronto Region");
        body.put("timeZone", "America/Toronto");
        body.put("booths", 8);
        body.put("openedOn", "2019-05-01");
        body.put("exemption", Map.of("number", "S-56.1-" + UUID.randomUUID().toString().substring(0, 8), "issuedOn", "2025-01-01",
                "expiresOn", "2026-01-01"));
        return body;
    }

    /** An outreach overdose, valid anywhere in any organization. */
    public static Map<String, Object> outreachIncident() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("externalRef", "OUT-" + UUID.randomUUID());
        body.put("occurredAt", "2026-10-01T02:00:00Z");
        body.put("location", "OUTREACH");
        body.put("kind", "OVERDOSE");
        body.put("substances", List.of("FENTANYL"));
        body.put("mode", "INJECTION");
        body.put("response", Map.of("naloxoneDoses", 1));
        body.put("outcome", "RESOLVED_ON_SITE");
        return body;
    }

    /** Creates a site in the organization (whose realm is its slug) and returns its id. */
    public static String site(String org, String name) {
        return given().auth().oauth2(Tokens.of(org, "org-admin")).contentType(ContentType.JSON)
                .body(siteBody(name))
                .post("/v1/orgs/" + org + "/sites")
                .then().statusCode(201).extract().path("id");
    }
}
