package io.blueorigin.cdn.origin;

import java.nio.ByteBuffer;
import java.util.Locale;
import java.util.OptionalLong;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.IteratingCallback;

/**
 * The deterministic body of {@code /static/{size}}: byte {@code i} is {@code PATTERN[i % PERIOD]}, so any
 * range can be produced (and checked by a test) without holding the object in memory. The period is a
 * prime, not a power of two, so an off-by-a-chunk error in a cache shows up as wrong bytes.
 */
public final class StaticBody {
    /** Length of the repeating pattern: the largest prime below 64 KiB. */
    public static final int PERIOD = 65_521;
    /** Largest {@code /static} object served: 64 GiB. */
    public static final long MAX_SIZE = 64L << 30;

    private static final ByteBuffer PATTERN;

    static {
        byte[] pattern = new byte[PERIOD];
        for (int i = 0; i < PERIOD; i++) {
            pattern[i] = byteAt(i);
        }
        PATTERN = ByteBuffer.wrap(pattern).asReadOnlyBuffer();
    }

    private StaticBody() {}

    /** The byte at offset {@code i} of every static object. */
    public static byte byteAt(long i) {
        int j = (int) (i % PERIOD);
        return (byte) ((j * 31) ^ (j >>> 7) ^ 0x5A);
    }

    /**
     * Parses a size such as {@code 1024}, {@code 1k}, {@code 256k}, {@code 1m}, {@code 1g} (powers of 1024,
     * case-insensitive); empty for anything else or above {@link #MAX_SIZE}.
     */
    public static OptionalLong parseSize(String text) {
        String s = text.toLowerCase(Locale.ROOT);
        long unit = 1;
        if (s.endsWith("k") || s.endsWith("m") || s.endsWith("g")) {
            unit = switch (s.charAt(s.length() - 1)) {
                case 'k' -> 1L << 10;
                case 'm' -> 1L << 20;
                default -> 1L << 30;
            };
            s = s.substring(0, s.length() - 1);
        }
        if (s.isEmpty() || s.length() > 12 || !s.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return OptionalLong.empty();
        }
        long n = Long.parseLong(s);
        if (n > MAX_SIZE / unit) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(n * unit);
    }

    /**
     * Writes bytes {@code [from, from + length)} of the static body to {@code response}, one pattern slice
     * at a time, each write waiting for the previous one (constant memory, backpressure from the client),
     * then completes {@code callback}.
     */
    static void write(Response response, long from, long length, Callback callback) {
        new IteratingCallback() {
            private long position = from;
            private final long end = from + length;

            @Override
            protected Action process() {
                if (position >= end) {
                    return Action.SUCCEEDED;
                }
                int offset = (int) (position % PERIOD);
                int n = (int) Math.min(PERIOD - offset, end - position);
                ByteBuffer slice = PATTERN.slice(offset, n);
                position += n;
                response.write(position >= end, slice, this);
                return Action.SCHEDULED;
            }

            @Override
            protected void onCompleteSuccess() {
                callback.succeeded();
            }

            @Override
            protected void onCompleteFailure(Throwable cause) {
                callback.failed(cause);
            }
        }.iterate();
    }
}
