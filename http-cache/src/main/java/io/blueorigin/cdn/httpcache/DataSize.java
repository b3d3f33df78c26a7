package io.blueorigin.cdn.httpcache;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A number of bytes, as written in configuration: {@code 512MB}, {@code 1GiB}, {@code 256k}, {@code 4096}.
 * Units are powers of 1024 whether written {@code KB}, {@code KiB} or {@code k} (as Varnish and nginx read
 * them), so {@code 1MB} is 1,048,576 bytes.
 *
 * @param bytes the size in bytes, never negative
 */
public record DataSize(long bytes) implements Comparable<DataSize> {
    private static final Pattern SYNTAX = Pattern.compile("\\s*(\\d{1,19})\\s*([kmgt]i?b?|b)?\\s*", Pattern.CASE_INSENSITIVE);

    public DataSize {
        if (bytes < 0) {
            throw new IllegalArgumentException("bytes : " + bytes + " (expected: >= 0)");
        }
    }

    public static DataSize ofBytes(long bytes) {
        return new DataSize(bytes);
    }

    public static DataSize ofKilobytes(long kib) {
        return new DataSize(Math.multiplyExact(kib, 1024L));
    }

    public static DataSize ofMegabytes(long mib) {
        return new DataSize(Math.multiplyExact(mib, 1L << 20));
    }

    public static DataSize ofGigabytes(long gib) {
        return new DataSize(Math.multiplyExact(gib, 1L << 30));
    }

    /** Parses {@code text}; empty when it is not a size or does not fit in a {@code long}. */
    public static Optional<DataSize> parse(String text) {
        Matcher m = SYNTAX.matcher(text);
        if (!m.matches()) {
            return Optional.empty();
        }
        long multiplier = 1;
        String unit = m.group(2) == null ? "" : m.group(2).toLowerCase(Locale.ROOT);
        if (!unit.isEmpty() && !unit.equals("b")) {
            multiplier = switch (unit.charAt(0)) {
                case 'k' -> 1L << 10;
                case 'm' -> 1L << 20;
                case 'g' -> 1L << 30;
                default -> 1L << 40;
            };
        }
        try {
            return Optional.of(new DataSize(Math.multiplyExact(Long.parseLong(m.group(1)), multiplier)));
        } catch (ArithmeticException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    @Override
    public int compareTo(DataSize other) {
        return Long.compare(bytes, other.bytes);
    }

    /** The largest exact unit: {@code 512MB}, {@code 1GB}, {@code 1536KB}, {@code 1000B}. */
    @Override
    public String toString() {
        if (bytes != 0) {
            String[] units = {"TB", "GB", "MB", "KB"};
            int[] shifts = {40, 30, 20, 10};
            for (int i = 0; i < units.length; i++) {
                long unit = 1L << shifts[i];
                if (bytes % unit == 0) {
                    return (bytes / unit) + units[i];
                }
            }
        }
        return bytes + "B";
    }
}
