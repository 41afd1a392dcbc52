package org.harbour.audit;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.harbour.testsupport.ApiTest;
import org.harbour.testsupport.Fixtures;
import org.harbour.testsupport.Tokens;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

@QuarkusTest
class AuditTest extends ApiTest {

    @ConfigProperty(name = "harbour.db.url")
    String dbUrl;

    @BeforeEach
    void organizations() {
        Fixtures.organization(Fixtures.RIVERSIDE);
        Fixtures.organization(Fixtures.LAKESHORE);
    }

    @Test
    void everyWriteSaysWhoChangedWhat() {
        String admin = Tokens.of("riverside", "org-admin");
        String id = Fixtures.site("riverside", "Audited");
        Map<String, Object> body = Fixtures.siteBody("Audited, renamed");
        given().auth().oauth2(admin).contentType(ContentType.JSON).body(body).put("/v1/orgs/riverside/sites/" + id)
                .then().statusCode(200);
        given().auth().oauth2(admin).delete("/v1/orgs/riverside/sites/" + id).then().statusCode(200);

        given().auth().oauth2(admin).queryParam("entity", "site").queryParam("entityId", id).get("/v1/orgs/riverside/audit")
                .then().statusCode(200)
                .body("items", hasSize(3))
                .body("items[0].action", equalTo("CLOSE"))
                .body("items[0].changes.status.from", equalTo("ACTIVE"))
                .body("items[0].changes.status.to", equalTo("CLOSED"))
                .body("items[1].action", equalTo("UPDATE"))
                .body("items[1].changes.name.from", equalTo("Audited"))
                .body("items[1].changes.name.to", equalTo("Audited, renamed"))
                .body("items[1].changes.kind", equalTo(null))
                .body("items[2].action", equalTo("CREATE"))
                .body("items[2].changes.name.to", equalTo("Audited"))
                .body("items[2].subject", equalTo("riverside-user"))
                .body("items[2].clientId", equalTo("riverside-system"));
    }

    @Test
    void onlyTheOrganizationsAdminReadsItsOwnAudit() {
        String id = Fixtures.site("lakeshore", "Lakeshore audited");
        given().auth().oauth2(Tokens.of("riverside", "org-admin")).queryParam("entityId", id).get("/v1/orgs/riverside/audit")
                .then().statusCode(200).body("items", hasSize(0));
        given().auth().oauth2(Tokens.of("riverside", "viewer")).get("/v1/orgs/riverside/audit").then().statusCode(403);
        given().auth().oauth2(Tokens.of("lakeshore", "org-admin")).queryParam("entityId", id).get("/v1/orgs/lakeshore/audit")
                .then().statusCode(200).body("items", hasSize(1));
    }

    @Test
    void noOneCanEditOrDeleteTheAudit() throws SQLException {
        Fixtures.site("riverside", "Append only");
        for (String user : new String[] { "harbour_app", "harbour_owner" }) {
            try (Connection c = DriverManager.getConnection(dbUrl, user, user); Statement s = c.createStatement()) {
                s.execute("select set_config('harbour.org', 'riverside', false)");
                SQLException update = assertThrows(SQLException.class, () -> s.executeUpdate("update audit_entry set subject = 'x'"));
                assertTrue(update.getMessage().contains("append-only") || update.getMessage().contains("permission denied"),
                        update.getMessage());
                assertThrows(SQLException.class, () -> s.executeUpdate("delete from audit_entry"));
                assertThrows(SQLException.class, () -> s.execute("truncate audit_entry"));
            }
        }
    }
}
