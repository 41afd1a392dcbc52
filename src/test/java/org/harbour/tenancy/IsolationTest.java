package org.harbour.tenancy;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
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

/** The three layers of tenant isolation, each proven on its own. */
@QuarkusTest
class IsolationTest extends ApiTest {

    @ConfigProperty(name = "harbour.db.url")
    String dbUrl;

    String riversideSite;
    String lakeshoreSite;

    @BeforeEach
    void twoOrganizations() {
        Fixtures.organization(Fixtures.RIVERSIDE);
        Fixtures.organization(Fixtures.LAKESHORE);
        riversideSite = Fixtures.site("riverside", "Riverside only");
        lakeshoreSite = Fixtures.site("lakeshore", "Lakeshore only");
    }

    // Layer 1: the OIDC tenant of the path's organization verifies the token.

    @Test
    void anotherOrganizationsTokenIsUnauthenticatedOnThisOrganizationsPaths() {
        given().auth().oauth2(Tokens.of("lakeshore", "org-admin")).get("/v1/orgs/riverside/sites")
                .then().statusCode(401).contentType("application/problem+json")
                .header("WWW-Authenticate", equalTo("Bearer"));
        given().auth().oauth2(Tokens.of("lakeshore", "org-admin")).get("/v1/orgs/riverside/sites/" + lakeshoreSite)
                .then().statusCode(401);
    }

    @Test
    void aTokenWithThisIssuerSignedByAnotherKeyIsRefused() {
        given().auth().oauth2(Tokens.signedBy("lakeshore", "riverside", "org-admin")).get("/v1/orgs/riverside/sites")
                .then().statusCode(401);
    }

    @Test
    void networkTokensDoNotOpenTenantPaths() {
        given().auth().oauth2(Tokens.of("network", "coordinator", "network-admin", "org-admin"))
                .get("/v1/orgs/riverside/sites").then().statusCode(401);
    }

    @Test
    void anUnknownOrganizationAuthenticatesNoOne() {
        given().auth().oauth2(Tokens.of("rogue", "org-admin")).get("/v1/orgs/rogue/sites").then().statusCode(401);
    }

    // Layer 2: Hibernate scopes every read and write to the verified tenant.

    @Test
    void anotherOrganizationsSiteIsNotFoundAndStaysUnchanged() {
        String riversideAdmin = Tokens.of("riverside", "org-admin");
        String path = "/v1/orgs/riverside/sites/" + lakeshoreSite;
        given().auth().oauth2(riversideAdmin).get(path).then().statusCode(404).contentType("application/problem+json");
        given().auth().oauth2(riversideAdmin).contentType(ContentType.JSON).body(Fixtures.siteBody("Hijacked"))
                .put(path).then().statusCode(404);
        given().auth().oauth2(riversideAdmin).delete(path).then().statusCode(404);
        given().auth().oauth2(riversideAdmin).queryParam("limit", 200).get("/v1/orgs/riverside/sites").then()
                .body("items.id", not(hasItem(lakeshoreSite)));

        given().auth().oauth2(Tokens.of("lakeshore", "viewer")).get("/v1/orgs/lakeshore/sites/" + lakeshoreSite)
                .then().statusCode(200)
                .body("name", equalTo("Lakeshore only"))
                .body("status", equalTo("ACTIVE"))
                .body("version", equalTo(0));
    }

    @Test
    void aBodyNamingAnotherOrganizationCannotMoveDataThere() {
        Map<String, Object> body = Fixtures.siteBody("Smuggled");
        body.put("orgId", "lakeshore");
        given().auth().oauth2(Tokens.of("riverside", "org-admin")).contentType(ContentType.JSON).body(body)
                .post("/v1/orgs/riverside/sites").then().statusCode(400)
                .body("errors[0].field", equalTo("orgId"));
        given().auth().oauth2(Tokens.of("lakeshore", "viewer")).queryParam("limit", 200).get("/v1/orgs/lakeshore/sites")
                .then().statusCode(200).body("items.name", not(hasItem("Smuggled")));
    }

    // Layer 3: PostgreSQL row-level security, as the application's own database role.

    private Connection asApplication() throws SQLException {
        return DriverManager.getConnection(dbUrl, "harbour_app", "harbour_app");
    }

    @Test
    void withoutATenantTheApplicationRoleSeesNoRow() throws SQLException {
        try (Connection c = asApplication(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("select count(*) from site")) {
            rs.next();
            assertEquals(0, rs.getLong(1));
        }
    }

    @Test
    void withATenantTheApplicationRoleSeesOnlyThatTenantsRows() throws SQLException {
        try (Connection c = asApplication()) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.execute("select set_config('harbour.org', 'riverside', true)");
                try (ResultSet rs = s.executeQuery("select count(*), count(*) filter (where org_id <> 'riverside') from site")) {
                    rs.next();
                    assertTrue(rs.getLong(1) > 0);
                    assertEquals(0, rs.getLong(2));
                }
                try (PreparedStatement p = c.prepareStatement("select count(*) from site where id = ?::uuid")) {
                    p.setString(1, lakeshoreSite);
                    try (ResultSet rs = p.executeQuery()) {
                        rs.next();
                        assertEquals(0, rs.getLong(1));
                    }
                }
                // Nor can it write a row into another tenant.
                SQLException refused = assertThrows(SQLException.class, () -> s.executeUpdate(
                        "insert into site (org_id, id, name, kind, model, city, province, time_zone, status) values "
                                + "('lakeshore', gen_random_uuid(), 'x', 'SCS', 'STANDALONE', 'x', 'CA-ON', 'UTC', 'ACTIVE')"));
                assertTrue(refused.getMessage().contains("row-level security"), refused.getMessage());
            } finally {
                c.rollback();
            }
            // The setting was local to the transaction: the next one on this connection sees nothing again.
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("select count(*) from site")) {
                rs.next();
                assertEquals(0, rs.getLong(1));
            }
            c.rollback();
        }
    }

    @Test
    void theApplicationRoleOwnsNothingAndCannotBypassRowLevelSecurity() throws SQLException {
        try (Connection c = asApplication(); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery(
                    "select rolsuper, rolbypassrls, rolcreaterole from pg_roles where rolname = current_user")) {
                rs.next();
                assertFalse(rs.getBoolean(1));
                assertFalse(rs.getBoolean(2));
                assertFalse(rs.getBoolean(3));
            }
            try (ResultSet rs = s.executeQuery("select count(*) from pg_class where relowner = "
                    + "(select oid from pg_roles where rolname = current_user)")) {
                rs.next();
                assertEquals(0, rs.getLong(1));
            }
            assertThrows(SQLException.class, () -> s.execute("alter table site disable row level security"));
            assertThrows(SQLException.class, () -> s.execute("set row_security = off; select count(*) from site"));
        }
    }

    /** The rollup folder runs as the owner: the application can call it, and cannot make it read anything else. */
    @Test
    void theApplicationCannotTouchTheRollupsNorFeedTheFolderATableOfItsOwn() throws SQLException {
        try (Connection c = asApplication(); Statement s = c.createStatement()) {
            assertThrows(SQLException.class, () -> s.executeQuery("select count(*) from site_rollup"));
            assertThrows(SQLException.class, () -> s.executeQuery("select count(*) from network_rollup"));
            s.execute("""
                    create temp table rollup_delta (org_id text, site_id uuid, grain text, period date, visit_days integer,
                        visits bigint, overdoses integer, overdoses_naloxone integer, overdoses_ems_called integer,
                        overdoses_transported integer, deaths integer, critical integer, critical_debriefed_72h integer,
                        samples integer)""");
            s.execute("insert into pg_temp.rollup_delta values ('lakeshore', gen_random_uuid(), 'DAY', '2024-01-01', 1, 999999,"
                    + " 0, 0, 0, 0, 0, 0, 0, 0)");
            s.execute("select rollup_fold(true)");
            try (ResultSet rs = s.executeQuery("select count(*) from pg_temp.rollup_delta")) {
                rs.next();
                assertEquals(1, rs.getLong(1), "the folder read the caller's temporary table");
            }
        }
    }

    /**
     * The research extracts' read path sees every organization's rows, and of them only the columns an extract
     * may derive from: no note, reference, free-text reason, name or address; it writes nothing and cannot read
     * the projects' keys.
     */
    @Test
    void theResearchRoleReadsOnlyWhatAnExtractMayDeriveFrom() throws SQLException {
        try (Connection c = java.sql.DriverManager.getConnection(dbUrl, "harbour_research", "harbour_research");
                Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("select count(distinct org_id) from site")) {
                rs.next();
                assertTrue(rs.getLong(1) >= 2, "every organization's sites, without any tenant set");
            }
            try (ResultSet rs = s.executeQuery("select count(*) from incident where occurred_at is not null")) {
                rs.next();
            }
            for (String denied : new String[] {"select note from incident", "select external_ref from incident",
                    "select empty_reasons from incident", "select correction_reason from incident", "select name from site",
                    "select address from site", "select external_ref from drug_check_sample", "select * from incident",
                    "select key_ciphertext from research_project", "select * from research_extract_chunk",
                    "select body from note", "select * from audit_entry"}) {
                SQLException refused = assertThrows(SQLException.class, () -> s.executeQuery(denied), denied);
                assertTrue(refused.getMessage().contains("permission denied"), denied + ": " + refused.getMessage());
            }
            assertThrows(SQLException.class, () -> s.executeUpdate("update site set kind = kind"));
        }
    }

    @Test
    void everyTableWithAnOrgIdHasForcedRowLevelSecurity() throws SQLException {
        try (Connection c = asApplication(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("""
                select c.relname, c.relrowsecurity, c.relforcerowsecurity,
                       (select count(*) from pg_policy p where p.polrelid = c.oid)
                from pg_class c join pg_attribute a on a.attrelid = c.oid
                where a.attname = 'org_id' and c.relkind in ('r', 'p') and c.relnamespace = 'public'::regnamespace
                """)) {
            int tables = 0;
            while (rs.next()) {
                tables++;
                String table = rs.getString(1);
                assertTrue(rs.getBoolean(2), table + " has row-level security enabled");
                assertTrue(rs.getBoolean(3), table + " has row-level security forced");
                assertTrue(rs.getLong(4) > 0, table + " has a policy");
            }
            assertTrue(tables > 0);
        }
    }

    @Test
    void onlyTheNetworkSearchCopyLetsEveryoneReadEveryRow() throws SQLException {
        // A read policy that is plainly true opens a table to the application whatever the tenant: only the table
        // that holds NETWORK notes' search vectors, and nothing else, by construction (V21), may have one.
        try (Connection c = asApplication(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("""
                select p.polrelid::regclass::text from pg_policy p
                where coalesce(pg_get_expr(p.polqual, p.polrelid), 'true') = 'true'
                  and p.polcmd in ('r', '*')
                  and (0::oid = any (p.polroles) or 'harbour_app'::regrole::oid = any (p.polroles))
                """)) {
            java.util.Set<String> open = new java.util.TreeSet<>();
            while (rs.next()) {
                open.add(rs.getString(1));
            }
            assertEquals(java.util.Set.of("network_note_search"), open);
        }
    }
}
