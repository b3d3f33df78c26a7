package io.blueorigin.cdn.httpcache.signing;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.blueorigin.cdn.httpcache.RequestTarget;
import io.blueorigin.cdn.httpcache.signing.SignatureCheck.Outcome;
import io.blueorigin.cdn.httpcache.signing.SigningPolicy.Mode;
import io.blueorigin.cdn.httpcache.signing.SigningPolicy.Rule;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@link SignatureCheck#verify} as a table (docs/signed-urls.md). Each row signs {@code target} with {@code key}
 * expiring at T + {@code exp} (key {@code -}: not signed), then applies {@code edit} ({@code from>to}, a
 * replacement in the signed URL; empty: none) and checks it at T + {@code now}.
 *
 * <p>Keyring: {@code k1} current; {@code k0} previous, accepted until T + 100; {@code kx} previous, ended at
 * T - 1; {@code zz} is signed with a key the site does not hold. Policy: {@code /private/} required signing
 * {@code w}; {@code /private/open/} off; {@code /opt/} optional; lifetime at most one day.
 */
class SignatureCheckTest {
    static final long T = 1_767_225_600L;
    static final SigningKey K1 = new SigningKey("k1", "0123456789abcdef0123456789abcdef".getBytes(US_ASCII), SigningKey.CURRENT);
    static final SigningKey K0 = new SigningKey("k0", "fedcba9876543210fedcba9876543210".getBytes(US_ASCII), T + 100);
    static final SigningKey KX = new SigningKey("kx", "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx".getBytes(US_ASCII), T - 1);
    static final SigningKey STRANGER = new SigningKey("zz", "zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz".getBytes(US_ASCII), SigningKey.CURRENT);
    static final SigningKeyring KEYRING = new SigningKeyring(List.of(K1, K0, KX));
    static final SigningPolicy POLICY = new SigningPolicy(List.of(
            new Rule("/private/", Mode.REQUIRED, List.of("w")),
            new Rule("/private/open/", Mode.OFF, List.of()),
            new Rule("/opt/", Mode.OPTIONAL, List.of())), "exp", "kid", "sig", 86_400);

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
        # case                                         | target                  | key | exp   | edit                     | now    | outcome
        signed, in time                                 | /private/a.mp4?w=640    | k1  | 60    | ``                       | 0      | OK
        signed, at the expiry second                    | /private/a.mp4?w=640    | k1  | 60    | ``                       | 60     | OK
        replayed one second after the expiry            | /private/a.mp4?w=640    | k1  | 60    | ``                       | 61     | EXPIRED
        replayed long after                             | /private/a.mp4?w=640    | k1  | 60    | ``                       | 999999 | EXPIRED
        expiry moved later                              | /private/a.mp4?w=640    | k1  | 60    | `exp=1767225660>exp=1767229260` | 0 | INVALID
        expiry moved later, after it passed             | /private/a.mp4?w=640    | k1  | 60    | `exp=1767225660>exp=1767229260` | 61 | INVALID
        path changed                                    | /private/a.mp4?w=640    | k1  | 60    | `a.mp4>b.mp4`            | 0      | INVALID
        signed parameter changed                        | /private/a.mp4?w=640    | k1  | 60    | `w=640>w=641`            | 0      | INVALID
        signed parameter removed                        | /private/a.mp4?w=640    | k1  | 60    | `w=640&>`                | 0      | INVALID
        signed parameter added                          | /private/a.mp4          | k1  | 60    | `?>?w=1&`                | 0      | INVALID
        unsigned parameter added: not covered           | /private/a.mp4?w=640    | k1  | 60    | `?>?utm=x&`              | 0      | OK
        empty parameter added: not covered             | /private/a.mp4?w=&u=1   | k1  | 60    | `w=&>w=&&`               | 0      | OK
        parameter order does not matter                 | /private/a.mp4?x=1&w=640 | k1 | 60    | `x=1&w=640>w=640&x=1`    | 0      | OK
        signature changed                               | /private/a.mp4?w=640    | k1  | 60    | `sig=>sig=A`             | 0      | INVALID
        signature truncated                             | /private/a.mp4?w=640    | k1  | 60    | `sig=>sig=x&y=`          | 0      | INVALID
        key id switched to another key of the site      | /private/a.mp4?w=640    | k1  | 60    | `kid=k1>kid=k0`          | 0      | INVALID
        key id unknown                                  | /private/a.mp4?w=640    | k1  | 60    | `kid=k1>kid=k9`          | 0      | UNKNOWN_KEY
        key id malformed                                | /private/a.mp4?w=640    | k1  | 60    | `kid=k1>kid=k%2F1`       | 0      | INVALID
        signed with a key the site lacks                | /private/a.mp4?w=640    | zz  | 60    | ``                       | 0      | UNKNOWN_KEY
        previous key within its grace                   | /private/a.mp4?w=640    | k0  | 60    | ``                       | 50     | OK
        previous key at the end of its grace            | /private/a.mp4?w=640    | k0  | 600   | ``                       | 100    | OK
        previous key after its grace                    | /private/a.mp4?w=640    | k0  | 600   | ``                       | 101    | UNKNOWN_KEY
        retired key                                     | /private/a.mp4?w=640    | kx  | 60    | ``                       | 0      | UNKNOWN_KEY
        no signature where required                     | /private/a.mp4?w=640    | -   | 0     | ``                       | 0      | MISSING
        no query at all where required                  | /private/a.mp4          | -   | 0     | ``                       | 0      | MISSING
        signature without expiry                        | /private/a.mp4?w=640    | k1  | 60    | `exp=1767225660&>`       | 0      | MISSING
        expiry twice                                    | /private/a.mp4?w=640    | k1  | 60    | `?>?exp=1&`              | 0      | MISSING
        expiry not a number                             | /private/a.mp4?w=640    | k1  | 60    | `exp=1767225660>exp=1e9` | 0      | INVALID
        expiry with a leading zero                      | /private/a.mp4?w=640    | k1  | 60    | `exp=1767225660>exp=01767225660` | 0 | INVALID
        expiry beyond the lifetime, really signed       | /private/a.mp4?w=640    | k1  | 90000 | ``                       | 0      | INVALID
        expiry beyond the lifetime, fine later          | /private/a.mp4?w=640    | k1  | 90000 | ``                       | 4000   | OK
        off under a required prefix: longest wins       | /private/open/a         | -   | 0     | ``                       | 0      | NOT_REQUIRED
        no rule for the path                            | /public/a               | -   | 0     | ``                       | 0      | NOT_REQUIRED
        prefix is not a path prefix match by segment    | /private                | -   | 0     | ``                       | 0      | NOT_REQUIRED
        optional, unsigned                              | /opt/a                  | -   | 0     | ``                       | 0      | NOT_REQUIRED
        optional, signed                                | /opt/a                  | k1  | 60    | ``                       | 0      | OK
        optional, signed but tampered                   | /opt/a                  | k1  | 60    | `/opt/a>/opt/b`          | 0      | INVALID
        optional, signed but expired                    | /opt/a                  | k1  | 60    | ``                       | 61     | EXPIRED
        """)
    void verify(String name, String target, String key, long exp, String edit, long now, Outcome outcome) {
        String url = target;
        if (!key.equals("-")) {
            SigningKey signing = switch (key) {
                case "k1" -> K1;
                case "k0" -> K0;
                case "kx" -> KX;
                default -> STRANGER;
            };
            url = UrlSigner.sign(new SigningPolicy(POLICY.rules(), "exp", "kid", "sig", SigningPolicy.MAX_LIFETIME_SECONDS),
                    signing, parse(target), T + exp, T - 1).pathAndQuery();
        }
        if (!edit.isEmpty()) {
            String[] fromTo = edit.split(">", -1);
            assertThat(url).as("the edit applies").contains(fromTo[0]);
            url = url.replaceFirst(java.util.regex.Pattern.quote(fromTo[0]), fromTo[1]);
        }
        SignatureCheck.Verdict verdict = SignatureCheck.verify(POLICY, KEYRING, parse(url), T + now);
        assertThat(verdict.outcome()).as(url).isEqualTo(outcome);
        assertThat(verdict.allowed()).isEqualTo(outcome == Outcome.OK || outcome == Outcome.NOT_REQUIRED);
        if (!verdict.allowed()) {
            assertThat(verdict.message()).isNotEmpty().doesNotContain("sig=");
        }
    }

    static RequestTarget parse(String pathAndQuery) {
        int q = pathAndQuery.indexOf('?');
        return q < 0 ? RequestTarget.parse(pathAndQuery, null)
                : RequestTarget.parse(pathAndQuery.substring(0, q), pathAndQuery.substring(q + 1));
    }

    /** The layout of the class comment, and an HMAC computed independently (openssl dgst -sha256 -mac HMAC). */
    @Test
    void knownAnswer() {
        assertThat(CanonicalString.of("/private/a.mp4", 1_767_225_600L, "k1", "x=1&w=640&exp=9", List.of("w")))
                .isEqualTo("BO-URL-SIG-1\n/private/a.mp4\n1767225600\nk1\nw=640");
        RequestTarget signed = UrlSigner.sign(POLICY, K1, parse("/private/a.mp4?w=640"), 1_767_225_600L, T - 60);
        assertThat(signed.pathAndQuery())
                .isEqualTo("/private/a.mp4?w=640&exp=1767225600&kid=k1&sig=CV6em79oAAQJUma-O-dCAzTZN5HUJH3fhiXROX1JiMQ");
    }

    @Test
    void signedParametersSortedByTheirBytes() {
        assertThat(CanonicalString.of("/p", 5, "k", "w=2&h=1&w=1", List.of("w", "h"))).endsWith("\nh=1&w=1&w=2");
        assertThat(CanonicalString.of("/p", 5, "k", null, List.of("w"))).isEqualTo("BO-URL-SIG-1\n/p\n5\nk\n");
    }

    @Test
    void signatureParametersLeaveTheKeyWhereThePolicyApplies() {
        RequestTarget signed = UrlSigner.sign(POLICY, K1, parse("/private/a?w=1&b=2"), T + 60, T);
        assertThat(SignatureCheck.withoutSignature(POLICY, signed)).isEqualTo(parse("/private/a?w=1&b=2"));
        assertThat(SignatureCheck.withoutSignature(POLICY, parse("/private/a?sig=x&kid=y&exp=1")))
                .isEqualTo(parse("/private/a"));
        RequestTarget elsewhere = parse("/public/a?sig=origin-owned");
        assertThat(SignatureCheck.withoutSignature(POLICY, elsewhere)).isSameAs(elsewhere);
        RequestTarget off = parse("/private/open/a?exp=1");
        assertThat(SignatureCheck.withoutSignature(POLICY, off)).isSameAs(off);
    }

    @Test
    void signingASignedUrlAgainResigns() {
        RequestTarget once = UrlSigner.sign(POLICY, K1, parse("/private/a?w=1"), T + 60, T);
        RequestTarget twice = UrlSigner.sign(POLICY, K0, once, T + 30, T);
        assertThat(twice.query()).startsWith("w=1&exp=").contains("&kid=k0&");
        assertThat(SignatureCheck.verify(POLICY, KEYRING, twice, T).outcome()).isEqualTo(Outcome.OK);
    }

    @Test
    void signerRefusesUrlsNodesWouldRefuse() {
        assertThatThrownBy(() -> UrlSigner.sign(POLICY, K1, parse("/private/a"), T, T))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("future");
        assertThatThrownBy(() -> UrlSigner.sign(POLICY, K1, parse("/private/a"), T + 86_401, T))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxLifetime");
    }

    @Test
    void keyringInvariants() {
        SigningKey other = new SigningKey("k2", new byte[16], SigningKey.CURRENT);
        assertThatThrownBy(() -> new SigningKeyring(List.of(K1, other))).hasMessageContaining("more than one current");
        assertThatThrownBy(() -> new SigningKeyring(List.of(K1, K1))).hasMessageContaining("twice");
        assertThatThrownBy(() -> new SigningKey("k", new byte[15], 0)).hasMessageContaining("16 to 64 bytes");
        assertThatThrownBy(() -> new SigningKey("a/b", new byte[16], 0)).hasMessageContaining("key id");
        assertThat(K1.toString()).doesNotContain("0123");
        assertThat(KEYRING.current()).isEqualTo(K1);
        assertThat(KEYRING.withoutExpired(T).keys()).containsExactly(K1, K0);
    }

    @Test
    void policyInvariants() {
        assertThatThrownBy(() -> new SigningPolicy(List.of(new Rule("/a", Mode.REQUIRED, List.of("sig"))), "exp", "kid",
                "sig", 60)).hasMessageContaining("cannot be signed");
        assertThatThrownBy(() -> new SigningPolicy(List.of(), "exp", "exp", "sig", 60)).hasMessageContaining("distinct");
        assertThatThrownBy(() -> new SigningPolicy(List.of(new Rule("/a", Mode.OFF, List.of()),
                new Rule("/a", Mode.REQUIRED, List.of())), "exp", "kid", "sig", 60)).hasMessageContaining("twice");
        assertThatThrownBy(() -> new Rule("a", Mode.OFF, List.of())).hasMessageContaining("'/'");
    }
}
