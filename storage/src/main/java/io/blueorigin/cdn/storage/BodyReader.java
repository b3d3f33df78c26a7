package io.blueorigin.cdn.storage;

import java.nio.ByteBuffer;
import org.jspecify.annotations.Nullable;

/**
 * One consumer's position in a {@link Body}: the bytes it has not read yet, handed out as read-only
 * buffers. Not thread-safe: one delivery owns it (its calls may come from different threads, but never
 * concurrently).
 *
 * <p>Read loop: call {@link #next()} until it returns null; then if {@link #isFinished()} the body is
 * done, else if {@link #failure()} is set the body failed, else call {@link #demand(Runnable)} and wait.
 */
public interface BodyReader extends AutoCloseable {

    /**
     * The next bytes, or null when none can be had now. The buffer is read-only and the caller's to consume
     * (its position may be advanced); it stays valid after later calls.
     */
    @Nullable ByteBuffer next();

    /** Whether every byte has been returned and the body is complete. */
    boolean isFinished();

    /** Why the body will never complete (its writer aborted), or null. */
    @Nullable Throwable failure();

    /**
     * Calls {@code wakeup} once, soon after {@link #next()} may return bytes or the body finishes or fails;
     * at once if that is already the case. It may run on the writer's thread.
     */
    void demand(Runnable wakeup);

    /** Bytes returned so far (from the reader's start offset). */
    long position();

    /** Stops reading; a reader that is not closed keeps the writer from releasing memory in pass-through mode. */
    @Override
    void close();
}
