package io.blueorigin.cdn.admin.api;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/**
 * Strict IP address literals, never resolved: dotted-quad IPv4 without leading zeros (which some parsers
 * read as octal), and IPv6 text (hex digits, {@code :} and an optional dotted-quad tail; no zone id, no
 * brackets). Host names are refused, so a registration cannot make admin or a router query DNS. Pure.
 */
final class IpLiterals {
    /** Longest literal: {@code ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255}. */
    static final int MAX_LENGTH = 45;
    private static final String OCTET = "(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])";
    private static final Pattern IPV4 = Pattern.compile(OCTET + "(\\." + OCTET + "){3}");
    private static final Pattern IPV6_CHARACTERS = Pattern.compile("[0-9A-Fa-f:.]+");

    private IpLiterals() {}

    /** Whether {@code text} is an IPv4 or IPv6 literal. */
    static boolean isLiteral(String text) {
        if (text.isEmpty() || text.length() > MAX_LENGTH) {
            return false;
        }
        if (IPV4.matcher(text).matches()) {
            return true;
        }
        if (text.indexOf(':') < 0 || !IPV6_CHARACTERS.matcher(text).matches()) {
            return false;
        }
        int dot = text.indexOf('.');
        if (dot >= 0 && !IPV4.matcher(text.substring(text.lastIndexOf(':') + 1)).matches()) {
            return false;
        }
        try {
            // text with a ':' is parsed as an IPv6 literal, never looked up (InetAddress.getAllByName)
            return InetAddress.getByName(text).getAddress().length == 16 || dot >= 0;
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
