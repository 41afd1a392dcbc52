package org.harbour.note;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.harbour.testsupport.ApiTest;
import org.harbour.testsupport.Fixtures;
import org.harbour.testsupport.Tokens;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/**
 * What ranking must keep (issue 11): on a fixed corpus where the best notes for each query are known, they lead the
 * first page, in both languages and both scopes; paging through notes that rank alike gives each exactly once; and
 * the network's copy of what it may search follows every change of a note.
 */
@QuarkusTest
class NoteRankingTest extends ApiTest {

    String tag;

    @BeforeEach
    void corpus() {
        Fixtures.organization(Fixtures.RIVERSIDE);
        Fixtures.organization(Fixtures.LAKESHORE);
        tag = "rank-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private String note(String org, String title, String body, String language, String visibility) {
        return given().auth().oauth2(Tokens.of(org, "reporter")).contentType(ContentType.JSON)
                .body(Map.of("title", title, "body", body, "language", language, "theme", "OPERATIONS", "kind", "TIP",
                        "tags", List.of(tag), "visibility", visibility))
                .post("/v1/orgs/" + org + "/notes").then().statusCode(201).extract().path("id");
    }

    private void seed() {
        note("riverside", "Naloxone training for peers", "Peers learn to give naloxone during an overdose; we train them monthly.", "en", "NETWORK");
        note("lakeshore", "Monthly meeting", "Agenda: budget, the naloxone stock, staffing, and peers who asked for a raise.", "en", "NETWORK");
        note("riverside", "Peer support circles", "Staff meet peers after hard shifts.", "en", "NETWORK");
        note("lakeshore", "Ventilation upgrade", "A smoke extractor for the inhalation room; naloxone kits hang by the door.", "en", "NETWORK");
        note("riverside", "Debrief after every overdose", "A hot debrief within the hour helps the team after an overdose.", "en", "NETWORK");
        note("lakeshore", "Overdose statistics", "Monthly counts of overdoses; debrief attendance was low in winter.", "en", "NETWORK");
        note("lakeshore", "Formation à la naloxone pour les pairs", "Les pairs apprennent à donner la naloxone lors d'une surdose.", "fr", "NETWORK");
        note("riverside", "Réunion mensuelle", "Ordre du jour : budget, stock de naloxone, horaires des pairs.", "fr", "NETWORK");
        note("lakeshore", "Compte rendu après chaque surdose", "Un compte rendu à chaud dans l'heure aide l'équipe après une surdose.", "fr", "NETWORK");
        note("riverside", "Statistiques", "Les surdoses du mois et la présence aux comptes rendus.", "fr", "NETWORK");
    }

    private Response network(String q) {
        return given().auth().oauth2(Tokens.of("lakeshore", "viewer")).queryParam("q", q).queryParam("tag", tag)
                .get("/v1/network/notes");
    }

    private List<String> titles(Response r) {
        r.then().statusCode(200);
        return r.path("items.title");
    }

    @Test
    void theBestNotesLeadTheFirstPageInBothLanguages() {
        seed();
        assertEquals("Naloxone training for peers", titles(network("naloxone peers")).get(0));
        assertEquals("Formation à la naloxone pour les pairs", titles(network("naloxone pairs")).get(0));
        assertEquals(List.of("Debrief after every overdose", "Overdose statistics"), titles(network("debrief overdose")).subList(0, 2));
        assertEquals("Compte rendu après chaque surdose", titles(network("compte rendu surdose")).get(0));
        // Naloxone in the title ranks above naloxone in the body, whatever the language.
        List<String> naloxone = titles(network("naloxone"));
        assertEquals(5, naloxone.size(), naloxone.toString());
        assertTrue(new HashSet<>(naloxone.subList(0, 2)).equals(new HashSet<>(List.of("Naloxone training for peers",
                "Formation à la naloxone pour les pairs"))), naloxone.toString());
        // The rank shown falls as the page goes down.
        List<Float> ranks = network("naloxone").path("items.rank");
        for (int i = 1; i < ranks.size(); i++) {
            assertTrue(ranks.get(i - 1) >= ranks.get(i), ranks.toString());
        }
        // The organization's own search ranks the same way.
        given().auth().oauth2(Tokens.of("riverside", "viewer")).queryParam("q", "debrief overdose").queryParam("tag", tag)
                .get("/v1/orgs/riverside/notes").then().statusCode(200).body("items[0].title", equalTo("Debrief after every overdose"));
    }

    @Test
    void pagingThroughNotesThatRankAlikeGivesEachOnce() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            ids.add(note(i % 2 == 0 ? "riverside" : "lakeshore", "Grief circle", "Grief circles after a client death helped the night team.",
                    "en", "NETWORK"));
        }
        ids.add(note("riverside", "Cercle de deuil", "Les cercles de deuil ont aidé l'équipe de nuit après un décès.", "fr", "NETWORK"));
        for (String path : new String[] { "/v1/network/notes", "/v1/orgs/riverside/notes" }) {
            List<String> seen = new ArrayList<>();
            String cursor = null;
            do {
                var request = given().auth().oauth2(Tokens.of("riverside", "viewer")).queryParam("q", "grief or deuil")
                        .queryParam("tag", tag).queryParam("limit", 2);
                if (cursor != null) {
                    request.queryParam("cursor", cursor);
                }
                Response page = request.get(path);
                page.then().statusCode(200);
                seen.addAll(page.path("items.id"));
                cursor = page.path("nextCursor");
            } while (cursor != null && seen.size() < 20);
            List<String> expected = path.contains("orgs") ? List.of(ids.get(0), ids.get(2), ids.get(4), ids.get(6), ids.get(7)) : ids;
            assertEquals(expected.size(), seen.size(), path + ": " + seen);
            assertEquals(new HashSet<>(expected), new HashSet<>(seen), path);
        }
    }

    @Test
    void theNetworkSearchFollowsEveryChangeOfANote() {
        String id = note("riverside", "Needle pickup walk", "We walk the block every morning for needle pickup.", "en", "NETWORK");
        String path = "/v1/orgs/riverside/notes/" + id;
        assertEquals(List.of("Needle pickup walk"), titles(network("needle pickup")));
        Map<String, Object> edit = Map.of("title", "Sharps pickup walk", "body", "We walk the block every morning for sharps.",
                "language", "en", "theme", "OPERATIONS", "kind", "TIP", "tags", List.of(tag), "visibility", "NETWORK");
        given().auth().oauth2(Tokens.of("riverside", "org-admin")).contentType(ContentType.JSON).body(edit).put(path).then().statusCode(200);
        assertEquals(List.of(), titles(network("needle")));
        assertEquals(List.of("Sharps pickup walk"), titles(network("sharps")));
        Map<String, Object> hidden = new java.util.HashMap<>(edit);
        hidden.put("visibility", "ORGANIZATION");
        given().auth().oauth2(Tokens.of("riverside", "org-admin")).contentType(ContentType.JSON).body(hidden).put(path).then().statusCode(200);
        assertEquals(List.of(), titles(network("sharps")));
        given().auth().oauth2(Tokens.of("riverside", "org-admin")).contentType(ContentType.JSON).body(edit).put(path).then().statusCode(200);
        assertEquals(List.of("Sharps pickup walk"), titles(network("sharps")));
        given().auth().oauth2(Tokens.of("riverside", "org-admin")).delete(path).then().statusCode(204);
        assertEquals(List.of(), titles(network("sharps")));
    }

    @Test
    void queriesWithNothingToMatchOrOnlyExclusionsAnswer() {
        seed();
        network("the").then().statusCode(200).body("items", hasSize(0));
        network("!!! ???").then().statusCode(200).body("items", hasSize(0));
        // Exclusions alone would rank every note alike (and read them all): they find nothing.
        network("-naloxone").then().statusCode(200).body("items", hasSize(0));
        network("peer -naloxone").then().statusCode(200).body("items.title", not(hasItem("Naloxone training for peers")))
                .body("items.title", hasItem("Peer support circles"));
        network("\"hot debrief\"").then().statusCode(200).body("items.title", containsInAnyOrder("Debrief after every overdose"));
        network("budget or extractor").then().statusCode(200).body("items", hasSize(3));
        network("naloxone").then().body("items", hasSize(5));
        String someId = UUID.randomUUID().toString();
        for (String key : new String[] { "not-a-number|123", "0.5|" + someId, "dNaN|" + someId, "d-1|" + someId, "d1.5" }) {
            for (String path : new String[] { "/v1/network/notes", "/v1/orgs/lakeshore/notes" }) {
                given().auth().oauth2(Tokens.of("lakeshore", "viewer")).queryParam("q", "naloxone").queryParam("tag", tag)
                        .queryParam("cursor", org.harbour.web.Cursors.encode(key)).get(path).then().statusCode(400)
                        .body("errors[0].field", equalTo("cursor"));
            }
        }
    }

    @Test
    void aSearchIsBoundedInLengthAndWords() {
        String words = String.join(" ", java.util.Collections.nCopies(17, "naloxone"));
        for (String q : new String[] { "x".repeat(201), words }) {
            for (String path : new String[] { "/v1/network/notes", "/v1/orgs/riverside/notes" }) {
                given().auth().oauth2(Tokens.of("riverside", "viewer")).header("Accept-Language", "fr").queryParam("q", q).get(path)
                        .then().statusCode(400).body("errors[0].field", equalTo("q"))
                        .body("errors[0].message", equalTo("doit compter au plus 200 caractères et 16 mots"));
            }
        }
        given().auth().oauth2(Tokens.of("riverside", "viewer")).queryParam("q", String.join(" ", java.util.Collections.nCopies(16, "naloxone")))
                .get("/v1/network/notes").then().statusCode(200);
    }
}
