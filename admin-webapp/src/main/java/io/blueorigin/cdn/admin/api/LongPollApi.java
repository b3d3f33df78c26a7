package io.blueorigin.cdn.admin.api;

import static java.util.Objects.requireNonNull;

import io.blueorigin.cdn.admin.db.Database;
import io.blueorigin.cdn.admin.db.InvalidationLog;
import io.blueorigin.cdn.admin.db.LogBatch;
import java.io.IOException;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;

/**
 * {@code GET /api/v1/invalidations?after=N&wait=S} (scope {@code purge}): the entries after N, at once if
 * there are any (or {@code wait} is 0), else as soon as one is committed (by any admin replica), else after
 * S seconds with none. Each answer carries the log's {@code latest} and {@code oldestRetained}.
 */
final class LongPollApi {
    /** Longest {@code wait}, in seconds. */
    static final long MAX_WAIT_SECONDS = 30;

    private final Database database;
    private final InvalidationLog log;
    private final LongPolls polls;
    private final ScheduledExecutorService scheduler;

    LongPollApi(Database database, InvalidationLog log, LongPolls polls, ScheduledExecutorService scheduler) {
        this.database = requireNonNull(database, "database is null");
        this.log = requireNonNull(log, "log is null");
        this.polls = requireNonNull(polls, "polls is null");
        this.scheduler = requireNonNull(scheduler, "scheduler is null");
    }

    void poll(ApiCall call) throws ApiException, SQLException, IOException {
        ApiCall.Query query = call.query("after", "wait");
        long after = query.integer("after", 0, Long.MAX_VALUE, null);
        long wait = query.integer("wait", 0, MAX_WAIT_SECONDS, 0L);
        long seen = polls.generation();
        LogBatch batch = read(after);
        if (!batch.entries().isEmpty() || wait == 0 || polls.isClosed()) {
            call.respond(200, Views.batch(batch));
            return;
        }
        LongPoll.start(call.request(), after, Duration.ofSeconds(wait), seen, polls, this::read, scheduler);
    }

    private LogBatch read(long after) throws SQLException {
        return database.inSnapshot(connection -> log.after(connection, after, InvalidationLog.MAX_BATCH));
    }
}
