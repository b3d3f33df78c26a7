package io.blueorigin.cdn.router;

import static java.util.Objects.requireNonNull;

import io.blueorigin.cdn.runtime.IpLiterals;
import java.net.InetAddress;
import java.util.Arrays;

/**
 * An address range in CIDR notation ({@code 10.0.0.0/8}, {@code 2001:db8::/32}, or a single address without a
 * prefix length), e.g. one entry of {@code routing.trusted-proxies}.
 *
 * <p>Parsed strictly: the address is an IP literal ({@link IpLiterals}: no host names), the prefix length is
 * 0..32 for IPv4 and 0..128 for IPv6 in plain decimal, and no bit below the prefix may be set (a typo such as
 * {@code 10.1.0.0/8} is refused rather than silently widened). IPv4-mapped IPv6 text is an IPv4 range.
 *
 * <p>Invariant: {@code prefix} holds 4 or 16 bytes with every bit past {@code bits} zero.
 */
public final class Cidr {
    private final byte[] prefix;
    private final int bits;

    private Cidr(byte[] prefix, int bits) {
        this.prefix = prefix;
        this.bits = bits;
    }

    /**
     * Parses {@code text}.
     *
     * @throws IllegalArgumentException naming the text and what is expected
     */
    public static Cidr parse(String text) {
        requireNonNull(text, "text is null");
        int slash = text.indexOf('/');
        String literal = slash < 0 ? text : text.substring(0, slash);
        InetAddress address = IpLiterals.parse(literal).orElseThrow(() -> invalid(text, "an IP address literal"));
        byte[] bytes = address.getAddress();
        int max = bytes.length * 8;
        int bits = max;
        if (slash >= 0) {
            String length = text.substring(slash + 1);
            if (length.isEmpty() || length.length() > 3 || !length.chars().allMatch(c -> c >= '0' && c <= '9')
                    || (length.length() > 1 && length.charAt(0) == '0')) {
                throw invalid(text, "a prefix length 0.." + max + " after '/'");
            }
            bits = Integer.parseInt(length);
            if (bits > max) {
                throw invalid(text, "a prefix length 0.." + max + " after '/'");
            }
        }
        if (!Arrays.equals(bytes, mask(bytes, bits))) {
            throw invalid(text, "no address bits set past the prefix length (did you mean "
                    + describe(mask(bytes, bits), bits) + "?)");
        }
        return new Cidr(bytes, bits);
    }

    /** Whether {@code address} lies in this range (an IPv4 address is never in an IPv6 range, nor the reverse). */
    public boolean contains(InetAddress address) {
        byte[] bytes = address.getAddress();
        return bytes.length == prefix.length && Arrays.equals(mask(bytes, bits), prefix);
    }

    private static byte[] mask(byte[] bytes, int bits) {
        byte[] out = bytes.clone();
        for (int i = 0; i < out.length; i++) {
            int keep = Math.max(0, Math.min(8, bits - i * 8));
            out[i] = (byte) (out[i] & (0xff00 >>> keep));
        }
        return out;
    }

    private static String describe(byte[] bytes, int bits) {
        try {
            return InetAddress.getByAddress(bytes).getHostAddress() + "/" + bits;
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e); // 4 or 16 bytes: cannot happen
        }
    }

    private static IllegalArgumentException invalid(String text, String expected) {
        return new IllegalArgumentException("'" + text + "' is not a CIDR range (expected: " + expected + ")");
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Cidr c && c.bits == bits && Arrays.equals(c.prefix, prefix);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(prefix) * 31 + bits;
    }

    /** The canonical text, e.g. {@code 127.0.0.0/8}. */
    @Override
    public String toString() {
        return describe(prefix, bits);
    }
}
