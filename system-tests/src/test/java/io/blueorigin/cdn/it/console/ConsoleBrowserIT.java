package io.blueorigin.cdn.it.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.blueorigin.cdn.proxy.ProxyNode;
import io.blueorigin.cdn.testkit.Reply;
import io.blueorigin.cdn.testkit.TestStack;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The console in a real browser (headless Chromium through Selenium) against a real admin, edge nyc and shield
 * iad on PostgreSQL: log in (and a wrong password), purge a URL and watch both nodes apply it live, create and
 * lift a ban, bad input shown next to its field, a forged CSRF token refused, CSV export, logout. Every page's
 * screenshot is saved under target/console-screenshots/.
 */
class ConsoleBrowserIT {
    private static TestStack s;
    private static String password;
    private static URI console;
    private WebDriver browser;

    @BeforeAll
    static void start() {
        s = TestStack.start(c -> c.withAdmin().edges("nyc").shields("iad"));
        password = s.cdn.admin().bootstrapPassword().orElseThrow();
        console = s.cdn.admin().uri().resolve("/console/");
        for (ProxyNode node : List.of(s.cdn.edge("nyc"), s.cdn.shield())) {
            await().atMost(Duration.ofSeconds(20)).until(() -> node.control().readiness().ready());
        }
    }

    @AfterAll
    static void stop() {
        if (s != null) {
            s.close();
        }
    }

    @BeforeEach
    void open() {
        browser = Browser.start();
    }

    @AfterEach
    void close() {
        if (browser != null) {
            browser.quit();
        }
    }

    private void go(String path) {
        browser.get(console.resolve(path).toString());
    }

    /**
     * Clicks {@code button} and waits until the page it submits to has replaced this one and loaded: the old
     * document carries a mark the new one lacks. (Waiting for the old {@code <html>} element to go stale raced with
     * the navigation: Chromium sometimes reports the node as "not belonging to the document" instead of stale.)
     */
    private void submit(By button) {
        JavascriptExecutor js = (JavascriptExecutor) browser;
        js.executeScript("window.boOldPage = true;");
        browser.findElement(button).click();
        new WebDriverWait(browser, Duration.ofSeconds(20)).ignoring(org.openqa.selenium.WebDriverException.class)
                .until(d -> Boolean.TRUE.equals(js.executeScript(
                        "return window.boOldPage === undefined && document.readyState === 'complete';")));
    }

    private String heading() {
        return browser.findElement(By.tagName("h1")).getText();
    }

    private void logIn(String user, String secret) {
        go("/console/login");
        browser.findElement(By.id("login-username")).clear();
        browser.findElement(By.id("login-username")).sendKeys(user);
        browser.findElement(By.id("login-password")).sendKeys(secret);
        submit(By.cssSelector("#login button[type=submit]"));
    }

    @Test
    void aWrongPasswordIsRefusedThenTheRightOneOpensTheOverview() {
        go("/console/bans");
        assertThat(heading()).isEqualTo("Log in");
        Browser.screenshot(browser, "login");
        logIn("admin", "not the password");
        assertThat(heading()).isEqualTo("Log in");
        assertThat(browser.findElement(By.id("login-error")).getText()).isEqualTo("Wrong user name or password.");
        s.origin.on("/browser/traffic", Reply.ok("traffic").withHeader("Cache-Control", "max-age=600")
                .withHeader("Content-Type", "text/html"));
        for (int i = 0; i < 20; i++) {
            s.client.get(s.edge("nyc", "/browser/traffic"));
        }
        logIn("admin", password);
        assertThat(heading()).isEqualTo("Overview");
        assertThat(browser.getPageSource()).contains("Nodes by POP and role").contains("edge-nyc");
        // the heartbeats bring the requests to admin: the per-tier table shows them, the charts are drawn
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(1)).until(() -> {
            go("/console/?window=5m");
            return browser.findElement(By.xpath("//caption[text()='Per tier']/../tbody/tr[1]/td[2]")).getText()
                    .matches("[1-9][0-9]*");
        });
        await().atMost(Duration.ofSeconds(10)).until(() -> browser.findElements(By.cssSelector(".chart-area canvas")).size() == 6);
        assertThat(browser.getPageSource()).contains("text/html");
        browser.manage().window().setSize(new Dimension(1280, 2900));
        Browser.screenshot(browser, "overview");
        browser.manage().window().setSize(new Dimension(1280, 1000));
    }

    @Test
    void purgingAUrlShowsEveryNodeApplyingItLive() {
        s.origin.on("/browser/1", Reply.ok("one").withHeader("Cache-Control", "max-age=600"));
        s.client.get(s.edge("nyc", "/browser/1"));
        assertThat(s.client.get(s.edge("nyc", "/browser/1")).getHeaders().get("X-Cache")).isEqualTo("HIT");
        logIn("admin", password);
        go("/console/purge");
        Browser.screenshot(browser, "purge");
        browser.findElement(By.id("urls-urls")).sendKeys("/browser/1");
        submit(By.cssSelector("#urls button[type=submit]"));
        assertThat(heading()).startsWith("Entry ");
        WebElement live = browser.findElement(By.cssSelector(".live"));
        await().atMost(Duration.ofSeconds(15)).until(() -> live.getText().contains("0 pending: done"));
        for (String node : List.of(s.cdn.edge("nyc").identity().name(), s.cdn.shield().identity().name())) {
            WebElement row = browser.findElement(By.cssSelector("#nodes tr[data-key='" + node + "']"));
            assertThat(row.findElements(By.tagName("td")).get(3).getText()).as(node).isEqualTo("applied");
        }
        Browser.screenshot(browser, "propagation");
        assertThat(s.client.get(s.edge("nyc", "/browser/1")).getHeaders().get("X-Cache")).isEqualTo("MISS");
    }

    @Test
    void aBanIsCreatedListedAndLifted() {
        logIn("admin", password);
        go("/console/purge");
        new Select(browser.findElement(By.id("ban-kind"))).selectByValue("prefix");
        browser.findElement(By.id("ban-pattern")).sendKeys("/browser-ban/");
        submit(By.cssSelector("#ban button[type=submit]"));
        assertThat(heading()).startsWith("Entry ");
        String banId = heading().substring("Entry ".length());
        go("/console/bans");
        Browser.screenshot(browser, "bans");
        submit(By.xpath("//button[text()='Lift ban " + banId + "']"));
        assertThat(heading()).startsWith("Entry ");
        assertThat(browser.findElement(By.cssSelector(".notice")).getText()).contains("Ban " + banId + " lifted");
        go("/console/bans");
        assertThat(browser.findElements(By.xpath("//button[text()='Lift ban " + banId + "']"))).isEmpty();
    }

    @Test
    void badInputIsShownNextToItsField() {
        logIn("admin", password);
        go("/console/purge");
        new Select(browser.findElement(By.id("ban-kind"))).selectByValue("regex");
        browser.findElement(By.id("ban-pattern")).sendKeys("(unclosed");
        submit(By.cssSelector("#ban button[type=submit]"));
        WebElement error = browser.findElement(By.id("ban-pattern-error"));
        assertThat(error.getText()).startsWith("pattern:");
        assertThat(browser.findElement(By.id("ban-pattern")).getAttribute("aria-invalid")).isEqualTo("true");
        assertThat(browser.findElement(By.id("ban-pattern")).getAttribute("aria-describedby")).contains("ban-pattern-error");
        assertThat(browser.getPageSource()).doesNotContain("Exception");
        Browser.screenshot(browser, "bad-input");
    }

    @Test
    void aForgedCsrfTokenIsRefused() {
        logIn("admin", password);
        go("/console/purge");
        ((JavascriptExecutor) browser).executeScript(
                "document.querySelector('#urls input[name=csrf]').value = 'forged';");
        browser.findElement(By.id("urls-urls")).sendKeys("/browser/forged");
        submit(By.cssSelector("#urls button[type=submit]"));
        assertThat(heading()).isEqualTo("Form expired");
        assertThat(browser.getPageSource()).contains("Nothing was changed");
    }

    @Test
    void theHistoryExportsCsv() throws Exception {
        logIn("admin", password);
        go("/console/purge");
        browser.findElement(By.id("tags-tags")).sendKeys("csv-export-tag");
        submit(By.cssSelector("#tags button[type=submit]"));
        go("/console/invalidations");
        browser.findElement(By.id("filter-text")).sendKeys("csv-export-tag");
        submit(By.cssSelector("#filter button[type=submit]"));
        String href = browser.findElement(By.linkText("Export as CSV")).getAttribute("href");
        assertThat(href).contains("/console/invalidations.csv?text=csv-export-tag");
        String session = browser.manage().getCookieNamed("bo_console").getValue();
        java.net.http.HttpResponse<String> csv = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest
                .newBuilder(URI.create(href)).header("Cookie", "bo_console=" + session).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(csv.statusCode()).isEqualTo(200);
        assertThat(csv.headers().firstValue("Content-Disposition")).hasValue("attachment; filename=\"invalidations.csv\"");
        assertThat(csv.body().lines().toList()).hasSize(2);
        assertThat(csv.body()).contains("csv-export-tag").contains("console:admin");
    }

    @Test
    void loggingOutEndsTheSession() {
        logIn("admin", password);
        submit(By.cssSelector("form.logout button"));
        assertThat(heading()).isEqualTo("Log in");
        assertThat(browser.findElement(By.cssSelector(".notice")).getText()).isEqualTo("You are logged out.");
        go("/console/");
        assertThat(heading()).isEqualTo("Log in");
    }

    @Test
    void everyPageRendersAndIsSaved() {
        logIn("admin", password);
        for (String page : List.of("", "purge", "invalidations", "bans", "lookup?url=/browser/1", "tags?tag=item-1",
                "reports", "reports/propagation_per_node.sql", "nodes", "sites", "tokens", "users", "audit")) {
            go("/console/" + page);
            assertThat(browser.findElements(By.tagName("h1"))).as(page).hasSize(1);
            assertThat(browser.getPageSource()).as(page).doesNotContain("Exception");
            Browser.screenshot(browser, "page-" + (page.isEmpty() ? "overview" : page.replaceAll("[^a-z_]+.*$", "")));
        }
    }
}
