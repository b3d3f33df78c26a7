package io.blueorigin.cdn.storage;

import java.nio.ByteBuffer;
import java.util.function.BiConsumer;
import org.jspecify.annotations.Nullable;

/**
 * Where a {@link GrowingBody} spills its chunks (the disk tier): full chunks are persisted as they fill,
 * so the body's memory stays bounded, and readers that fall behind read them back.
 */
public interface ChunkSink {

    /**
     * Persists chunk {@code index} ({@code length} bytes of {@code chunk}); called on the writer's thread,
     * in index order, once per chunk.
     *
     * @throws java.io.UncheckedIOException when the chunk cannot be written (the body then stops spilling)
     */
    void persist(int index, byte[] chunk, int length);

    /**
     * Reads a persisted chunk; {@code done} is called once, on any thread, with the bytes or the failure.
     */
    void read(int index, BiConsumer<@Nullable ByteBuffer, @Nullable Throwable> done);
}
