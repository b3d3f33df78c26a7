package io.blueorigin.cdn.admin.console;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Where a login goes next (never off the console: no open redirect), and the cookies it sets. */
class LoginPageTest {
    @ParameterizedTest(name = "next={0} -> {1}")
    @CsvSource(delimiter = '|', nullValues = "null", value = {
        "null                         | /console/",
        "/                            | /console/",
        "/bans                        | /console/bans",
        "/invalidations?kind=ban      | /console/invalidations?kind=ban",
        "//evil.example/              | /console/",
        "/\\evil.example              | /console/",
        "https://evil.example/        | /console/",
        "evil                         | /console/",
        "'/a b'                       | /console/",
        "/a%0d%0aSet-Cookie:x         | /console/a%0d%0aSet-Cookie:x",
    })
    void nextStaysOnTheConsole(String next, String expected) {
        assertThat(LoginPage.next(next)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "secure={0}")
    @CsvSource({"false, bo_console=s; Path=/console; HttpOnly; SameSite=Strict",
        "true, bo_console=s; Path=/console; HttpOnly; SameSite=Strict; Secure"})
    void sessionCookiesAreHttpOnlyStrictAndSecureOverTls(boolean secure, String expected) {
        assertThat(LoginPage.cookie("bo_console", "s", "/console", secure, -1)).isEqualTo(expected);
        assertThat(LoginPage.cookie("bo_console", "", "/console", secure, 0)).endsWith("; Max-Age=0");
    }
}
