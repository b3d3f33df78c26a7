package io.blueorigin.cdn.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.blueorigin.cdn.admin.console.Users;
import java.net.HttpCookie;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The console over real HTTP and PostgreSQL, without a browser (ConsoleBrowserIT in system-tests drives one):
 * login and its refusals, session cookie attributes, CSRF on every POST, the API's validation shown next to the
 * field, roles, logout, foreign and expired sessions, throttling.
 */
class ConsoleIT {
    private TestAdmin admin;
    private ConsoleClient browser;
    private String password;

    @BeforeEach
    void start() {
        admin = TestAdmin.start();
        password = admin.node.bootstrapPassword().orElseThrow();
        browser = new ConsoleClient(admin.node.uri());
    }

    @AfterEach
    void stop() {
        admin.close();
    }

    @Test
    void theFirstStartCreatesUserAdminWithAPasswordShownOnceAndOnlyItsHashStored() {
        assertThat(password).hasSizeGreaterThanOrEqualTo(20);
        assertThat(admin.count("SELECT count(*) FROM console_users WHERE username = 'admin' AND role = 'admin'"
                + " AND password_hash LIKE '$argon2id$v=19$m=19456,t=2,p=1$%'")).isEqualTo(1);
        assertThat(admin.count("SELECT count(*) FROM console_users WHERE password_hash LIKE '%" + password + "%'")).isZero();
        assertThat(admin.count("SELECT count(*) FROM api_tokens WHERE name = 'console:admin' AND scopes = '{admin}'")).isEqualTo(1);
        try (TestAdmin second = TestAdmin.start(admin.node.database().config().url(), java.time.Duration.ofSeconds(5))) {
            assertThat(second.node.bootstrapPassword()).isEmpty();
        }
    }

    @Test
    void pagesNeedALoginAndTheLoginSetsAStrictHttpOnlySessionCookie() {
        HttpResponse<String> anonymous = browser.get("/console/purge");
        assertThat(anonymous.statusCode()).isEqualTo(303);
        assertThat(anonymous.headers().firstValue("Location")).hasValue("/console/login?next=%2Fpurge");

        HttpResponse<String> login = browser.login("admin", password);
        assertThat(login.statusCode()).as(login.body()).isEqualTo(303);
        assertThat(login.headers().firstValue("Location")).hasValue("/console/");
        String setCookie = login.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("bo_console=")).findFirst()
                .orElseThrow();
        assertThat(setCookie).contains("HttpOnly").contains("SameSite=Strict").contains("Path=/console").doesNotContain("Secure");
        HttpResponse<String> overview = browser.get("/console/");
        assertThat(overview.statusCode()).as(overview.body()).isEqualTo(200);
        assertThat(overview.body()).contains("<h1>Overview</h1>").contains("admin (admin)");
        assertThat(overview.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(csp ->
                assertThat(csp).contains("script-src 'self'").contains("frame-ancestors 'none'"));
        assertThat(admin.count("SELECT count(*) FROM console_audit WHERE username = 'admin' AND action = 'login'")).isEqualTo(1);
    }

    @Test
    void aWrongPasswordAndAnUnknownUserAreRefusedAlikeAndAudited() {
        HttpResponse<String> wrong = browser.login("admin", "not the password at all");
        HttpResponse<String> unknown = browser.login("nobody", "not the password at all");
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(unknown.statusCode()).isEqualTo(401);
        assertThat(wrong.body()).contains("Wrong user name or password.");
        assertThat(unknown.body()).contains("Wrong user name or password.");
        assertThat(browser.cookie("bo_console")).isEmpty();
        assertThat(admin.count("SELECT count(*) FROM console_audit WHERE action = 'login_failed'")).isEqualTo(2);
        assertThat(admin.count("SELECT failed_logins FROM console_users WHERE username = 'admin'")).isEqualTo(1);
        assertThat(admin.node.console().freeHashSlots()).isEqualTo(2);
    }

    @Test
    void fiveFailuresLockTheUserEvenWithTheRightPasswordThenItWaits() {
        for (int i = 0; i < 5; i++) {
            assertThat(browser.login("admin", "wrong password " + i).statusCode()).isEqualTo(401);
        }
        HttpResponse<String> locked = browser.login("admin", password);
        assertThat(locked.statusCode()).isEqualTo(429);
        assertThat(locked.body()).contains("Too many failed logins for this user");
        admin.sql("UPDATE console_users SET locked_until = now() - interval '1 second'");
        assertThat(browser.login("admin", password).statusCode()).isEqualTo(303);
        assertThat(admin.count("SELECT failed_logins FROM console_users WHERE username = 'admin'")).isZero();
    }

    @Test
    void aLoginFormWithoutItsCsrfTokenIsRefused() {
        browser.get("/console/login");
        HttpResponse<String> forged = browser.post("/console/login", Map.of("csrf", "forged", "username", "admin",
                "password", password));
        assertThat(forged.statusCode()).isEqualTo(403);
        assertThat(browser.cookie("bo_console")).isEmpty();
    }

    @Test
    void aForgedCsrfTokenIsRefusedAndNothingIsAppended() {
        browser.login("admin", password);
        long before = admin.count("SELECT count(*) FROM invalidations");
        HttpResponse<String> forged = browser.post("/console/purge/urls", Map.of("csrf", "forged-token", "urls", "/item/1"));
        assertThat(forged.statusCode()).isEqualTo(403);
        assertThat(forged.body()).contains("security token does not match");
        HttpResponse<String> missing = browser.post("/console/purge/urls", Map.of("urls", "/item/1"));
        assertThat(missing.statusCode()).isEqualTo(403);
        assertThat(admin.count("SELECT count(*) FROM invalidations")).isEqualTo(before);
    }

    @Test
    void aPurgeIsAppendedUnderTheUsersTokenAndShowsItsPropagation() {
        browser.login("admin", password);
        HttpResponse<String> purge = browser.submit("/console/purge", "/console/purge/urls", Map.of("urls", "/item/1\n/item/2"));
        assertThat(purge.statusCode()).as(purge.body()).isEqualTo(303);
        String location = purge.headers().firstValue("Location").orElseThrow();
        assertThat(location).startsWith("/console/invalidations/");
        long id = Long.parseLong(location.replaceAll("^/console/invalidations/(\\d+).*$", "$1"));
        assertThat(admin.count("SELECT count(*) FROM invalidations i JOIN api_tokens t ON t.id = i.created_by"
                + " WHERE i.id = " + id + " AND t.name = 'console:admin' AND i.kind = 'purge'")).isEqualTo(1);
        HttpResponse<String> status = browser.get(location);
        assertThat(status.statusCode()).isEqualTo(200);
        assertThat(status.body()).contains("purge of /item/1 /item/2").contains("data-status-url=\"/console/invalidations/"
                + id + "/status.json\"");
        HttpResponse<String> json = browser.get("/console/invalidations/" + id + "/status.json");
        assertThat(json.body()).contains("\"id\":" + id).contains("\"applied\":0");
        assertThat(admin.count("SELECT count(*) FROM console_audit WHERE action = 'purge'")).isEqualTo(1);
    }

    @Test
    void badInputIsShownNextToItsFieldWithTheApisMessage() {
        browser.login("admin", password);
        HttpResponse<String> bad = browser.submit("/console/purge", "/console/purge/ban", Map.of("kind", "regex",
                "pattern", "(unclosed", "ttlSeconds", "600"));
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).containsPattern("id=\"ban-pattern-error\" role=\"alert\">pattern: [^<]+</p>")
                .contains("aria-invalid=\"true\"").contains("value=\"(unclosed\"").doesNotContain("Exception");
        HttpResponse<String> badUrl = browser.submit("/console/purge", "/console/purge/urls", Map.of("urls", "ftp://x/y"));
        assertThat(badUrl.statusCode()).isEqualTo(400);
        assertThat(badUrl.body()).contains("id=\"urls-urls-error\"");
        HttpResponse<String> all = browser.submit("/console/purge", "/console/purge/all", Map.of("confirm", "yes"));
        assertThat(all.statusCode()).isEqualTo(400);
        assertThat(all.body()).contains("id=\"all-confirm-error\"");
        assertThat(admin.count("SELECT count(*) FROM invalidations")).isZero();
    }

    @Test
    void aReadUserSeesPagesButCannotPurgeAndRolesComeFromTheSameRulesAsTokens() throws Exception {
        Users.add(admin.node.database(), "rita", "read", "correct horse battery", "test", "127.0.0.1");
        browser.login("rita", "correct horse battery");
        assertThat(browser.get("/console/bans").statusCode()).isEqualTo(200);
        HttpResponse<String> purge = browser.submit("/console/purge", "/console/purge/urls", Map.of("urls", "/a"));
        assertThat(purge.statusCode()).isEqualTo(403);
        assertThat(purge.body()).contains("Your role is read; this needs purge");
        assertThat(browser.get("/console/tokens").statusCode()).isEqualTo(403);
    }

    @Test
    void logoutEndsTheSessionEverywhereAndAnOldCookieGoesToTheLoginPage() {
        browser.login("admin", password);
        String secret = browser.cookie("bo_console");
        HttpResponse<String> logout = browser.submit("/console/", "/console/logout", Map.of());
        assertThat(logout.statusCode()).isEqualTo(303);
        assertThat(logout.headers().firstValue("Location")).hasValue("/console/login?notice=logged-out");
        ConsoleClient replay = new ConsoleClient(admin.node.uri());
        HttpCookie cookie = new HttpCookie("bo_console", secret);
        cookie.setPath("/console");
        replay.cookies.getCookieStore().add(admin.node.uri(), cookie);
        assertThat(replay.get("/console/").statusCode()).isEqualTo(303);
        assertThat(admin.count("SELECT count(*) FROM console_sessions")).isZero();
    }

    @Test
    void anExpiredSessionOrAnotherInstallationsCookieGoesToTheLoginPage() {
        browser.login("admin", password);
        assertThat(browser.get("/console/").statusCode()).isEqualTo(200);
        admin.sql("UPDATE console_sessions SET expires_at = now() - interval '1 second'");
        assertThat(browser.get("/console/").statusCode()).isEqualTo(303);

        try (TestAdmin other = TestAdmin.start()) {
            ConsoleClient elsewhere = new ConsoleClient(other.node.uri());
            elsewhere.login("admin", other.node.bootstrapPassword().orElseThrow());
            ConsoleClient here = new ConsoleClient(admin.node.uri());
            HttpCookie foreign = new HttpCookie("bo_console", elsewhere.cookie("bo_console"));
            foreign.setPath("/console");
            here.cookies.getCookieStore().add(admin.node.uri(), foreign);
            HttpResponse<String> page = here.get("/console/bans");
            assertThat(page.statusCode()).isEqualTo(303);
            assertThat(page.headers().firstValue("Location")).hasValue("/console/login?next=%2Fbans");
        }
    }

    @Test
    void theLastAdminCannotBeDemotedOrDisabled() {
        browser.login("admin", password);
        admin.sql("UPDATE api_tokens SET revoked_at = now() WHERE name NOT LIKE 'console:%'"); // the bootstrap token
        long id = admin.count("SELECT id FROM console_users WHERE username = 'admin'");
        HttpResponse<String> demote = browser.submit("/console/users", "/console/users/" + id + "/role?role=read", Map.of());
        assertThat(demote.headers().firstValue("Location").orElseThrow()).contains("last+admin");
        HttpResponse<String> disable = browser.submit("/console/users", "/console/users/" + id + "/disable", Map.of());
        assertThat(disable.headers().firstValue("Location").orElseThrow()).contains("last+admin");
        assertThat(admin.count("SELECT count(*) FROM console_users WHERE role = 'admin' AND disabled_at IS NULL")).isEqualTo(1);
        assertThat(admin.count("SELECT count(*) FROM api_tokens WHERE name = 'console:admin' AND revoked_at IS NULL"
                + " AND scopes = '{admin}'")).isEqualTo(1);
    }

    @Test
    void aDisabledUserCannotLogInAndItsSessionEnds() throws Exception {
        Users.add(admin.node.database(), "paul", "purge", "correct horse battery", "test", "127.0.0.1");
        ConsoleClient paul = new ConsoleClient(admin.node.uri());
        assertThat(paul.login("paul", "correct horse battery").statusCode()).isEqualTo(303);
        browser.login("admin", password);
        long id = admin.count("SELECT id FROM console_users WHERE username = 'paul'");
        assertThat(browser.submit("/console/users", "/console/users/" + id + "/disable", Map.of()).statusCode()).isEqualTo(303);
        assertThat(paul.get("/console/").statusCode()).isEqualTo(303);
        assertThat(new ConsoleClient(admin.node.uri()).login("paul", "correct horse battery").statusCode()).isEqualTo(401);
        assertThat(admin.count("SELECT count(*) FROM api_tokens WHERE name = 'console:paul' AND revoked_at IS NOT NULL")).isEqualTo(1);
    }

    @Test
    void historyFiltersAndExportsCsvAndReportsRunTheOpsSqlFiles() {
        browser.login("admin", password);
        browser.submit("/console/purge", "/console/purge/tags", Map.of("tags", "=cmd|' /C calc'!A0 item-7"));
        browser.submit("/console/purge", "/console/purge/urls", Map.of("urls", "/other"));
        HttpResponse<String> filtered = browser.get("/console/invalidations?kind=purge_tags");
        assertThat(filtered.statusCode()).isEqualTo(200);
        assertThat(filtered.body()).contains("item-7").doesNotContain("/other");
        HttpResponse<String> badFilter = browser.get("/console/invalidations?kind=nonsense");
        assertThat(badFilter.statusCode()).isEqualTo(400);
        assertThat(badFilter.body()).contains("id=\"filter-kind-error\"");
        HttpResponse<String> csv = browser.get("/console/invalidations.csv?kind=purge_tags");
        assertThat(csv.statusCode()).isEqualTo(200);
        assertThat(csv.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/csv"));
        assertThat(csv.body()).startsWith("id,kind,").contains("'=cmd").doesNotContain("/other");
        HttpResponse<String> report = browser.get("/console/reports/who_purged_what.sql");
        assertThat(report.statusCode()).as(report.body()).isEqualTo(200);
        assertThat(report.body()).contains("console:admin");
        HttpResponse<String> reportCsv = browser.get("/console/reports/who_purged_what.sql.csv");
        assertThat(reportCsv.statusCode()).isEqualTo(200);
        assertThat(reportCsv.body()).contains("console:admin");
        assertThat(browser.get("/console/reports/nope.sql").statusCode()).isEqualTo(404);
        assertThat(browser.get("/console/invalidations/999999").statusCode()).isEqualTo(404);
        assertThat(browser.get("/console/invalidations/abc").statusCode()).isEqualTo(400);
    }

    @Test
    void sitesAreAddedEditedAndDeletedThroughTheApisRulesAndReachTheLog() {
        browser.login("admin", password);
        HttpResponse<String> bad = browser.submit("/console/sites", "/console/sites", Map.of("name", "www",
                "definition", "{\"hosts\": [\"www.example.com\"], \"origins\": [{\"url\": \"ftp://x\"}]}"));
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("id=\"site-definition-error\"").contains("origins[0].url");
        HttpResponse<String> notJson = browser.submit("/console/sites", "/console/sites", Map.of("name", "www",
                "definition", "{hosts"));
        assertThat(notJson.statusCode()).isEqualTo(400);
        assertThat(admin.count("SELECT count(*) FROM sites")).isZero();
        String good = "{\"hosts\": [\"www.example.com\"], \"origins\": [{\"url\": \"http://127.0.0.1:8081\"}]}";
        HttpResponse<String> added = browser.submit("/console/sites", "/console/sites", Map.of("name", "www", "definition", good));
        assertThat(added.statusCode()).as(added.body()).isEqualTo(303);
        assertThat(browser.submit("/console/sites", "/console/sites", Map.of("name", "www", "definition", good)).statusCode())
                .isEqualTo(409);
        HttpResponse<String> page = browser.get("/console/sites/www");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("www.example.com");
        HttpResponse<String> saved = browser.submit("/console/sites/www", "/console/sites/www", Map.of("definition",
                good.replace("www.example.com", "static.example.com")));
        assertThat(saved.statusCode()).as(saved.body()).isEqualTo(303);
        assertThat(browser.submit("/console/sites/www", "/console/sites/www/delete", Map.of("confirm", "nope")).statusCode())
                .isEqualTo(400);
        assertThat(browser.submit("/console/sites/www", "/console/sites/www/delete", Map.of("confirm", "www")).statusCode())
                .isEqualTo(303);
        assertThat(admin.count("SELECT count(*) FROM invalidations i JOIN api_tokens t ON t.id = i.created_by"
                + " WHERE t.name = 'console:admin' AND i.kind IN ('site_put', 'site_remove')")).isEqualTo(3);
        assertThat(admin.count("SELECT count(*) FROM sites")).isZero();
    }

    @Test
    void twentyFailedLoginsFromOneAddressAreRefusedForAWhileWhateverTheName() {
        for (int i = 0; i < 20; i++) {
            assertThat(browser.login("nobody-" + i, "wrong password").statusCode()).isEqualTo(401);
        }
        HttpResponse<String> refused = browser.login("admin", password);
        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(refused.body()).contains("Too many failed logins from your address");
        assertThat(admin.node.console().freeHashSlots()).isEqualTo(2);
    }

    @Test
    void anOversizedOrMalformedFormIsA4xxPageNotA500() {
        browser.login("admin", password);
        HttpResponse<String> huge = browser.submit("/console/purge", "/console/purge/urls", Map.of("urls",
                "/x\n".repeat(600_000)));
        assertThat(huge.statusCode()).isEqualTo(413);
        assertThat(huge.body()).contains("Form too large").doesNotContain("Exception");
        HttpResponse<String> malformed = browser.postRaw("/console/purge/urls", "csrf="
                + ConsoleClient.csrf(browser.get("/console/purge").body()) + "&urls=%ZZ%");
        assertThat(malformed.statusCode()).isEqualTo(400);
        assertThat(malformed.body()).contains("could not be read");
        assertThat(admin.count("SELECT count(*) FROM invalidations")).isZero();
    }

    @Test
    void aNewLoginEndsTheSessionTheBrowserBrought() {
        browser.login("admin", password);
        String first = browser.cookie("bo_console");
        browser.login("admin", password);
        assertThat(browser.cookie("bo_console")).isNotEqualTo(first);
        assertThat(admin.count("SELECT count(*) FROM console_sessions")).isEqualTo(1);
    }

    @Test
    void everyPageRendersForAnAdmin() {
        browser.login("admin", password);
        for (String page : new String[] {"/console/", "/console/purge", "/console/bans", "/console/nodes", "/console/sites",
                "/console/tokens", "/console/users", "/console/audit", "/console/?window=24h", "/console/invalidations",
                "/console/reports", "/console/reports/who_purged_what.sql", "/console/lookup", "/console/lookup?url=/item/1",
                "/console/tags", "/console/tags?tag=item-1"}) {
            HttpResponse<String> response = browser.get(page);
            assertThat(response.statusCode()).as(page + ": " + response.body()).isEqualTo(200);
            assertThat(response.body()).as(page).contains("</html>").doesNotContain("Exception");
        }
        assertThat(browser.get("/console/static/uPlot.iife.min.js").statusCode()).isEqualTo(200);
        assertThat(browser.get("/console/static/nope.js").statusCode()).isEqualTo(404);
        assertThat(browser.get("/console/nope").statusCode()).isEqualTo(404);
        assertThat(browser.get("/console/?window=7y").statusCode()).isEqualTo(400);
    }
}
