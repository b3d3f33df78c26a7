package io.blueorigin.cdn.proxy.control;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The signed {@code Blue-Origin-Invalidation} field: what an edge sends verifies; nothing else carries an id. */
class TierKeysTest {
    private static final byte[] K1 = "k1-k1-k1-k1-k1-k1-k1-k1-k1-k1-k1".getBytes(StandardCharsets.UTF_8);
    private static final byte[] K2 = "k2-k2-k2-k2-k2-k2-k2-k2-k2-k2-k2".getBytes(StandardCharsets.UTF_8);
    private static final TierKeys EDGE = TierKeys.of(1, Map.of(1, K1));
    private static final TierKeys SHIELD = TierKeys.of(1, Map.of(1, K1, 2, K2));

    @Test
    void whatAnEdgeSignsAShieldHoldingTheKeyVerifies() {
        String field = EDGE.sign(42, "edge-nyc").orElseThrow();
        assertThat(field).matches("42; node=edge-nyc; key=1; sig=[A-Za-z0-9_-]{43}");
        assertThat(SHIELD.verifiedId(field)).isEqualTo(42);
        assertThat(TierKeys.of(2, Map.of(1, K1, 2, K2)).sign(7, "edge-lhr").orElseThrow()).contains("key=2");
        assertThat(SHIELD.verifiedId(TierKeys.of(2, Map.of(2, K2)).sign(7, "edge-lhr").orElseThrow())).isEqualTo(7);
    }

    @Test
    void withoutKeysNothingIsSignedAndNothingVerifies() {
        assertThat(TierKeys.NONE.sign(42, "edge-nyc")).isEmpty();
        assertThat(TierKeys.NONE.verifiedId(EDGE.sign(42, "edge-nyc").orElseThrow())).isZero();
    }

    /** Forged, altered or malformed values count as absent (0). */
    @ParameterizedTest
    @ValueSource(strings = {"", "42", "999999999999", "-1", "42; node=edge-nyc", "42; node=edge-nyc; key=1; sig=",
        "42; node=edge-nyc; key=1; sig=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        "42; node=edge-nyc; key=9; sig=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        "99999999999999999999; node=a; key=1; sig=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        "42; node=edge nyc; key=1; sig=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        "42;node=x;key=99999999999;sig=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"})
    void anythingButAValidSignatureIsIgnored(String value) {
        assertThat(SHIELD.verifiedId(value)).isZero();
    }

    @Test
    void changingTheIdTheNodeOrTheKeyVersionBreaksTheSignature() {
        String field = EDGE.sign(42, "edge-nyc").orElseThrow();
        String sig = field.substring(field.indexOf("sig="));
        assertThat(SHIELD.verifiedId("4200; node=edge-nyc; key=1; " + sig)).isZero();
        assertThat(SHIELD.verifiedId("42; node=edge-lhr; key=1; " + sig)).isZero();
        assertThat(SHIELD.verifiedId("42; node=edge-nyc; key=2; " + sig)).isZero();
        assertThat(TierKeys.of(2, Map.of(2, K2)).verifiedId(field)).as("a shield without version 1").isZero();
        assertThat(SHIELD.verifiedId(null)).isZero();
        assertThat(SHIELD.verifiedId(field + " ".repeat(200))).isZero();
    }

    @Test
    void keysNeverShowInText() {
        assertThat(SHIELD.toString()).doesNotContain("k1-").contains("versions=[1, 2]");
    }
}
