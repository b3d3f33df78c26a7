package io.blueorigin.cdn.admin.api;

import static java.util.Objects.requireNonNull;

import io.blueorigin.cdn.admin.db.Database;
import io.blueorigin.cdn.admin.db.Invalidation;
import io.blueorigin.cdn.admin.db.InvalidationLog;
import io.blueorigin.cdn.admin.db.LogBounds;
import io.blueorigin.cdn.admin.db.Sites;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;

/**
 * {@code GET /api/v1/invalidations?after=N&wait=S&maxBytes=B} (scope {@code node}): the entries after N, at
 * once if there are any (or {@code wait} is 0), else as soon as one is committed (by any admin replica), else
 * after S seconds with none. Each answer carries the log's {@code latest} and {@code oldestRetained}, and
 * {@code sitesVersion}: the log id of the newest site change (0: none), so a node whose table is behind after
 * applying the batch (its site entries were deleted by retention) knows to fetch {@code GET /api/v1/sites}.
 *
 * <p>Answers are bounded twice: at most {@link InvalidationLog#MAX_BATCH} entries and at most {@code maxBytes}
 * bytes (the node says how much it reads; {@link #MIN_ANSWER_BYTES} to {@link #MAX_ANSWER_BYTES}, default
 * {@link #DEFAULT_ANSWER_BYTES}). They are streamed ({@link BatchAnswer}) from a cursor, so admin holds one
 * entry at a time whatever the backlog; the polls one commit notification wakes at the same position share one
 * read when its answer is small ({@link SharedReads}, at most 64 KiB held per read under way). On the replica that
 * commits an entry, the answer for the polls right behind it is rendered in the committing transaction
 * ({@link #answerAfterAppend}) and the polls its commit wakes write it without reading at all
 * ({@link #committedHere}): a purge reaches the nodes without a database round trip after its commit.
 */
final class LongPollApi {
    /** Longest {@code wait}, in seconds. */
    static final long MAX_WAIT_SECONDS = 30;
    /**
     * Smallest {@code maxBytes}: room for the largest entry the API can create (a 1 MiB request, about
     * 1.1 MiB as an entry) twice over, so an answer always holds at least one entry.
     */
    static final long MIN_ANSWER_BYTES = 2L << 20;
    /** {@code maxBytes} when the node does not say (what this version's nodes ask for too). */
    static final long DEFAULT_ANSWER_BYTES = 4L << 20;
    /** Largest {@code maxBytes}. */
    static final long MAX_ANSWER_BYTES = 64L << 20;

    /** What an attempt to answer did. */
    enum Outcome {
        /** The answer was written (or another party answers the poll). */
        ANSWERED,
        /** Nothing after {@code after} yet and the poll may wait: nothing was written. */
        NOTHING_NEW
    }

    private final Database database;
    private final InvalidationLog log;
    private final Sites sites;
    private final LongPolls polls;
    private final ScheduledExecutorService scheduler;
    private final SharedReads shared = new SharedReads();
    /**
     * The answer after the entry before the newest one this replica committed, rendered in the committing
     * transaction (so without a read of its own); the polls its commit wakes at that position write it. One
     * slot, at most {@link SharedReads#MAX_SHARED_BYTES}; set only after the commit.
     */
    private volatile @Nullable Committed lastCommitted;
    /** Reads of the log made for long-polls (several polls a notification woke share one). */
    private final LongAdder reads = new LongAdder();
    /** Polls that parked without a read: their {@code after} was the newest id committed ({@link LongPolls#isLatest}). */
    private final LongAdder skipped = new LongAdder();

    LongPollApi(Database database, InvalidationLog log, Sites sites, LongPolls polls, ScheduledExecutorService scheduler) {
        this.database = requireNonNull(database, "database is null");
        this.log = requireNonNull(log, "log is null");
        this.sites = requireNonNull(sites, "sites is null");
        this.polls = requireNonNull(polls, "polls is null");
        this.scheduler = requireNonNull(scheduler, "scheduler is null");
    }

    void poll(ApiCall call) throws ApiException, SQLException, IOException {
        ApiCall.Query query = call.query("after", "wait", "maxBytes");
        long after = query.integer("after", 0, Long.MAX_VALUE, null);
        long wait = query.integer("wait", 0, MAX_WAIT_SECONDS, 0L);
        long maxBytes = query.integer("maxBytes", MIN_ANSWER_BYTES, MAX_ANSWER_BYTES, DEFAULT_ANSWER_BYTES);
        LongPoll.answerOrPark(call, after, Duration.ofSeconds(wait), polls,
                (mustAnswer, notified, response, claim) -> notified && !mustAnswer
                        ? answerShared(after, maxBytes, response, claim)
                        // a node that is up to date parks without a read: one read less per node per purge
                        : !mustAnswer && polls.isLatest(after) ? skippedRead()
                        : answer(after, maxBytes, mustAnswer, response, claim), scheduler);
    }

    /** Reads of the log made for long-polls since start. */
    long reads() {
        return reads.sum();
    }

    /** Polls that parked without reading the log since start ({@link LongPolls#isLatest}). */
    long skippedReads() {
        return skipped.sum();
    }

    private Outcome skippedRead() {
        skipped.increment();
        return Outcome.NOTHING_NEW;
    }

    /** An answer rendered in the transaction that committed its last entry. */
    private record Committed(long after, byte[] body) {}

    /**
     * In the transaction that just appended entry {@code id} (it holds the log's lock, so nothing else is
     * appended before it commits): the answer a poll after {@code id - 1} would read once it commits, or null
     * when it is too large to hold.
     */
    byte @Nullable [] answerAfterAppend(Connection connection, long id) throws SQLException {
        InvalidationLog.Tail tail = log.tail(connection, id - 1, InvalidationLog.MAX_BATCH, SharedReads.MAX_SHARED_BYTES);
        try {
            byte[] body = render(tail, id - 1, MIN_ANSWER_BYTES);
            return body == SharedReads.NOTHING_NEW ? null : body;
        } catch (IOException e) {
            throw new UncheckedIOException(e); // rendered into memory: not expected
        }
    }

    /**
     * Entry {@code id} committed on this replica ({@code answer}: {@link #answerAfterAppend}, or null): the
     * polls waiting here are woken now, and those after {@code id - 1} write that answer instead of reading.
     */
    void committedHere(long id, byte @Nullable [] answer) {
        if (answer != null) {
            lastCommitted = new Committed(id - 1, answer);
        }
        polls.committedHere(id);
    }

    /**
     * A poll a commit woke: answered from the answer its commit rendered (its own replica's, right behind it),
     * else from one read shared with the other polls it woke at the same position ({@link SharedReads}), or from
     * its own when the answer is too large to share.
     */
    private Outcome answerShared(long after, long maxBytes, HttpServletResponse response, BooleanSupplier claim)
            throws SQLException, IOException {
        Committed committed = lastCommitted;
        // a committed answer stays true: a later commit only means the node asks again sooner
        byte[] body = committed != null && committed.after() == after ? committed.body()
                : shared.answer(new SharedReads.Key(after, maxBytes, polls.generation()), () -> render(after, maxBytes));
        if (body == null) {
            return answer(after, maxBytes, false, response, claim);
        }
        if (body == SharedReads.NOTHING_NEW) {
            return Outcome.NOTHING_NEW;
        }
        if (claim.getAsBoolean()) {
            ApiResponses.json(response, 200, body);
        }
        return Outcome.ANSWERED;
    }

    /**
     * The answer after {@code after} as bytes, read in one statement ({@link InvalidationLog#tail}), with as many
     * entries as fit {@link SharedReads#MAX_SHARED_BYTES} (a node asks again for the rest: {@code latest} says
     * more follow); {@link SharedReads#NOTHING_NEW}; null when not even the first entry fits (it is streamed).
     */
    private byte @Nullable [] render(long after, long maxBytes) throws SQLException, IOException {
        reads.increment();
        return render(database.withConnection(c -> log.tail(c, after, InvalidationLog.MAX_BATCH, SharedReads.MAX_SHARED_BYTES)),
                after, maxBytes);
    }

    /** {@link #render(long, long)} of a tail already read. */
    private static byte @Nullable [] render(InvalidationLog.Tail tail, long after, long maxBytes) throws IOException {
        if (tail.entries().isEmpty()) {
            return tail.bounds().latest() > after ? null : SharedReads.NOTHING_NEW;
        }
        SharedReads.Buffer buffer = new SharedReads.Buffer();
        BatchAnswer answer = new BatchAnswer(() -> buffer, tail.bounds(), tail.sitesVersion(), maxBytes, () -> true);
        try {
            for (Invalidation entry : tail.entries()) {
                if (!answer.add(entry)) {
                    break;
                }
            }
            answer.finish();
        } catch (SharedReads.Buffer.TooLarge e) {
            return null; // the JSON is larger than the payloads: stream it
        }
        return buffer.toByteArray();
    }

    /**
     * Answers with the entries after {@code after} if there are any, or if {@code force}; else writes nothing.
     * One snapshot: the bounds and the entries agree.
     */
    private Outcome answer(long after, long maxBytes, boolean force, HttpServletResponse response, BooleanSupplier claim)
            throws SQLException, IOException {
        reads.increment();
        try {
            return database.inSnapshot(connection -> {
                LogBounds bounds = log.bounds(connection);
                long sitesVersion = sites.version(connection);
                BatchAnswer answer = new BatchAnswer(response, bounds, sitesVersion, maxBytes, claim);
                try {
                    log.forEachAfter(connection, after, InvalidationLog.MAX_BATCH, answer::add);
                    if (!answer.started() && !answer.declined() && !force) {
                        return Outcome.NOTHING_NEW;
                    }
                    answer.finish();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                return Outcome.ANSWERED;
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }
}
