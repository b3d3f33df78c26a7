package io.blueorigin.cdn.router;

import io.blueorigin.cdn.runtime.IpLiterals;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Who the client of a request is, and the key that keeps it on its edge.
 *
 * <p>The client is the socket peer, unless the peer is a trusted proxy ({@code routing.trusted-proxies}):
 * then the forwarding header names it. {@code X-Forwarded-For} is read when present, else the {@code for=}
 * parameters of {@code Forwarded} (RFC 7239); the hops are walked from the right (the one our trusted peer
 * added) and the first hop that is not itself a trusted proxy is the client. A hop that is not an IP literal
 * ({@code unknown}, an obfuscated name, garbage) ends the walk: nothing left of it can be trusted, so the
 * last trusted address is used (it is a proxy's, usually non-public, so the client is unlocated and goes to
 * the default POP). Headers from an untrusted peer are ignored entirely: anyone can write them.
 *
 * <p>Pure and never throwing; bounded by the request head size the server accepts.
 */
public final class ClientAddress {
    private ClientAddress() {
    }

    /**
     * @param peer the socket peer
     * @param forwardedFor the {@code X-Forwarded-For} field values, in order (may be empty)
     * @param forwarded the {@code Forwarded} field values, in order (may be empty)
     * @param trusted the trusted proxies
     */
    public static InetAddress resolve(InetAddress peer, List<String> forwardedFor, List<String> forwarded,
            List<Cidr> trusted) {
        if (!isTrusted(peer, trusted)) {
            return peer;
        }
        List<String> hops = !forwardedFor.isEmpty() ? split(forwardedFor) : forwardedForParameters(forwarded);
        InetAddress client = peer;
        for (int i = hops.size() - 1; i >= 0; i--) {
            Optional<InetAddress> hop = IpLiterals.parse(hops.get(i));
            if (hop.isEmpty()) {
                return client;
            }
            client = hop.get();
            if (!isTrusted(client, trusted)) {
                return client;
            }
        }
        return client;
    }

    /**
     * The rendezvous key of a client: an IPv4 address as text, an IPv6 address's /64 (one host usually holds a
     * whole /64; the same rule as the rate limiter), so a client keeps its edge across its privacy addresses.
     */
    public static String key(InetAddress address) {
        if (!(address instanceof Inet6Address)) {
            return address.getHostAddress();
        }
        byte[] b = address.getAddress();
        StringBuilder prefix = new StringBuilder(24);
        for (int i = 0; i < 8; i += 2) {
            prefix.append(Integer.toHexString(((b[i] & 0xff) << 8) | (b[i + 1] & 0xff))).append(':');
        }
        return prefix.append(":/64").toString();
    }

    private static boolean isTrusted(InetAddress address, List<Cidr> trusted) {
        for (Cidr range : trusted) {
            if (range.contains(address)) {
                return true;
            }
        }
        return false;
    }

    private static List<String> split(List<String> values) {
        List<String> out = new ArrayList<>();
        for (String value : values) {
            for (String hop : value.split(",", -1)) {
                out.add(hop.trim());
            }
        }
        return out;
    }

    /** The {@code for=} node of each element, unquoted, without brackets or port; "" for an element without one. */
    private static List<String> forwardedForParameters(List<String> values) {
        List<String> out = new ArrayList<>();
        for (String element : split(values)) {
            String node = "";
            for (String pair : element.split(";", -1)) {
                String p = pair.trim();
                if (p.length() > 4 && p.substring(0, 4).toLowerCase(Locale.ROOT).equals("for=")) {
                    node = nodeAddress(p.substring(4));
                }
            }
            out.add(node);
        }
        return out;
    }

    private static String nodeAddress(String value) {
        String v = value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")
                ? value.substring(1, value.length() - 1) : value;
        if (v.startsWith("[")) {
            int close = v.indexOf(']');
            return close < 0 ? "" : v.substring(1, close);
        }
        int colon = v.indexOf(':');
        return colon >= 0 && v.indexOf(':', colon + 1) < 0 ? v.substring(0, colon) : v; // IPv4 with a port
    }
}
