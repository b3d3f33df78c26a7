package io.blueorigin.cdn.proxy.encoding;

import com.aayushatharva.brotli4j.Brotli4jLoader;
import com.aayushatharva.brotli4j.encoder.BrotliOutputStream;
import com.aayushatharva.brotli4j.encoder.Encoder;
import io.blueorigin.cdn.httpcache.encoding.Coding;
import java.io.IOException;
import java.io.OutputStream;
import java.util.zip.GZIPOutputStream;

/**
 * Streams that compress what is written to them into a sink: gzip with the JDK's {@link java.util.zip.Deflater},
 * Brotli with brotli4j's native encoder. Memory per stream is the codec's window and one buffer, whatever the
 * body's size (Brotli at quality 10-11 holds about 16 MiB more than at lower qualities).
 */
public final class BodyEncoders {
    /** Bytes buffered between the codec and the sink. */
    static final int BUFFER = 16 * 1024;

    private BodyEncoders() {}

    /**
     * A stream compressing into {@code sink} with {@code coding} at {@code level} (gzip 1-9, Brotli 0-11);
     * closing it finishes the encoding and closes {@code sink}.
     *
     * @throws IllegalStateException when Brotli's native library cannot be loaded on this platform
     */
    public static OutputStream open(Coding coding, int level, OutputStream sink) throws IOException {
        return switch (coding) {
            case GZIP -> new LeveledGzip(sink, level);
            case BR -> {
                ensureBrotli();
                yield new BrotliOutputStream(sink, new Encoder.Parameters().setQuality(level), BUFFER);
            }
            case IDENTITY -> throw new IllegalArgumentException("identity is not an encoding to apply");
        };
    }

    /** Loads Brotli's native library (once); fails with the cause when this platform has none. */
    public static void ensureBrotli() {
        if (!Brotli4jLoader.isAvailable()) {
            throw new IllegalStateException("Brotli is not available on this platform: "
                    + Brotli4jLoader.getUnavailabilityCause(), Brotli4jLoader.getUnavailabilityCause());
        }
    }

    /** gzip at a chosen level ({@link GZIPOutputStream} exposes its deflater only to subclasses). */
    private static final class LeveledGzip extends GZIPOutputStream {
        LeveledGzip(OutputStream out, int level) throws IOException {
            super(out, BUFFER);
            def.setLevel(level);
        }
    }
}
