package org.harbour.e2e;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.text.NumberFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import com.deque.html.axecore.playwright.AxeBuilder;
import com.deque.html.axecore.results.AxeResults;
import com.deque.html.axecore.results.Rule;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;

import io.restassured.path.json.JsonPath;

/**
 * The coordinator's dashboard in Debian's Chromium, driven by Playwright, against the stack make run starts
 * (real Keycloak, demo network): sign in on Keycloak's own page, the overview's figures against the API's,
 * a province filter, French, every page checked by axe-core and photographed in both languages, sign out.
 */
@Tag("e2e")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardBrowserTest {

    static final String API = System.getProperty("harbour.e2e.api", "http://127.0.0.1:8080");
    static final String CHROMIUM = System.getProperty("harbour.e2e.chromium", "/usr/bin/chromium");
    static final Path SCREENSHOTS = Path.of("docs", "screenshots");
    static final List<String> PAGES = List.of("overview", "provinces", "coverage", "renewals", "alerts");
    static final List<String> HEADLINES = List.of("visits", "overdoses", "overdosesPer1000Visits", "naloxoneShare", "emsCalledShare",
            "deaths", "debriefedWithin72hShare", "completeness", "drugCheckSamples");

    static Playwright playwright;
    static Browser browser;
    static BrowserContext context;
    static Page page;

    /**
     * The overview compares last month's figures: when the stack holds no visits for it (HARBOUR_DEMO=minimal),
     * riverside's system reports some, through its own token, for last month and the months the overview compares.
     */
    static void lastMonthReported() {
        java.time.YearMonth last = java.time.YearMonth.now(java.time.ZoneOffset.UTC).minusMonths(1);
        Object visits = given().baseUri(API).auth().oauth2(coordinatorToken())
                .get("/v1/network/trends?measures=visits&from=" + last + "&to=" + last).then().statusCode(200).extract()
                .path("rows[0].visits");
        if (visits != null) {
            return;
        }
        String system = EndToEndTest.clientToken("riverside", "riverside-system");
        String site = given().baseUri(API).auth().oauth2(system).get("/v1/orgs/riverside/sites").then().statusCode(200).extract()
                .path("items.find { it.externalRef == 'RS-001' }.id");
        for (java.time.YearMonth month : List.of(last, last.minusMonths(1), last.minusMonths(12))) {
            for (int day = 1; day <= month.lengthOfMonth(); day++) {
                given().baseUri(API).auth().oauth2(system).contentType(io.restassured.http.ContentType.JSON)
                        .body(Map.of("visits", 40 + day % 7)).put("/v1/orgs/riverside/sites/" + site + "/visits/" + month.atDay(day))
                        .then().statusCode(org.hamcrest.Matchers.oneOf(200, 201));
            }
        }
    }

    @BeforeAll
    static void browser() throws Exception {
        lastMonthReported();
        // The browser is Debian's: Playwright's own download cannot work here, and is not wanted. Playwright gives it a
        // fresh profile of its own.
        playwright = Playwright.create(new Playwright.CreateOptions().setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
        browser = playwright.chromium().launch(new BrowserType.LaunchOptions().setExecutablePath(Path.of(CHROMIUM)).setHeadless(true)
                .setArgs(List.of("--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                        "--disable-component-update", "--disable-sync")));
        context = browser.newContext(new Browser.NewContextOptions().setLocale("en-CA").setViewportSize(1280, 900));
        page = context.newPage();
        page.setDefaultTimeout(30_000);
        Files.createDirectories(SCREENSHOTS);
    }

    @AfterAll
    static void close() {
        if (playwright != null) {
            playwright.close();
        }
    }

    static String coordinatorToken() {
        return given().baseUri(EndToEndTest.KEYCLOAK).formParams(Map.of("grant_type", "password", "client_id", "harbour-dashboard",
                "client_secret", "harbour-dashboard-secret", "username", "coordinator", "password", "coordinator"))
                .post("/realms/network/protocol/openid-connect/token").then().statusCode(200).extract().path("access_token");
    }

    static void ready(String pageName) {
        page.waitForSelector("main[data-ready='" + pageName + "']");
    }

    @Test
    @Order(1)
    void signsInOnKeycloaksOwnPage() {
        page.navigate(API + "/dashboard/");
        page.waitForURL(url -> url.contains("/realms/network/protocol/openid-connect/auth"));
        assertTrue(page.url().contains("code_challenge_method=S256"), "PKCE: " + page.url());
        page.fill("#username", "coordinator");
        page.fill("#password", "coordinator");
        page.click("#kc-login");
        ready("overview");
        assertFalse(page.url().contains("code="), "the code leaves the address at once: " + page.url());
        assertFalse(page.url().contains("token"), page.url());
        assertTrue(page.textContent("#who").contains("coordinator"));
    }

    @Test
    @Order(2)
    void theOverviewShowsTheApisFigures() {
        ready("overview");
        String last = page.getAttribute("#last-month", "data-month");
        String yearAgo = java.time.YearMonth.parse(last).minusMonths(12).toString();
        JsonPath api = given().baseUri(API).auth().oauth2(coordinatorToken())
                .get("/v1/network/trends?measures=" + String.join(",", HEADLINES) + "&by=month&from=" + yearAgo + "&to=" + last)
                .then().statusCode(200).extract().jsonPath()
                // As doubles: read as floats, a figure of a busy database (2532.19) is off by more than the tolerance.
                .using(new io.restassured.path.json.config.JsonPathConfig(io.restassured.path.json.config.JsonPathConfig.NumberReturnType.DOUBLE));
        Map<String, Object> row = api.getMap("rows.find { it.month == '" + last + "' }");
        for (String measure : HEADLINES) {
            String shown = page.getAttribute(".card[data-measure='" + measure + "']", "data-value");
            Object expected = row.get(measure);
            if (expected == null) {
                assertEquals("", shown, measure);
            } else {
                assertEquals(((Number) expected).doubleValue(), Double.parseDouble(shown), 1e-6, measure);
            }
        }
        assertTrue(((Number) row.get("visits")).longValue() > 0, "the demo network reported visits last month");
        assertEquals(NumberFormat.getIntegerInstance(Locale.CANADA).format(((Number) row.get("visits")).longValue()),
                page.textContent(".card[data-measure='visits'] .value").strip());
    }

    @Test
    @Order(3)
    void filtersTheTrendByProvince() {
        ready("overview");
        page.selectOption("#f-province", "CA-ON");
        page.waitForFunction("document.querySelector('#trend-table caption').textContent.includes('Ontario')");
        List<String> cells = page.locator("#trend-table tbody tr td:nth-child(2)").allTextContents();
        String last = page.getAttribute("#last-month", "data-month");
        String from = java.time.YearMonth.parse(last).minusMonths(23).toString();
        JsonPath api = given().baseUri(API).auth().oauth2(coordinatorToken())
                .get("/v1/network/trends?measures=visits&by=month&province=CA-ON&from=" + from + "&to=" + last)
                .then().statusCode(200).extract().jsonPath();
        List<String> expected = new ArrayList<>();
        for (Object v : api.getList("rows.visits")) {
            expected.add(v == null ? "—" : NumberFormat.getIntegerInstance(Locale.CANADA).format(((Number) v).longValue()));
        }
        assertEquals(expected, cells);
        page.selectOption("#f-province", "");
    }

    @Test
    @Order(4)
    void everyPageInEnglishIsAccessibleAndPhotographed() throws Exception {
        visitEveryPage("en");
    }

    @Test
    @Order(5)
    void switchesToFrench() throws Exception {
        page.click("nav a[data-page='overview']");
        ready("overview");
        page.click("#language");
        page.waitForFunction("document.documentElement.lang === 'fr'");
        ready("overview");
        assertEquals("Vue d’ensemble", page.textContent("nav a[data-page='overview']").strip());
        assertEquals("Vue d’ensemble du réseau", page.textContent("main h1").strip());
        assertEquals("Visites", page.textContent(".card[data-measure='visits'] h3").strip());
        assertEquals("English", page.textContent("#language").strip());
        visitEveryPage("fr");
        // Numbers formatted for French: a narrow no-break space between thousands.
        page.click("nav a[data-page='overview']");
        ready("overview");
        String visits = page.textContent(".card[data-measure='visits'] .value").strip();
        assertTrue(visits.matches("[0-9]{1,3}([\u202F\u00A0][0-9]{3})*"), visits);
    }

    @Test
    @Order(6)
    void signsOut() {
        page.click("#signout");
        page.waitForURL(url -> url.contains("signedout=1"));
        page.waitForSelector("#signin");
        assertTrue(page.textContent("main").contains("Vous êtes déconnecté"));
        // The session is gone at Keycloak too: signing in again asks for the password.
        page.click("#signin");
        page.waitForURL(url -> url.contains("/realms/network/protocol/openid-connect/auth"));
        page.waitForSelector("#password");
    }

    private static void visitEveryPage(String language) throws Exception {
        for (String name : PAGES) {
            page.click("nav a[data-page='" + name + "']");
            ready(name);
            assertEquals("page", page.getAttribute("nav a[data-page='" + name + "']", "aria-current"));
            // Keyboard: the page's links and controls are reachable with Tab.
            page.keyboard().press("Tab");
            assertFalse(page.evaluate("document.activeElement === document.body").equals(Boolean.TRUE), name);
            page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve(name + "-" + language + ".png")).setFullPage(true));
            AxeResults results = new AxeBuilder(page).withTags(List.of("wcag2a", "wcag2aa", "wcag21a", "wcag21aa")).analyze();
            List<String> serious = new ArrayList<>();
            for (Rule v : results.getViolations()) {
                if ("serious".equals(v.getImpact()) || "critical".equals(v.getImpact())) {
                    serious.add(v.getId() + ": " + v.getHelp() + " " + v.getNodes().stream().map(n -> String.valueOf(n.getTarget())).toList());
                }
            }
            assertTrue(serious.isEmpty(), name + " (" + language + "): " + serious);
        }
    }
}
