package io.blueorigin.cdn.proxy;

import static java.util.Objects.requireNonNull;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
 *   <li>{@link #clientAddress} names the client per-client limits count against (the rate limits), by the same
 *       trust: behind a trusted proxy, the address that proxy saw.</li>
 * </ul>
 * Immutable, thread-safe.
 */
final class Forwarding {
    /** An IPv4 address, optionally with a port. */
    private static final Pattern IPV4 =
            Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})(?::\\d{1,5})?");
    /** An IPv6 address, bracketed (then optionally with a port) or bare; hex digits, ':' and '.' only. */
    private static final Pattern IPV6 =
            Pattern.compile("\\[([0-9A-Fa-f:.]{2,45})](?::\\d{1,5})?|([0-9A-Fa-f:.]{2,45})");

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
        } catch (UnknownHostException | SecurityException e) {
            return false;
        }
    }

    /**
     * The address a request comes from, as per-client limits see it: the TCP peer, unless the peer is a trusted
     * proxy; then the right-most {@code X-Forwarded-For} entry that is not a trusted proxy. Each trusted hop
     * appended the peer it saw, so entries right of that one are what trusted proxies wrote, and those left of it
     * may be made up by the client (so they are never believed). When every entry is trusted, the left-most one.
     * An entry that is no IP address (a name, {@code unknown}, garbage) ends the walk: the client is then the
     * nearest trusted hop that wrote it, never a value the client chose.
     *
     * <p>Addresses come back in Java's canonical text ({@link InetAddress#getHostAddress()}), so one client is one
     * key however a proxy wrote it ({@code ::1} and {@code 0:0:0:0:0:0:0:1}; {@code ::ffff:10.0.0.1} and
     * {@code 10.0.0.1}); entries may carry a port ({@code 10.0.0.1:4711}, {@code [::1]:4711}), which is dropped.
     * No name is ever looked up.
     *
     * @param peer the TCP peer's address (Jetty's remote address)
     * @param xForwardedFor every {@code X-Forwarded-For} field of the request joined with commas, or null
     */
    String clientAddress(String peer, @Nullable String xForwardedFor) {
        requireNonNull(peer, "peer is null");
        if (xForwardedFor == null || xForwardedFor.isBlank() || !trusts(peer)) {
            return peer;
        }
        String client = peer;
        int end = xForwardedFor.length();
        while (end >= 0) {
            int comma = xForwardedFor.lastIndexOf(',', end - 1);
            String entry = xForwardedFor.substring(comma + 1, end).strip();
            end = comma;
            if (entry.isEmpty()) {
                continue;
            }
            InetAddress address = literal(entry);
            if (address == null) {
                return client; // the hop right of it wrote it: that hop is the client we can vouch for
            }
            client = address.getHostAddress();
            if (!trusted.test(address)) {
                return client;
            }
            if (comma < 0) {
                break;
            }
        }
        return client;
    }

    /**
     * The IP address {@code entry} spells, or null when it spells none. Only text that {@link InetAddress#getByName}
     * parses as a literal reaches it (four decimal octets up to 255, or an IPv6 form with ':'), so no name is
     * resolved: a client-written entry must not make the node do DNS.
     */
    private static @Nullable InetAddress literal(String entry) {
        String text;
        Matcher v4 = IPV4.matcher(entry);
        Matcher v6 = IPV6.matcher(entry);
        if (v4.matches()) {
            for (int i = 1; i <= 4; i++) {
                if (Integer.parseInt(v4.group(i)) > 255) {
                    return null;
                }
            }
            text = v4.group(1) + "." + v4.group(2) + "." + v4.group(3) + "." + v4.group(4);
        } else if (v6.matches()) {
            text = v6.group(1) != null ? v6.group(1) : v6.group(2);
            if (text.indexOf(':') < 0) {
                return null;
            }
        } else {
            return null;
        }
        try {
            return InetAddress.getByName(text);
        } catch (UnknownHostException | IllegalArgumentException | SecurityException e) {
            return null;
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
