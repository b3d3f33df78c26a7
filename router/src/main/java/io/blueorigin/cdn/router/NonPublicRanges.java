package io.blueorigin.cdn.router;

import io.blueorigin.cdn.runtime.IpLiterals;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.List;

/**
 * Address ranges that say nothing about where a client is: a router behind a NAT or a load balancer sees
 * these, and a GeoIP lookup of them is meaningless. One table rather than {@code InetAddress.isSiteLocal}
 * and friends, which miss unique-local IPv6 (fc00::/7) and shared address space (100.64/10).
 * Deprecated IPv4-compatible IPv6 addresses ({@code ::a.b.c.d}, RFC 4291 §2.5.5.1) are judged by their
 * IPv4 part; IPv4-mapped ones already arrive as IPv4 addresses.
 */
final class NonPublicRanges {
    private record Cidr(byte[] prefix, int bits) {
        static Cidr of(String literal, int bits) {
            return new Cidr(IpLiterals.parse(literal).orElseThrow().getAddress(), bits);
        }

        boolean contains(byte[] address) {
            if (address.length != prefix.length) {
                return false;
            }
            int full = bits / 8;
            int rest = bits % 8;
            if (!Arrays.equals(address, 0, full, prefix, 0, full)) {
                return false;
            }
            int mask = (0xff00 >>> rest) & 0xff;
            return rest == 0 || (address[full] & mask) == (prefix[full] & mask);
        }
    }

    private static final List<Cidr> RANGES = List.of(
            Cidr.of("0.0.0.0", 8),        // "this network" (RFC 791)
            Cidr.of("10.0.0.0", 8),       // private (RFC 1918)
            Cidr.of("100.64.0.0", 10),    // shared address space, carrier-grade NAT (RFC 6598)
            Cidr.of("127.0.0.0", 8),      // loopback
            Cidr.of("169.254.0.0", 16),   // link-local (RFC 3927)
            Cidr.of("172.16.0.0", 12),    // private (RFC 1918)
            Cidr.of("192.168.0.0", 16),   // private (RFC 1918)
            Cidr.of("224.0.0.0", 4),      // multicast
            Cidr.of("240.0.0.0", 4),      // reserved and broadcast
            Cidr.of("::", 128),           // unspecified
            Cidr.of("::1", 128),          // loopback
            Cidr.of("fc00::", 7),         // unique-local (RFC 4193)
            Cidr.of("fe80::", 10),        // link-local
            Cidr.of("fec0::", 10),        // site-local, deprecated (RFC 3879)
            Cidr.of("ff00::", 8));        // multicast

    private NonPublicRanges() {
    }

    static boolean contains(InetAddress address) {
        byte[] bytes = address.getAddress();
        if (address instanceof Inet6Address && bytes.length == 16 && ipv4Compatible(bytes)) {
            bytes = Arrays.copyOfRange(bytes, 12, 16);
        }
        for (Cidr range : RANGES) {
            if (range.contains(bytes)) {
                return true;
            }
        }
        return false;
    }

    /** {@code ::a.b.c.d} other than {@code ::} and {@code ::1}. */
    private static boolean ipv4Compatible(byte[] bytes) {
        for (int i = 0; i < 12; i++) {
            if (bytes[i] != 0) {
                return false;
            }
        }
        return bytes[12] != 0 || bytes[13] != 0 || bytes[14] != 0 || (bytes[15] & 0xff) > 1;
    }
}
