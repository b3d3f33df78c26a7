package io.blueorigin.cdn.httpcache.signing;

import static io.blueorigin.cdn.httpcache.signing.SignatureCheckTest.K0;
import static io.blueorigin.cdn.httpcache.signing.SignatureCheckTest.K1;
import static io.blueorigin.cdn.httpcache.signing.SignatureCheckTest.KEYRING;
import static io.blueorigin.cdn.httpcache.signing.SignatureCheckTest.POLICY;
import static io.blueorigin.cdn.httpcache.signing.SignatureCheckTest.T;
import static org.assertj.core.api.Assertions.assertThat;

import io.blueorigin.cdn.httpcache.RequestTarget;
import io.blueorigin.cdn.httpcache.signing.SignatureCheck.Outcome;
import java.util.EnumSet;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

/**
 * Tampering and forgery: whatever is changed of a signed URL's path, expiry, key id, signed parameter or
 * signature, the check never answers OK (nor lets it through as unsigned); a URL replayed after its expiry is
 * EXPIRED; a made-up signature is INVALID.
 */
class SignatureCheckProperties {
    private static final Set<Outcome> REFUSED = EnumSet.of(Outcome.INVALID, Outcome.EXPIRED, Outcome.UNKNOWN_KEY,
            Outcome.MISSING);

    @Provide
    Arbitrary<String> text() {
        return Arbitraries.oneOf(Arbitraries.strings().ofMinLength(1).ofMaxLength(12),
                Arbitraries.strings().withChars("abcAB019-_.~%/=&?").ofMinLength(1).ofMaxLength(12));
    }

    enum Part { PATH, EXPIRY, KEY_ID, SIGNED_PARAM, SIGNATURE }

    @Property(tries = 3000)
    void tamperingNeverVerifies(@ForAll("text") String segment, @ForAll("text") String value, @ForAll Part part,
            @ForAll("text") String replacement, @ForAll @IntRange(min = 0, max = 120) int age) {
        RequestTarget original;
        try {
            original = RequestTarget.parse("/private/" + segment, "w=" + value + "&u=1");
        } catch (RequestTarget.InvalidTarget e) {
            Assume.that(false);
            return;
        }
        Assume.that(POLICY.ruleFor(original.path()) != null && POLICY.ruleFor(original.path()).prefix().equals("/private/"));
        long expires = T + 60;
        RequestTarget signed = UrlSigner.sign(POLICY, K1, original, expires, T);
        String q = signed.query();
        String sig = q.substring(q.indexOf("&sig=") + 5);
        String tampered = switch (part) {
            case PATH -> signed.path() + replacement + "?" + q;
            case EXPIRY -> signed.path() + "?" + q.replace("exp=" + expires, "exp=" + replacement);
            case KEY_ID -> signed.path() + "?" + q.replace("kid=k1", "kid=" + replacement);
            case SIGNED_PARAM -> signed.path() + "?" + q.replaceFirst("^w=[^&]*", java.util.regex.Matcher.quoteReplacement("w=" + replacement));
            case SIGNATURE -> signed.path() + "?" + q.replace("sig=" + sig, "sig=" + replacement);
        };
        RequestTarget target;
        try {
            target = SignatureCheckTest.parse(tampered);
        } catch (RequestTarget.InvalidTarget e) {
            return; // refused at the door already
        }
        Assume.that(!target.equals(signed));
        // A replacement that begins a new parameter ("&x") leaves w's value as signed: adding an unsigned
        // parameter is allowed by design (only the rule's parameters are bound), so it is not tampering.
        Assume.that(part != Part.SIGNED_PARAM || !signedParams(target).equals(signedParams(signed)));
        Assume.that(part != Part.PATH || target.path().startsWith("/private/") && !target.path().startsWith("/private/open/"));
        Outcome outcome = SignatureCheck.verify(POLICY, KEYRING, target, T + age).outcome();
        assertThat(outcome).as(tampered).isIn(REFUSED);
    }

    private static java.util.List<String> signedParams(RequestTarget target) {
        return java.util.Arrays.stream(target.query().split("&", -1))
                .filter(p -> CanonicalString.name(p).equals("w")).sorted().toList();
    }

    @Property(tries = 500)
    void replayAfterExpiryIsExpired(@ForAll @LongRange(min = 1, max = 86_400) long lifetime,
            @ForAll @LongRange(min = 1, max = 1_000_000_000) long late) {
        RequestTarget signed = UrlSigner.sign(POLICY, K1, RequestTarget.parse("/private/v.mp4", "w=1"), T + lifetime, T);
        assertThat(SignatureCheck.verify(POLICY, KEYRING, signed, T + lifetime).outcome()).isEqualTo(Outcome.OK);
        assertThat(SignatureCheck.verify(POLICY, KEYRING, signed, T + lifetime + late).outcome()).isEqualTo(Outcome.EXPIRED);
    }

    @Provide
    Arbitrary<String> signatures() {
        return Arbitraries.strings().withChars("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
                .ofLength(CanonicalString.SIGNATURE_CHARS);
    }

    @Property(tries = 1000)
    void forgedSignatureIsInvalid(@ForAll("signatures") String forged, @ForAll boolean previousKey) {
        String kid = previousKey ? K0.id() : K1.id();
        RequestTarget target = RequestTarget.parse("/private/v.mp4", "w=1&exp=" + (T + 30) + "&kid=" + kid + "&sig=" + forged);
        Outcome outcome = SignatureCheck.verify(POLICY, KEYRING, target, T).outcome();
        assertThat(outcome).isEqualTo(Outcome.INVALID);
    }
}
