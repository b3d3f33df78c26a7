package io.blueorigin.cdn.admin.api;

import static java.util.Objects.requireNonNull;

import io.blueorigin.cdn.admin.db.LogBatch;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.sql.SQLException;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One waiting {@code GET /api/v1/invalidations?after=N&wait=S}, in async servlet mode: no thread is held
 * while it waits. Each {@link #run()} (on the container's pool) reads the log; with entries, or once
 * expired, or when the admin is stopping, it answers; otherwise it parks in {@link LongPolls} again.
 *
 * <p>Contract: whoever wins {@code finished} writes the response and completes the async context, exactly
 * once: {@link #run()} with the answer, the safety-net timeout of the container ({@link #SAFETY_MARGIN} past
 * the deadline, only if the deadline task never ran), or the container's error callback (client gone).
 */
final class LongPoll implements LongPolls.Waiter, Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(LongPoll.class);
    /** The container's own timeout is the wait plus this, in case the deadline task never runs. */
    static final Duration SAFETY_MARGIN = Duration.ofSeconds(30);

    /** Reads the entries after an id (one snapshot). */
    @FunctionalInterface
    interface Reader {
        LogBatch read(long after) throws SQLException;
    }

    private final AsyncContext context;
    private final long after;
    private final LongPolls polls;
    private final Reader reader;
    private final AtomicBoolean finished = new AtomicBoolean();
    private volatile boolean expired;
    /** Written once by {@link #start} before the poll is parked; read by {@link #finish}. */
    private volatile @Nullable ScheduledFuture<?> deadline;

    private LongPoll(AsyncContext context, long after, LongPolls polls, Reader reader) {
        this.context = context;
        this.after = after;
        this.polls = polls;
        this.reader = reader;
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
    public void resume() {
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
        LogBatch batch;
        try {
            batch = reader.read(after);
        } catch (SQLException e) {
            finish(response -> ApiServlet.writeFailure(response, e, "long-poll after=" + after));
            return;
        } catch (RuntimeException e) {
            finish(response -> ApiServlet.writeFailure(response, e, "long-poll after=" + after));
            return;
        }
        if (!batch.entries().isEmpty() || expired || polls.isClosed()) {
            finish(response -> ApiResponses.json(response, 200, Views.batch(batch)));
            return;
        }
        polls.park(this, seen);
    }

    @FunctionalInterface
    private interface Answer {
        void write(HttpServletResponse response) throws IOException;
    }

    private void finish(Answer answer) {
        if (!finished.compareAndSet(false, true)) {
            return;
        }
        ScheduledFuture<?> task = deadline;
        if (task != null) {
            task.cancel(false);
        }
        try {
            answer.write((HttpServletResponse) context.getResponse());
        } catch (IOException | RuntimeException e) {
            LOG.debug("long-poll after={}: could not write the answer (client gone?)", after, e);
        } finally {
            try {
                context.complete();
            } catch (IllegalStateException e) {
                LOG.trace("IGNORED", e);
            }
        }
    }

    private AsyncListener listener() {
        return new AsyncListener() {
            @Override
            public void onTimeout(AsyncEvent event) {
                polls.forget(LongPoll.this);
                String reference = UUID.randomUUID().toString();
                LOG.error("internal error {}: long-poll after={} outlived its deadline by {}", reference, after, SAFETY_MARGIN);
                finish(response -> ApiResponses.internal(response, reference));
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
