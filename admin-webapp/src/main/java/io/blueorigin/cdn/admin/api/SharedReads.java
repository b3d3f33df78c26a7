package io.blueorigin.cdn.admin.api;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.sql.SQLException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;

/**
 * One read of the log for all the long-polls one commit notification woke at the same position.
 *
 * <h2>Why</h2>
 * A purge wakes every node's long-poll at once, and nodes that keep up all wait at the same {@code after}. Each
 * poll used to read the log itself: a snapshot of three queries, five round trips to PostgreSQL. On the demo's
 * two busy cores that was most of a purge's way to the nodes ({@code cdn_admin_longpoll_wake_seconds}), and it
 * grows with the fleet. Here the first woken poll of a {@link Key} reads (one statement,
 * {@code InvalidationLog.tail}) and renders the answer into memory; the others with the same key wait for that
 * read and write the same bytes.
 *
 * <h2>Why sharing is correct</h2>
 * A poll may be answered from any read of the log that began after the notification that woke it (it then
 * holds that notification's entry). Every poll of a key read the same {@link LongPolls#generation()} before
 * asking, and the read began after the first of them read it, so after every notification that had woken any of
 * them. A read that saw nothing new answers nobody: each of them parks again, as it would have.
 *
 * <h2>Bounds</h2>
 * Only an answer of at most {@link #MAX_SHARED_BYTES} is shared; a larger one (a node catching up on a backlog)
 * is streamed by each poll as before, from a cursor, one entry in memory at a time. A read is kept only while it
 * runs: once done it leaves the map, and a poll that comes later reads for itself. So memory holds at most one
 * small answer per distinct key being read. A poll waits for another's read at most {@link #WAIT_MILLIS}, then
 * reads for itself; a failed read makes each waiter read for itself (and report its own failure).
 *
 * <p>Thread-safe: a concurrent map of futures; each future is completed once, by the poll that put it there.
 */
final class SharedReads {
    /** Largest answer shared; larger ones are streamed per poll. */
    static final int MAX_SHARED_BYTES = 64 * 1024;
    /** Longest a poll waits for another poll's read before reading for itself. */
    static final long WAIT_MILLIS = 5_000;
    /** What a read returns when there was nothing after {@code after}: every poll of the key parks again. */
    static final byte[] NOTHING_NEW = new byte[0];

    /** Polls that may share one read: same position, same byte budget, same notifications seen. */
    record Key(long after, long maxBytes, long generation) {}

    /** Reads the log and renders the whole answer; null when it is larger than {@link #MAX_SHARED_BYTES}. */
    @FunctionalInterface
    interface Read {
        byte @Nullable [] run() throws SQLException, IOException;
    }

    private final ConcurrentHashMap<Key, CompletableFuture<byte @Nullable []>> reading = new ConcurrentHashMap<>();

    /**
     * The answer for {@code key}: read by {@code read} if no poll of the same key is reading, else that poll's.
     *
     * @return the answer's bytes; {@link #NOTHING_NEW}; or null: not shared (too large, or the other read failed or
     *     took too long), read for yourself
     */
    byte @Nullable [] answer(Key key, Read read) throws SQLException, IOException {
        CompletableFuture<byte @Nullable []> mine = new CompletableFuture<>();
        CompletableFuture<byte @Nullable []> theirs = reading.putIfAbsent(key, mine);
        if (theirs != null) {
            return await(theirs);
        }
        byte @Nullable [] answer = null;
        try {
            answer = read.run();
            return answer;
        } finally {
            reading.remove(key, mine);
            mine.complete(answer); // null after a failure: the waiters read for themselves
        }
    }

    private static byte @Nullable [] await(CompletableFuture<byte @Nullable []> read) {
        try {
            return read.get(WAIT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } catch (ExecutionException | TimeoutException e) {
            return null;
        }
    }

    /** How many reads are under way (tests). */
    int reading() {
        return reading.size();
    }

    /** A buffer for one answer that refuses to grow past {@link #MAX_SHARED_BYTES}. Confined to the reading thread. */
    static final class Buffer extends OutputStream {
        /** The answer does not fit: it is streamed per poll instead. */
        static final class TooLarge extends IOException {
            TooLarge() {
                super("answer larger than " + MAX_SHARED_BYTES + " bytes", null);
            }
        }

        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        @Override
        public void write(int b) throws IOException {
            check(1);
            bytes.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            check(len);
            bytes.write(b, off, len);
        }

        private void check(int more) throws TooLarge {
            if (bytes.size() + more > MAX_SHARED_BYTES) {
                throw new TooLarge();
            }
        }

        byte[] toByteArray() {
            return bytes.toByteArray();
        }
    }
}
