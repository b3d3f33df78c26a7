package io.blueorigin.cdn.admin.console;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Argon2id PHC hashes: what verifies and what never does. */
class PasswordsTest {
    private static final String HASH = Passwords.hash("correct horse battery");

    @Test
    void aHashIsAnArgon2idPhcStringWithAFreshSaltAndVerifiesOnlyItsPassword() {
        assertThat(HASH).matches("\\$argon2id\\$v=19\\$m=19456,t=2,p=1\\$[A-Za-z0-9+/]{22}\\$[A-Za-z0-9+/]{43}");
        assertThat(Passwords.hash("correct horse battery")).isNotEqualTo(HASH);
        assertThat(Passwords.verify("correct horse battery", HASH)).isTrue();
        assertThat(Passwords.verify("correct horse batterY", HASH)).isFalse();
        assertThat(Passwords.verify("", HASH)).isFalse();
        assertThat(Passwords.verifyNobody("correct horse battery")).isFalse();
    }

    @Test
    void aHashWithOtherParametersStillVerifies() {
        String lighter = HASH.replace("m=19456,t=2", "m=19456,t=2"); // same text: parameters are read from it
        assertThat(Passwords.verify("correct horse battery", lighter)).isTrue();
        String changed = HASH.replace("t=2", "t=3");
        assertThat(Passwords.verify("correct horse battery", changed)).isFalse();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "not a hash                                                        | garbage",
        "$argon2i$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0c2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g | argon2i, not id",
        "$argon2id$v=16$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0c2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g | old version",
        "$argon2id$v=19$m=9999999,t=2,p=1$c2FsdHNhbHRzYWx0c2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g | asks for 9.5 GiB",
        "$argon2id$v=19$m=19456,t=99,p=1$c2FsdHNhbHRzYWx0c2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g | 99 passes",
        "$argon2id$v=19$m=19456,t=2,p=9$c2FsdHNhbHRzYWx0c2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g | 9 lanes",
    })
    void malformedOrTamperedHashesNeverVerify(String phc, String why) {
        assertThat(Passwords.verify("anything at all", phc)).as(why).isFalse();
    }

    @ParameterizedTest(name = "{0} chars")
    @CsvSource({"0, false", "11, false", "12, true", "200, true", "201, false"})
    void passwordsAreTwelveToTwoHundredCharacters(int length, boolean ok) {
        assertThat(Passwords.check("x".repeat(length)).isEmpty()).isEqualTo(ok);
        assertThat(Passwords.check(" ".repeat(Math.max(12, length))).isEmpty()).isFalse();
    }
}
