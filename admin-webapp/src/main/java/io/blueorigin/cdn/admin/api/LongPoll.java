package io.blueorigin.cdn.admin.api;

import static java.util.Objects.requireNonNull;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One waiting {@code GET /api/v1/invalidations?after=N&wait=S}, in async servlet mode: no thread is held
 * while it waits. Each {@link #run()} (on the container's pool) reads the log; with entries, or once
 * expired, or when the admin is stopping, it answers (streaming, see {@link BatchAnswer}); otherwise it
 * parks in {@link LongPolls} again.
 *
 * <p>Contract: whoever wins {@code finished} ({@link #claim()}) writes the response and completes the async
 * context, exactly once: {@link #run()} with the answer (it claims just before the first byte, so a poll that
 * finds nothing claims nothing), the safety-net timeout of the container ({@link #SAFETY_MARGIN} past the
 * deadline, only if the deadline task never ran), or the container's error callback (client gone).
 */
final class LongPoll implements LongPolls.Waiter, Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(LongPoll.class);
    /** The container's own timeout is the wait plus this, in case the deadline task never runs. */
    static final Duration SAFETY_MARGIN = Duration.ofSeconds(30);

    /** Answers the poll from the log if there is something to say, or if it must (one snapshot). */
    @FunctionalInterface
    interface Reader {
        /**
         * @param mustAnswer answer even with no entries (expired, or the admin is stopping)
         * @param notified a commit notification woke the poll (others it woke at the same position may share
         *     one read, see {@link SharedReads})
         * @param claim called once before the first byte is written; false: someone else answers, write nothing
         */
        LongPollApi.Outcome answer(boolean mustAnswer, boolean notified, HttpServletResponse response,
                BooleanSupplier claim) throws SQLException, IOException;
    }

    private final AsyncContext context;
    private final long after;
    private final LongPolls polls;
    private final Reader reader;
    private final AtomicBoolean finished = new AtomicBoolean();
    private volatile boolean expired;
    /** When the commit notification that last resumed it arrived ({@link System#nanoTime()}), 0 if none did. */
    private volatile long notifiedAtNanos;
    /** Written once by {@link #start} before the poll is parked; read by {@link #finish}. */
    private volatile @Nullable ScheduledFuture<?> deadline;

    private LongPoll(AsyncContext context, long after, LongPolls polls, Reader reader) {
        this.context = context;
        this.after = after;
        this.polls = polls;
        this.reader = reader;
    }

    /**
     * A long-poll from its start: answers at once if {@code reader} has something after {@code after}, or if the
     * poll may not wait ({@code wait} 0, or the registry closed); else parks it ({@link #start}). The registry's
     * generation is read before the first read, so nothing committed in between is missed.
     */
    static void answerOrPark(ApiCall call, long after, Duration wait, LongPolls polls, Reader reader,
            ScheduledExecutorService scheduler) throws SQLException, IOException {
        long seen = polls.generation();
        boolean force = wait.isZero() || polls.isClosed();
        if (reader.answer(force, false, call.response(), () -> true) == LongPollApi.Outcome.ANSWERED) {
            return;
        }
        start(call.request(), after, wait, seen, polls, reader, scheduler);
    }

    /**
     * Switches {@code request} to async mode and parks it until entries after {@code after} are committed
     * or {@code wait} passes.
     *
     * @param seenGeneration {@link LongPolls#generation()} read before the caller's (empty) read of the log
     */
    static void start(HttpServletRequest request, long after, Duration wait, long seenGeneration, LongPolls polls,
            Reader reader, ScheduledExecutorService scheduler) {
        AsyncContext context = request.startAsync();
        context.setTimeout(wait.plus(SAFETY_MARGIN).toMillis());
        LongPoll poll = new LongPoll(context, after, requireNonNull(polls, "polls is null"),
                requireNonNull(reader, "reader is null"));
        context.addListener(poll.listener());
        poll.deadline = scheduler.schedule(() -> {
            poll.expired = true;
            polls.wake(poll);
        }, wait.toMillis(), TimeUnit.MILLISECONDS);
        polls.park(poll, seenGeneration);
    }

    @Override
    public long after() {
        return after;
    }

    @Override
    public boolean expired() {
        return expired;
    }

    @Override
    public void resume(long notifiedAtNanos) {
        this.notifiedAtNanos = notifiedAtNanos;
        try {
            context.start(this);
        } catch (IllegalStateException e) {
            LOG.trace("IGNORED: long-poll already completed", e); // the client went away or the safety net fired
        }
    }

    /** Reads the log; answers, or parks again. Never runs concurrently with itself (see {@link LongPolls}). */
    @Override
    public void run() {
        if (finished.get()) {
            return;
        }
        long seen = polls.generation();
        HttpServletResponse response = (HttpServletResponse) context.getResponse();
        boolean[] mine = {false}; // whether this run claimed the poll (confined to this thread)
        LongPollApi.Outcome outcome;
        try {
            outcome = reader.answer(expired || polls.isClosed(), notifiedAtNanos != 0, response, () -> mine[0] = claim());
        } catch (SQLException | RuntimeException e) {
            if (mine[0]) {
                LOG.warn("request {}: long-poll after={} failed while its answer was being written",
                        ApiResponses.requestId(response), after, e);
                if (!response.isCommitted()) {
                    writeFailure(response, e);
                }
                complete();
            } else if (claim()) {
                writeFailure(response, e); // the failure came before the answer started
                complete();
            }
            return;
        } catch (IOException e) {
            LOG.debug("long-poll after={}: could not write the answer (client gone?)", after, e);
            if (mine[0] || claim()) {
                complete();
            }
            return;
        }
        if (outcome == LongPollApi.Outcome.NOTHING_NEW) {
            polls.park(this, seen);
        } else if (mine[0]) {
            complete();
            if (notifiedAtNanos != 0) {
                polls.answered(notifiedAtNanos);
            }
        }
    }

    private void writeFailure(HttpServletResponse response, Exception e) {
        try {
            ApiResponses.resetForError(response);
            ApiServlet.writeFailure(response, e, "long-poll after=" + after);
        } catch (IOException | RuntimeException failure) {
            LOG.debug("long-poll after={}: could not write the error (client gone?)", after, failure);
        }
    }

    /** Makes this party the one that answers: true once, for whoever calls first; cancels the deadline. */
    private boolean claim() {
        if (!finished.compareAndSet(false, true)) {
            return false;
        }
        ScheduledFuture<?> task = deadline;
        if (task != null) {
            task.cancel(false);
        }
        return true;
    }

    @FunctionalInterface
    private interface Answer {
        void write(HttpServletResponse response) throws IOException;
    }

    /** Claims the poll and answers it with {@code answer}; does nothing if someone else claimed it. */
    private void finish(Answer answer) {
        if (!claim()) {
            return;
        }
        try {
            answer.write((HttpServletResponse) context.getResponse());
        } catch (IOException | RuntimeException e) {
            LOG.debug("long-poll after={}: could not write the answer (client gone?)", after, e);
        } finally {
            complete();
        }
    }

    private void complete() {
        try {
            context.complete();
        } catch (IllegalStateException e) {
            LOG.trace("IGNORED", e);
        }
    }

    private AsyncListener listener() {
        return new AsyncListener() {
            @Override
            public void onTimeout(AsyncEvent event) {
                polls.forget(LongPoll.this);
                LOG.error("request {}: internal error: long-poll after={} outlived its deadline by {}",
                        ApiResponses.requestId((HttpServletResponse) context.getResponse()), after, SAFETY_MARGIN);
                finish(ApiResponses::internal);
            }

            @Override
            public void onError(AsyncEvent event) {
                polls.forget(LongPoll.this);
                finished.set(true);
                ScheduledFuture<?> task = deadline;
                if (task != null) {
                    task.cancel(false);
                }
            }

            @Override
            public void onComplete(AsyncEvent event) {
                polls.forget(LongPoll.this);
            }

            @Override
            public void onStartAsync(AsyncEvent event) {
                // not restarted
            }
        };
    }
}
