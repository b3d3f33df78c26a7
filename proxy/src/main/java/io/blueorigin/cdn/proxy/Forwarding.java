package io.blueorigin.cdn.proxy;

import static java.util.Objects.requireNonNull;

import java.net.InetAddress;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import org.eclipse.jetty.util.InetAddressSet;
import org.jspecify.annotations.Nullable;

/**
 * The forwarding rules, applied to every request a node sends upstream (cache fills and pass-through
 * alike): which of the client's fields are dropped, and what the node says about the client.
 *
 * <ul>
 *   <li>{@link ForwardingConfig#strippedFields()} are removed: an origin that builds links or redirects from
 *       {@code X-Forwarded-Host} would otherwise store an answer chosen by one client under a key every client
 *       shares.</li>
 *   <li>{@code X-Forwarded-For} and {@code Forwarded} (RFC 7239) name the TCP peer. A peer in
 *       {@link ForwardingConfig#trustedProxies()} (a load balancer in front of the node; a shield's edges) may
 *       speak for its clients: its values are kept and the peer appended. Anyone else's are replaced, so a
 *       client cannot put words in the origin's mouth.</li>
 *   <li>The {@code Forwarded} element carries {@code for=} only: the client's {@code Host} and scheme are not
 *       part of the cache key, so they must not reach the origin either (one site per node until sites come;
 *       the upstream gets the upstream's own {@code Host}).</li>
 * </ul>
 * Immutable, thread-safe.
 */
final class Forwarding {
    private final Set<String> stripped;
    private final InetAddressSet trusted;
    private final boolean trustsAny;

    Forwarding(ForwardingConfig config) {
        requireNonNull(config, "config is null");
        Set<String> lower = new HashSet<>();
        config.strippedFields().forEach(name -> lower.add(name.toLowerCase(Locale.ROOT)));
        this.stripped = Set.copyOf(lower);
        this.trusted = config.trustedSet();
        this.trustsAny = !config.trustedProxies().isEmpty();
    }

    /** Whether a request field (lower-case name) is dropped before going upstream. */
    boolean strips(String lowerCaseName) {
        return stripped.contains(lowerCaseName);
    }

    /** Whether {@code peerAddress} (the TCP peer, as text) may speak for its clients. */
    boolean trusts(@Nullable String peerAddress) {
        if (!trustsAny || peerAddress == null || peerAddress.isEmpty()) {
            return false;
        }
        try {
            // a literal address: no lookup happens
            return trusted.test(InetAddress.getByName(peerAddress));
        } catch (java.net.UnknownHostException | SecurityException e) {
            return false;
        }
    }

    /** The {@code X-Forwarded-For} value to send: the peer, after what a trusted peer said. */
    String xForwardedFor(@Nullable String incoming, String peer, boolean peerTrusted) {
        return peerTrusted && incoming != null && !incoming.isBlank() ? incoming + ", " + peer : peer;
    }

    /** The {@code Forwarded} value to send: {@code for=<peer>}, after what a trusted peer said. */
    String forwarded(@Nullable String incoming, String peer, boolean peerTrusted) {
        String element = "for=" + node(peer);
        return peerTrusted && incoming != null && !incoming.isBlank() ? incoming + ", " + element : element;
    }

    /** RFC 7239 §6: an IPv6 address is quoted and bracketed. */
    private static String node(String address) {
        return address.indexOf(':') >= 0 ? "\"[" + address + "]\"" : address;
    }
}
