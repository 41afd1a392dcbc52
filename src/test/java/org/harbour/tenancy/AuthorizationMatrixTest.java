package org.harbour.tenancy;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.harbour.testsupport.ApiTest;
import org.harbour.testsupport.Fixtures;
import org.harbour.testsupport.OpenApiDocument;
import org.harbour.testsupport.Tokens;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

/**
 * Every operation of the committed OpenAPI contract × every kind of caller, with the status each must get.
 * An operation without a row here fails the build: a new endpoint cannot ship without its expectations.
 */
@QuarkusTest
class AuthorizationMatrixTest extends ApiTest {

    /** Whose realm an operation's callers come from. */
    enum Scope {
        ORGANIZATION, NETWORK, PUBLIC,
        /** A network path that members' own tokens may call too. */
        SHARED,
        /** A coordinator's path: a member's own token is verified by its issuer, then refused by role. */
        COORDINATOR
    }

    /**
     * @param roles the roles that may call it
     * @param weaker a role of the same realm that may not (null: any role of the realm may, only no role is weaker)
     */
    record Expectation(Scope scope, Set<String> roles, String weaker, int success, Supplier<Object> body) {
    }

    private static final AtomicInteger SEQUENCE = new AtomicInteger();
    private static final String MATRIX_ORG = "matrix-target";

    private static final Map<String, Expectation> EXPECTATIONS = Map.ofEntries(
            Map.entry("listOrganizations", new Expectation(Scope.NETWORK, Set.of("network-admin"), "coordinator", 200, null)),
            Map.entry("listNetworkAudit", new Expectation(Scope.NETWORK, Set.of("network-admin"), "coordinator", 200, null)),
            Map.entry("createOrganization", new Expectation(Scope.NETWORK, Set.of("network-admin"), "coordinator", 201,
                    AuthorizationMatrixTest::newOrganization)),
            Map.entry("getOrganization", new Expectation(Scope.NETWORK, Set.of("network-admin"), "researcher", 200, null)),
            Map.entry("updateOrganization", new Expectation(Scope.NETWORK, Set.of("network-admin"), "coordinator", 200,
                    AuthorizationMatrixTest::matrixOrganization)),
            Map.entry("suspendOrganization", new Expectation(Scope.NETWORK, Set.of("network-admin"), "coordinator", 200, null)),
            Map.entry("reactivateOrganization", new Expectation(Scope.NETWORK, Set.of("network-admin"), "coordinator", 200, null)),
            Map.entry("createSite", new Expectation(Scope.ORGANIZATION, Set.of("org-admin"), "reporter", 201,
                    () -> Fixtures.siteBody("Matrix"))),
            Map.entry("listSites", new Expectation(Scope.ORGANIZATION, Set.of("org-admin", "reporter", "viewer"), null, 200, null)),
            Map.entry("getSite", new Expectation(Scope.ORGANIZATION, Set.of("org-admin", "reporter", "viewer"), null, 200, null)),
            Map.entry("updateSite", new Expectation(Scope.ORGANIZATION, Set.of("org-admin"), "viewer", 200,
                    () -> Fixtures.siteBody("Matrix, updated"))),
            Map.entry("closeSite", new Expectation(Scope.ORGANIZATION, Set.of("org-admin"), "reporter", 200, null)),
            Map.entry("listAudit", new Expectation(Scope.ORGANIZATION, Set.of("org-admin"), "reporter", 200, null)),
            Map.entry("listServices", new Expectation(Scope.PUBLIC, Set.of(), null, 200, null)),
            Map.entry("getService", new Expectation(Scope.PUBLIC, Set.of(), null, 200, null)),
            Map.entry("addService", new Expectation(Scope.NETWORK, Set.of("network-admin"), "coordinator", 201,
                    () -> Map.of("code", "MATRIX_" + SEQUENCE.incrementAndGet() + "_" + System.nanoTime() % 100000,
                            "category", "HEALTH", "nameEn", "Matrix", "nameFr", "Matrice"))),
            Map.entry("deleteService", new Expectation(Scope.NETWORK, Set.of("network-admin"), "coordinator", 204, null)),
            Map.entry("listOfferings", new Expectation(Scope.ORGANIZATION, Set.of("org-admin", "reporter", "viewer"), null, 200, null)),
            Map.entry("getOffering", new Expectation(Scope.ORGANIZATION, Set.of("org-admin", "reporter", "viewer"), null, 200, null)),
            Map.entry("putOffering", new Expectation(Scope.ORGANIZATION, Set.of("org-admin"), "reporter", 201,
                    () -> Map.of("schedule", List.of(Map.of("days", List.of("MONDAY"), "allDay", true))))),
            Map.entry("deleteOffering", new Expectation(Scope.ORGANIZATION, Set.of("org-admin"), "reporter", 204, null)),
            Map.entry("listOpenSites", new Expectation(Scope.ORGANIZATION, Set.of("org-admin", "reporter", "viewer"), null, 200, null)),
            Map.entry("putVisitDay", new Expectation(Scope.ORGANIZATION, Set.of("org-admin", "reporter"), "viewer", 201,
                    () -> Map.of("visits", 5))),
            Map.entry("getVisitDay", new Expectation(Scope.ORGANIZATION, Set.of("org-admin", "reporter", "viewer"), null, 200, null)),
            Map.entry("listVisitDays", new Expectation(Scope.ORGANIZATION, Set.of("org-admin", "reporter", "viewer"), null, 200, null)),
            Map.entry("deleteVisitDay", new Expectation(Scope.ORGANIZATION, Set.of("org-admin", "reporter"), "viewer", 204, null)),
            Map.entry("createIncident", new Expectation(Scope.ORGANIZATION, Set.of("org-admin", "reporter"), "viewer", 201,
                    Fixtures::outreachIncident)),
            Map.entry("listIncidents", new Expectation(Scope.ORGANIZATION, Set.of("org-admin", "reporter", "viewer"), null, 200, null)),
            Map.entry("getIncident", new Expectation(Scope.ORGANIZATION, Set.of("org-admin", "reporter", "viewer"), null, 200, null)),
            Map.entry("updateIncident", new Expectation(Scope.ORGANIZATION, Set.of("org-admin", "reporter"), "viewer", 200,
                    Fixtures::outreachIncident)),
            Map.entry("createNote", new Expectation(Scope.ORGANIZATION, Set.of("org-admin", "reporter", "viewer"), null, 201,
                    AuthorizationMatrixTest::noteBody)),
            Map.entry("listNotes", new Expectation(Scope.ORGANIZATION, Set.of("org-admin", "reporter", "viewer"), null, 200, null)),
            Map.entry("getNote", new Expectation(Scope.ORGANIZATION, Set.of("org-admin", "reporter", "viewer"), null, 200, null)),
            Map.entry("updateNote", new Expectation(Scope.ORGANIZATION, Set.of("org-admin"), "reporter", 200,
                    AuthorizationMatrixTest::noteBody)),
            Map.entry("deleteNote", new Expectation(Scope.ORGANIZATION, Set.of("org-admin"), "reporter", 204, null)),
            Map.entry("searchNetworkNotes", new Expectation(Scope.SHARED, Set.of("coordinator"), "researcher", 200, null)),
            Map.entry("createDrugCheck", new Expectation(Scope.ORGANIZATION, Set.of("org-admin", "reporter"), "viewer", 201,
                    AuthorizationMatrixTest::drugCheckBody)),
            Map.entry("listDrugChecks", new Expectation(Scope.ORGANIZATION, Set.of("org-admin", "reporter", "viewer"), null, 200, null)),
            Map.entry("getDrugCheck", new Expectation(Scope.ORGANIZATION, Set.of("org-admin", "reporter", "viewer"), null, 200, null)),
            Map.entry("getDashboardConfig", new Expectation(Scope.PUBLIC, Set.of(), null, 200, null)),
            Map.entry("getTrends", new Expectation(Scope.COORDINATOR, Set.of("coordinator"), "researcher", 200, null)),
            Map.entry("listMeasures", new Expectation(Scope.COORDINATOR, Set.of("coordinator"), "network-admin", 200, null)),
            Map.entry("getCoverage", new Expectation(Scope.COORDINATOR, Set.of("coordinator"), "researcher", 200, null)),
            Map.entry("listExemptionsDue", new Expectation(Scope.COORDINATOR, Set.of("coordinator"), "network-admin", 200, null)),
            Map.entry("listAlerts", new Expectation(Scope.SHARED, Set.of("coordinator"), "researcher", 200, null)),
            Map.entry("streamAlerts", new Expectation(Scope.SHARED, Set.of("coordinator"), "researcher", 200, null)),
            Map.entry("putResiliencyMonth", new Expectation(Scope.ORGANIZATION, Set.of("org-admin"), "reporter", 201,
                    () -> Map.of("trainings", List.of(Map.of("kind", "GRIEF", "sessions", 1, "attendees", 3))))),
            Map.entry("getResiliency", new Expectation(Scope.ORGANIZATION, Set.of("org-admin", "viewer"), "reporter", 200, null)),
            Map.entry("createWebhook", new Expectation(Scope.ORGANIZATION, Set.of("org-admin"), "reporter", 201,
                    () -> Map.of("url", "http://127.0.0.1:9/hook"))),
            Map.entry("listWebhooks", new Expectation(Scope.ORGANIZATION, Set.of("org-admin"), "viewer", 200, null)),
            Map.entry("deleteWebhook", new Expectation(Scope.ORGANIZATION, Set.of("org-admin"), "reporter", 204, null)),
            Map.entry("listWebhookDeliveries", new Expectation(Scope.ORGANIZATION, Set.of("org-admin"), "viewer", 200, null)),
            Map.entry("createResearchProject", new Expectation(Scope.NETWORK, Set.of("network-admin"), "coordinator", 201,
                    AuthorizationMatrixTest::researchProjectBody)),
            Map.entry("listResearchProjects", new Expectation(Scope.NETWORK, Set.of("network-admin"), "researcher", 200, null)),
            Map.entry("getResearchProject", new Expectation(Scope.NETWORK, Set.of("network-admin"), "researcher", 200, null)),
            Map.entry("suspendResearchProject", new Expectation(Scope.NETWORK, Set.of("network-admin"), "researcher", 200, null)),
            Map.entry("reactivateResearchProject", new Expectation(Scope.NETWORK, Set.of("network-admin"), "coordinator", 200, null)),
            Map.entry("rotateResearchProjectKey", new Expectation(Scope.NETWORK, Set.of("network-admin"), "researcher", 200, null)),
            Map.entry("listResearchAudit", new Expectation(Scope.NETWORK, Set.of("network-admin"), "researcher", 200, null)),
            Map.entry("listMyResearchProjects", new Expectation(Scope.NETWORK, Set.of("researcher"), "coordinator", 200, null)),
            Map.entry("requestExtract", new Expectation(Scope.NETWORK, Set.of("researcher"), "coordinator", 202,
                    () -> Map.of("dataset", "summary", "format", "csv", "from", "2016-01", "to", "2016-12", "rows", "province",
                            "columns", "outcome"))),
            Map.entry("getExtract", new Expectation(Scope.NETWORK, Set.of("researcher"), "coordinator", 200, null)),
            Map.entry("getExtractDictionary", new Expectation(Scope.NETWORK, Set.of("researcher"), "network-admin", 200, null)),
            Map.entry("downloadExtract", new Expectation(Scope.NETWORK, Set.of("researcher"), "coordinator", 200, null)),
            Map.entry("importRecords", new Expectation(Scope.ORGANIZATION, Set.of("org-admin", "reporter"), "viewer", 200,
                    () -> {
                        Map<String, Object> line = new java.util.HashMap<>(Fixtures.outreachIncident());
                        line.put("type", "incident");
                        return List.of(line);
                    })));

    @BeforeEach
    void organizations() {
        Fixtures.organization(Fixtures.RIVERSIDE);
        Fixtures.organization(Fixtures.LAKESHORE);
        given().auth().oauth2(Fixtures.admin()).contentType(ContentType.JSON).body(matrixOrganization())
                .post("/v1/admin/organizations");
    }

    private static Map<String, Object> drugCheckBody() {
        return Map.of("siteId", Fixtures.site("riverside", "Matrix checking"), "takenAt", "2025-01-01T00:00:00Z", "expected",
                "COCAINE", "sampleKind", "DRUG", "methods", List.of("FTIR"),
                "results", List.of(Map.of("substance", "COCAINE", "method", "FTIR", "abundance", "PRIMARY")));
    }

    /** A project of the researcher the test tokens name (their subject), on summaries only. */
    private static Map<String, Object> researchProjectBody() {
        return Map.of("title", "Matrix", "purpose", "Matrix", "researchers", List.of("network-user-researcher"), "datasets",
                List.of("summary"), "from", "2016-01", "to", "2016-12", "expiresOn", java.time.LocalDate.now().plusYears(1).toString());
    }

    private static String researchProject() {
        return given().auth().oauth2(Fixtures.admin()).contentType(ContentType.JSON).body(researchProjectBody())
                .post("/v1/admin/research-projects").then().statusCode(201).extract().path("id");
    }

    /** One READY extract, made once: "{project}/extracts/{extract}". */
    private static String readyExtract;

    private static synchronized String readyExtract() {
        if (readyExtract == null) {
            String project = researchProject();
            String location = given().auth().oauth2(Tokens.of("network", "researcher")).contentType(ContentType.JSON)
                    .body(Map.of("dataset", "summary", "format", "csv", "from", "2016-01", "to", "2016-12", "rows", "province",
                            "columns", "outcome"))
                    .post("/v1/research/projects/" + project + "/extracts").then().statusCode(202).extract().header("Location");
            for (int i = 0; i < 300 && !"READY".equals(given().auth().oauth2(Tokens.of("network", "researcher")).get(location)
                    .then().extract().path("status")); i++) {
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }
            readyExtract = project + "/extracts/" + location.substring(location.lastIndexOf('/') + 1);
        }
        return readyExtract;
    }

    private static Map<String, Object> noteBody() {
        return Map.of("title", "Matrix", "body", "Matrix note", "language", "en", "theme", "OPERATIONS", "kind", "TIP",
                "visibility", "ORGANIZATION");
    }

    private static Map<String, Object> newOrganization() {
        String slug = "matrix-" + SEQUENCE.incrementAndGet() + "-" + System.nanoTime() % 100000;
        Map<String, Object> body = Fixtures.organizationBody(slug, "rogue");
        body.put("issuer", Tokens.issuer("rogue") + "-" + slug);
        return body;
    }

    private static Map<String, Object> matrixOrganization() {
        Map<String, Object> body = Fixtures.organizationBody(MATRIX_ORG, "rogue");
        body.put("issuer", Tokens.issuer("rogue") + "-matrix");
        return body;
    }

    @Test
    void everyOperationHasAnExpectationAndEveryExpectationAnOperation() {
        Set<String> documented = OpenApiDocument.operations().stream().map(OpenApiDocument.Operation::operationId)
                .collect(Collectors.toCollection(TreeSet::new));
        Set<String> missing = new TreeSet<>(documented);
        missing.removeAll(EXPECTATIONS.keySet());
        assertTrue(missing.isEmpty(), "operations without a row in the authorization matrix: " + missing);
        assertEquals(documented, new TreeSet<>(EXPECTATIONS.keySet()), "rows for operations that no longer exist");
    }

    @TestFactory
    Stream<DynamicTest> matrix() {
        List<DynamicTest> tests = new ArrayList<>();
        for (OpenApiDocument.Operation op : OpenApiDocument.operations()) {
            Expectation e = EXPECTATIONS.get(op.operationId());
            if (e == null) {
                continue; // reported by the test above
            }
            if (e.scope() == Scope.PUBLIC) {
                tests.add(call(op, e, "no token", null, e.success()));
                tests.add(call(op, e, "another organization's token", Tokens.of("lakeshore", "org-admin"), e.success()));
                tests.add(call(op, e, "expired token", Tokens.expired("riverside", "viewer"), e.success()));
                continue;
            }
            String realm = e.scope() == Scope.ORGANIZATION ? "riverside" : "network";
            boolean shared = e.scope() == Scope.SHARED;
            for (String role : e.roles()) {
                tests.add(call(op, e, "own realm, role " + role, Tokens.of(realm, role), e.success()));
            }
            String weaker = e.weaker() == null ? null : e.weaker();
            tests.add(call(op, e, "own realm, too weak a role (" + weaker + ")",
                    weaker == null ? Tokens.of(realm) : Tokens.of(realm, weaker), 403));
            boolean coordinator = e.scope() == Scope.COORDINATOR;
            tests.add(call(op, e, "another organization's token", Tokens.of("lakeshore", "org-admin", "network-admin"),
                    shared ? e.success() : coordinator ? 403 : 401));
            tests.add(call(op, e, "network coordinator", Tokens.of("network", "coordinator"),
                    shared || coordinator ? e.success() : e.scope() == Scope.ORGANIZATION ? 401 : 403));
            if (coordinator) {
                // An organization's own identity provider cannot grant a network role.
                tests.add(call(op, e, "an organization's token claiming the coordinator role",
                        Tokens.of("lakeshore", "coordinator", "org-admin"), 403));
            }
            tests.add(call(op, e, "no token", null, 401));
            tests.add(call(op, e, "expired token", Tokens.expired(realm, e.roles().toArray(String[]::new)), 401));
            tests.add(call(op, e, "token for another audience",
                    Tokens.forAudience("another-api", realm, e.roles().toArray(String[]::new)), 401));
        }
        return tests.stream();
    }

    /** A stream answers its status at once and then never ends: read the status and hang up. */
    private static int streamStatus(String path, String token) throws Exception {
        var builder = java.net.http.HttpRequest.newBuilder(java.net.URI.create(io.restassured.RestAssured.baseURI + ":"
                + io.restassured.RestAssured.port + path)).header("Accept", "text/event-stream");
        if (token != null) {
            builder.header("Authorization", "Bearer " + token);
        }
        var response = java.net.http.HttpClient.newBuilder().version(java.net.http.HttpClient.Version.HTTP_1_1).build()
                .send(builder.build(), java.net.http.HttpResponse.BodyHandlers.ofInputStream());
        response.body().close();
        return response.statusCode();
    }

    /** The operation's path with fresh targets, so that each call finds what it acts on. */
    private static String path(OpenApiDocument.Operation op) {
        String path = op.path().replace("{org}", "riverside").replace("{slug}", MATRIX_ORG);
        if (path.contains("/research/projects/{id}/extracts/{extractId}")) {
            path = path.replace("{id}/extracts/{extractId}", readyExtract());
        }
        if (path.contains("/research-projects/{id}") || path.contains("/research/projects/{id}")) {
            path = path.replace("{id}", researchProject());
        }
        if (path.contains("/webhooks/{id}")) {
            // One webhook for all these rows (made again after deleteWebhook): an organization may have only 10.
            String hook = given().auth().oauth2(Tokens.of("riverside", "org-admin")).get("/v1/orgs/riverside/webhooks").then()
                    .extract().path("find { it.url == 'http://127.0.0.1:9/hook' }.id");
            if (hook == null) {
                hook = given().auth().oauth2(Tokens.of("riverside", "org-admin")).contentType(ContentType.JSON)
                        .body(Map.of("url", "http://127.0.0.1:9/hook")).post("/v1/orgs/riverside/webhooks").then().statusCode(201)
                        .extract().path("id");
            }
            path = path.replace("{id}", hook);
        }
        if (path.contains("/drug-checks/{id}")) {
            String sample = given().auth().oauth2(Tokens.of("riverside", "reporter")).contentType(ContentType.JSON)
                    .body(drugCheckBody()).post("/v1/orgs/riverside/drug-checks").then().statusCode(201).extract().path("id");
            path = path.replace("{id}", sample);
        }
        if (path.contains("/notes/{id}")) {
            String note = given().auth().oauth2(Tokens.of("riverside", "org-admin")).contentType(ContentType.JSON)
                    .body(noteBody()).post("/v1/orgs/riverside/notes").then().statusCode(201).extract().path("id");
            path = path.replace("{id}", note);
        }
        if (path.contains("/incidents/{id}")) {
            String incident = given().auth().oauth2(Tokens.of("riverside", "reporter")).contentType(ContentType.JSON)
                    .body(Fixtures.outreachIncident()).post("/v1/orgs/riverside/incidents").then().statusCode(201).extract().path("id");
            path = path.replace("{id}", incident);
        }
        if (path.contains("{id}")) {
            path = path.replace("{id}", Fixtures.site("riverside", "Matrix target"));
        }
        if (path.contains("{siteId}")) {
            String site = Fixtures.site("riverside", "Matrix offering target");
            path = path.replace("{siteId}", site);
            if (path.contains("{date}")) {
                if (!op.method().equals("PUT")) {
                    given().auth().oauth2(Tokens.of("riverside", "reporter")).contentType(ContentType.JSON)
                            .body(Map.of("visits", 3)).put("/v1/orgs/riverside/sites/" + site + "/visits/2025-06-01")
                            .then().statusCode(201);
                }
                path = path.replace("{date}", "2025-06-01");
            }
            if (path.contains("{serviceCode}")) {
                if (op.method().equals("PUT")) {
                    path = path.replace("{serviceCode}", "WOUND_CARE");
                } else {
                    given().auth().oauth2(Tokens.of("riverside", "org-admin")).contentType(ContentType.JSON)
                            .body(Map.of("schedule", List.of())).put("/v1/orgs/riverside/sites/" + site + "/offerings/WOUND_CARE")
                            .then().statusCode(201);
                    path = path.replace("{serviceCode}", "WOUND_CARE");
                }
            }
        }
        if (path.contains("{team}")) {
            path = path.replace("{team}", "matrix-" + SEQUENCE.incrementAndGet()).replace("{month}", "2024-01");
        }
        if (path.contains("{code}")) {
            String code = op.method().equals("GET") ? "WOUND_CARE" : "MATRIX_DEL_" + SEQUENCE.incrementAndGet() + "_" + System.nanoTime() % 100000;
            if (!op.method().equals("GET")) {
                given().auth().oauth2(Fixtures.admin()).contentType(ContentType.JSON)
                        .body(Map.of("code", code, "category", "HEALTH", "nameEn", "x", "nameFr", "x"))
                        .post("/v1/admin/taxonomy/services").then().statusCode(201);
            }
            path = path.replace("{code}", code);
        }
        return path;
    }

    private DynamicTest call(OpenApiDocument.Operation op, Expectation e, String caller, String token, int expected) {
        return DynamicTest.dynamicTest(op.operationId() + " — " + caller + " → " + expected, () -> {
            RequestSpecification request = given();
            if (token != null) {
                request.auth().oauth2(token);
            }
            if (e.body() != null) {
                request.contentType(ContentType.JSON).body(e.body().get());
            }
            String path = path(op);
            int status = path.endsWith("/stream") ? streamStatus(path, token)
                    : request.request(op.method(), path).then().extract().statusCode();
            assertEquals(expected, status, op.method() + " " + path + " as " + caller);
        });
    }
}
