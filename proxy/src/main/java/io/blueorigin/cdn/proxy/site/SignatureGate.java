package io.blueorigin.cdn.proxy.site;

import static java.util.Objects.requireNonNull;

import io.blueorigin.cdn.httpcache.RequestTarget;
import io.blueorigin.cdn.httpcache.signing.SignatureCheck;
import io.blueorigin.cdn.proxy.control.SiteKeyrings;

/**
 * The signed-URL check of the client exchange (docs/signed-urls.md): whether a request may be served under
 * its site's {@code delivery.signing} with the keys admin sent ({@link SiteKeyrings}), and the target without
 * the signature parameters, which is what the site keys and fetches (never the expiry, key id or signature).
 *
 * <p>Use, at the door, after the site is chosen and the target made canonical, before the query policy:
 * <pre>{@code
 * SignatureCheck.Verdict v = gate.check(site, canonical, clock.millis() / 1000);
 * if (!v.allowed()) -> 403, Blue-Origin-Error: v.outcome().errorValue(), body v.message()
 * RequestTarget shaped = site.shape(gate.withoutSignature(site, canonical));
 * }</pre>
 * Stateless but for the keyrings it reads; one per node, shared by every request.
 */
public final class SignatureGate {
    private final SiteKeyrings keyrings;

    public SignatureGate(SiteKeyrings keyrings) {
        this.keyrings = requireNonNull(keyrings, "keyrings is null");
    }

    /**
     * The verdict on a request for {@code target} (canonical, as the client sent it) of {@code site} at
     * {@code nowSeconds} (Unix seconds). A site without signing rules (or the node's default site) is always
     * {@link SignatureCheck.Outcome#NOT_REQUIRED}.
     */
    public SignatureCheck.Verdict check(ServedSite site, RequestTarget target, long nowSeconds) {
        return SignatureCheck.verify(site.signing(), keyrings.keyring(site.name()), target, nowSeconds);
    }

    /** {@code target} without the signature parameters where the site's policy applies (else the same target). */
    public RequestTarget withoutSignature(ServedSite site, RequestTarget target) {
        return SignatureCheck.withoutSignature(site.signing(), target);
    }
}
