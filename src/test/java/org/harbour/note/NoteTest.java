package org.harbour.note;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.harbour.testsupport.ApiTest;
import org.harbour.testsupport.Fixtures;
import org.harbour.testsupport.Tokens;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

@QuarkusTest
class NoteTest extends ApiTest {

    @ConfigProperty(name = "harbour.db.url")
    String dbUrl;

    String tag;

    @BeforeEach
    void organizations() {
        Fixtures.organization(Fixtures.RIVERSIDE);
        Fixtures.organization(Fixtures.LAKESHORE);
        tag = "run-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private String note(String org, String role, String title, String body, String language, String theme, String visibility) {
        return given().auth().oauth2(Tokens.of(org, role)).contentType(ContentType.JSON)
                .body(Map.of("title", title, "body", body, "language", language, "theme", theme, "kind", "TIP",
                        "tags", List.of(tag, "Debrief"), "visibility", visibility))
                .post("/v1/orgs/" + org + "/notes").then().statusCode(201).extract().path("id");
    }

    private void seed() {
        note("riverside", "reporter", "Resilience in the team",
                "After every overdose we hold a hot debrief within the hour; staff say it is what keeps them coming back.",
                "en", "STAFF_RESILIENCY", "NETWORK");
        note("lakeshore", "reporter", "La résilience de l'équipe",
                "Après chaque surdose, un compte rendu à chaud : l'équipe dit que c'est ce qui préserve sa résilience et sa compassion.",
                "fr", "STAFF_RESILIENCY", "NETWORK");
        note("riverside", "org-admin", "Résilience : notre plan interne",
                "Plan confidentiel de l'organisation pour la résilience du personnel.", "fr", "STAFF_RESILIENCY", "ORGANIZATION");
        note("lakeshore", "reporter", "Ventilation for inhalation rooms",
                "Negative pressure and a smoke extractor made supervised inhalation possible in a small space.", "en",
                "EXPANDING_MODELS", "NETWORK");
    }

    @Test
    void networkSearchFindsBothLanguagesIgnoringAccentsAndNeverOrganizationNotes() {
        seed();
        for (String q : new String[] { "resilience", "résilience", "RÉSILIENCE" }) {
            given().auth().oauth2(Tokens.of("lakeshore", "viewer")).queryParam("q", q).queryParam("tag", tag)
                    .get("/v1/network/notes").then().statusCode(200)
                    .body("items", hasSize(2))
                    .body("items.title", hasItem("Resilience in the team"))
                    .body("items.title", hasItem("La résilience de l'équipe"))
                    .body("items.title", not(hasItem("Résilience : notre plan interne")))
                    .body("items.visibility", everyItem(equalTo("NETWORK")));
        }
        given().auth().oauth2(Tokens.of("network", "coordinator")).queryParam("q", "surdoses compte rendu").queryParam("tag", tag)
                .get("/v1/network/notes").then().statusCode(200)
                .body("items[0].title", equalTo("La résilience de l'équipe"))
                .body("items[0].organization", equalTo("lakeshore"))
                .body("items[0].snippet", containsString("**surdose**"));
        given().auth().oauth2(Tokens.of("riverside", "viewer")).queryParam("q", "inhalation ventilation").queryParam("tag", tag)
                .get("/v1/network/notes").then().statusCode(200)
                .body("items", hasSize(1)).body("items[0].snippet", containsString("**inhalation**"));
    }

    @Test
    void networkSearchFilters() {
        seed();
        given().auth().oauth2(Tokens.of("riverside", "viewer")).queryParam("tag", tag).queryParam("language", "fr")
                .get("/v1/network/notes").then().statusCode(200)
                .body("items", hasSize(1)).body("items[0].language", equalTo("fr"));
        given().auth().oauth2(Tokens.of("riverside", "viewer")).queryParam("tag", tag).queryParam("organization", "lakeshore")
                .queryParam("theme", "EXPANDING_MODELS").get("/v1/network/notes").then().statusCode(200)
                .body("items", hasSize(1)).body("items[0].title", equalTo("Ventilation for inhalation rooms"));
        given().auth().oauth2(Tokens.of("riverside", "viewer")).queryParam("tag", "DEBRIEF").queryParam("limit", 200)
                .get("/v1/network/notes").then().statusCode(200).body("items.tags.flatten()", hasItem("debrief"));
        var first = given().auth().oauth2(Tokens.of("riverside", "viewer")).queryParam("tag", tag).queryParam("limit", 2)
                .get("/v1/network/notes");
        first.then().statusCode(200).body("items", hasSize(2));
        given().auth().oauth2(Tokens.of("riverside", "viewer")).queryParam("tag", tag).queryParam("limit", 2)
                .queryParam("cursor", (String) first.path("nextCursor")).get("/v1/network/notes").then().statusCode(200)
                .body("items", hasSize(1));
        given().auth().oauth2(Tokens.of("riverside", "viewer")).queryParam("tag", tag).queryParam("from", "2099-01-01T00:00:00Z")
                .get("/v1/network/notes").then().statusCode(200).body("items", hasSize(0));
        given().auth().oauth2(Tokens.of("riverside", "viewer")).queryParam("tag", tag).queryParam("to", "2099-01-01T00:00:00Z")
                .queryParam("from", "2020-01-01T00:00:00Z").get("/v1/network/notes").then().statusCode(200).body("items", hasSize(3));
        given().auth().oauth2(Tokens.of("riverside", "viewer")).queryParam("theme", "GOSSIP").get("/v1/network/notes")
                .then().statusCode(400).body("errors[0].field", equalTo("theme"));
    }

    @Test
    void whoMaySearchTheNetwork() {
        given().auth().oauth2(Tokens.of("network", "coordinator")).get("/v1/network/notes").then().statusCode(200);
        given().auth().oauth2(Tokens.of("lakeshore", "viewer")).get("/v1/network/notes").then().statusCode(200);
        given().auth().oauth2(Tokens.of("network", "researcher")).get("/v1/network/notes").then().statusCode(403);
        given().auth().oauth2(Tokens.of("rogue", "viewer")).get("/v1/network/notes").then().statusCode(401);
        given().auth().oauth2(Tokens.signedBy("rogue", "riverside", "viewer")).get("/v1/network/notes").then().statusCode(401);
        given().get("/v1/network/notes").then().statusCode(401);
    }

    @Test
    void anOrganizationSeesAllItsOwnNotesAndOnlyItsOwn() {
        seed();
        given().auth().oauth2(Tokens.of("riverside", "viewer")).queryParam("q", "résilience").queryParam("tag", tag)
                .get("/v1/orgs/riverside/notes").then().statusCode(200)
                .body("items", hasSize(2))
                .body("items.title", hasItem("Résilience : notre plan interne"))
                .body("items.title", not(hasItem("La résilience de l'équipe")));
        given().auth().oauth2(Tokens.of("lakeshore", "viewer")).queryParam("tag", tag).get("/v1/orgs/lakeshore/notes")
                .then().statusCode(200).body("items", hasSize(2))
                .body("items.title", not(hasItem("Résilience : notre plan interne")));
    }

    @Test
    void authorsEditTheirOwnAndOrgAdminsAny() throws SQLException {
        String id = note("riverside", "viewer", "Naloxone kits at the door", "Keep two kits at the entrance, checked at every shift.",
                "en", "OPERATIONS", "ORGANIZATION");
        Map<String, Object> edit = Map.of("title", "Naloxone kits at every door", "body", "Two kits at each entrance.",
                "language", "en", "theme", "OPERATIONS", "kind", "TIP", "visibility", "NETWORK");
        String path = "/v1/orgs/riverside/notes/" + id;
        given().auth().oauth2(Tokens.of("riverside", "reporter")).contentType(ContentType.JSON).body(edit).put(path)
                .then().statusCode(403).body("detail", equalTo("Only its author or an org-admin can change this note."));
        given().auth().oauth2(Tokens.of("riverside", "viewer")).contentType(ContentType.JSON).header("If-Match", "\"0\"").body(edit)
                .put(path).then().statusCode(200).body("visibility", equalTo("NETWORK")).header("ETag", equalTo("\"1\""));
        given().auth().oauth2(Tokens.of("riverside", "org-admin")).contentType(ContentType.JSON).body(edit).put(path)
                .then().statusCode(200);
        given().auth().oauth2(Tokens.of("lakeshore", "org-admin")).get("/v1/orgs/lakeshore/notes/" + id).then().statusCode(404);
        given().auth().oauth2(Tokens.of("riverside", "reporter")).delete(path).then().statusCode(403);
        given().auth().oauth2(Tokens.of("riverside", "org-admin")).delete(path).then().statusCode(204);
        given().auth().oauth2(Tokens.of("riverside", "viewer")).get(path).then().statusCode(404);

        try (Connection c = DriverManager.getConnection(dbUrl, "harbour_app", "harbour_app"); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("select count(*) from note where visibility = 'ORGANIZATION'")) {
            rs.next();
            assertEquals(0, rs.getLong(1), "without a tenant, no organization-visible note is readable");
        }
    }

    @Test
    void theBodyIsStoredAsGiven() {
        String body = "# Tip\n\n<script>alert('x')</script> **bold** & \"quotes\"";
        String id = note("riverside", "reporter", "Markdown kept", body, "en", "OPERATIONS", "ORGANIZATION");
        given().auth().oauth2(Tokens.of("riverside", "viewer")).get("/v1/orgs/riverside/notes/" + id).then().statusCode(200)
                .contentType(ContentType.JSON).body("body", equalTo(body)).body("tags", hasItem("debrief"));
    }
}
