package io.blueorigin.cdn.runtime;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Strict parsing of IP address literals: dotted-quad IPv4 (RFC 791 text form, no leading zeros, which some
 * parsers read as octal) and IPv6 (RFC 4291 §2.2: eight groups of 1–4 hex digits, one {@code ::}, an
 * optional dotted-quad tail). Anything else is empty: host names are never resolved (a client-supplied
 * string must not make a node query DNS), zone ids ({@code %eth0}), brackets, ports and non-ASCII
 * digits are refused. Never throws. The one parser of client- and operator-written addresses: the router's
 * client addresses and trusted proxies, admin's registered node addresses.
 */
public final class IpLiterals {
    /** The longest literal: {@code ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255}; longer text is refused unread. */
    public static final int MAX_LENGTH = 45;

    private IpLiterals() {
    }

    /** The address {@code text} spells, or empty when it is not a literal of either family. */
    public static Optional<InetAddress> parse(String text) {
        if (text.isEmpty() || text.length() > MAX_LENGTH) {
            return Optional.empty();
        }
        byte[] bytes = text.indexOf(':') >= 0 ? ipv6(text) : ipv4(text);
        if (bytes == null) {
            return Optional.empty();
        }
        try {
            // a byte array never resolves; IPv4-mapped IPv6 (::ffff:a.b.c.d) comes back as an Inet4Address
            return Optional.of(InetAddress.getByAddress(bytes));
        } catch (UnknownHostException e) {
            return Optional.empty(); // only for a wrong array length, which cannot happen here
        }
    }

    private static byte @Nullable [] ipv4(String text) {
        byte[] out = new byte[4];
        int part = 0;
        int value = 0;
        int digits = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '.') {
                if (digits == 0 || part == 3) {
                    return null;
                }
                out[part++] = (byte) value;
                value = 0;
                digits = 0;
            } else if (c >= '0' && c <= '9') {
                if (digits > 0 && value == 0) {
                    return null; // leading zero
                }
                value = value * 10 + (c - '0');
                digits++;
                if (value > 255) {
                    return null;
                }
            } else {
                return null;
            }
        }
        if (digits == 0 || part != 3) {
            return null;
        }
        out[3] = (byte) value;
        return out;
    }

    private static byte @Nullable [] ipv6(String text) {
        int gap = text.indexOf("::");
        if (gap >= 0 && text.indexOf("::", gap + 1) >= 0) {
            return null; // at most one "::" (this also refuses ":::")
        }
        List<Integer> head = groups(gap < 0 ? text : text.substring(0, gap), gap < 0);
        List<Integer> tail = gap < 0 ? List.of() : groups(text.substring(gap + 2), true);
        if (head == null || tail == null) {
            return null;
        }
        int count = head.size() + tail.size();
        if (gap < 0 ? count != 8 : count > 7) {
            return null; // "::" stands for at least one zero group
        }
        byte[] out = new byte[16];
        for (int i = 0; i < head.size(); i++) {
            put(out, i, head.get(i));
        }
        for (int i = 0; i < tail.size(); i++) {
            put(out, 8 - tail.size() + i, tail.get(i));
        }
        return out;
    }

    /** The 16-bit groups of a colon-separated part (empty part: none); a dotted quad may end it when allowed. */
    private static @Nullable List<Integer> groups(String part, boolean dottedTailAllowed) {
        List<Integer> out = new ArrayList<>(8);
        if (part.isEmpty()) {
            return out;
        }
        String[] tokens = part.split(":", -1);
        for (int t = 0; t < tokens.length; t++) {
            String token = tokens[t];
            if (token.indexOf('.') >= 0) {
                byte[] v4 = t == tokens.length - 1 && dottedTailAllowed ? ipv4(token) : null;
                if (v4 == null) {
                    return null;
                }
                out.add(((v4[0] & 0xff) << 8) | (v4[1] & 0xff));
                out.add(((v4[2] & 0xff) << 8) | (v4[3] & 0xff));
            } else {
                int group = hexGroup(token);
                if (group < 0) {
                    return null;
                }
                out.add(group);
            }
        }
        return out;
    }

    /** 1–4 ASCII hex digits as a value, or -1 ({@code Character.digit} would accept non-ASCII digits). */
    private static int hexGroup(String token) {
        if (token.isEmpty() || token.length() > 4) {
            return -1;
        }
        int value = 0;
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            int d = c >= '0' && c <= '9' ? c - '0'
                    : c >= 'a' && c <= 'f' ? c - 'a' + 10
                    : c >= 'A' && c <= 'F' ? c - 'A' + 10
                    : -1;
            if (d < 0) {
                return -1;
            }
            value = value << 4 | d;
        }
        return value;
    }

    /** Whether {@code text} is an IPv4 or IPv6 literal. */
    public static boolean isLiteral(String text) {
        return parse(text).isPresent();
    }

    private static void put(byte[] out, int group, int value) {
        out[2 * group] = (byte) (value >>> 8);
        out[2 * group + 1] = (byte) value;
    }
}
