package io.blueorigin.cdn.admin.db;

import static java.util.Objects.requireNonNull;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * Group commit of the nodes' acks: the acks that arrive while one transaction is writing go together in the next.
 *
 * <h2>Why</h2>
 * A purge makes every node ack at once, and each ack was a transaction of its own (find the node, lock the
 * entries, insert, commit). With 24 nodes on two cores those commits queued behind each other at the end of
 * every purge's way ({@code bench/fleet-purges.py}); with 500 simulated agents admin topped out near 1,200
 * transactions a second and a purge took seconds to be acknowledged everywhere ({@code bench/AgentSim.java}).
 * Here N acks cost one transaction of three statements, whatever N.
 *
 * <h2>How</h2>
 * No thread of its own: the request that finds nobody writing becomes the writer (LevelDB's writer queue). It
 * takes everything queued, writes it in one transaction, completes each request's future, and goes on while the
 * queue is not empty; the others wait on their futures. A request that queued while the writer was finishing
 * is not stranded: the writer gives up the role and then looks at the queue again, and the request itself tries
 * to take the role after queuing, so one of the two writes it.
 *
 * <h2>What an answer means</h2>
 * As before, a request is answered once its acks are committed, so an ack answered 200 is on disk. A batch that
 * fails on PostgreSQL being unavailable fails every request in it (each answers 503, as it would have alone). Any
 * other failure is written again request by request, so one request's bad data cannot fail the others.
 *
 * <h2>Bounds</h2>
 * At most {@link #MAX_QUEUED} requests wait (beyond, 503 at once: the node tries again later), at most
 * {@link #MAX_BATCH} requests and {@link #MAX_BATCH_ACKS} acks go in one transaction (a request with more goes
 * alone), and a request waits at most {@link #MAX_WAIT_MILLIS} for its batch.
 * Nothing stays behind: every queued request is completed by a writer, and the queue is empty at rest.
 */
public final class AckWriter {
    static final int MAX_QUEUED = 8192;
    static final int MAX_BATCH = 1024;
    /** Most acks in one transaction (a request over it goes alone). */
    static final int MAX_BATCH_ACKS = 10_000;
    static final long MAX_WAIT_MILLIS = 30_000;

    private final Database database;
    private final ArrayBlockingQueue<Pending> queue = new ArrayBlockingQueue<>(MAX_QUEUED);
    private final AtomicBoolean writing = new AtomicBoolean();
    private final LongAdder transactions = new LongAdder();

    /** One node's acks, and what the request waits on: the entries acknowledged, or empty for an unknown node. */
    private record Pending(String node, List<Ack> acks, CompletableFuture<Optional<Integer>> done) {}

    public AckWriter(Database database) {
        this.database = requireNonNull(database, "database is null");
    }

    /**
     * Records {@code acks} of node {@code node}, once committed. Idempotent: an (entry, node) pair already
     * acknowledged keeps its first ack, and acks of entries no longer (or never) in the log are ignored.
     *
     * @return how many distinct entries of the log they acknowledge, or empty when no node has that name
     * @throws SQLException PostgreSQL failed, or too many acks are waiting (a {@link SQLTransientConnectionException}:
     *     the API answers 503)
     */
    public Optional<Integer> record(String node, List<Ack> acks) throws SQLException {
        Pending mine = new Pending(requireNonNull(node, "node is null"), List.copyOf(acks), new CompletableFuture<>());
        if (!queue.offer(mine)) {
            throw new SQLTransientConnectionException("admin has " + MAX_QUEUED + " acks waiting to be written; try again");
        }
        writeWhileQueued();
        try {
            return mine.done.get(MAX_WAIT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLTransientConnectionException("interrupted while its acks were written", e);
        } catch (TimeoutException e) {
            throw new SQLTransientConnectionException("its acks were not written within " + MAX_WAIT_MILLIS + " ms", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof SQLException sql) {
                throw sql;
            }
            throw new IllegalStateException("writing acks failed", e.getCause());
        }
    }

    /** Transactions written so far (a batch is one; a batch written again request by request is one each). */
    public long transactions() {
        return transactions.sum();
    }

    /** Requests waiting to be written now (0 at rest). */
    public int queued() {
        return queue.size();
    }

    /** Takes the writer's role if free and writes until the queue is empty; else returns (the writer has it). */
    private void writeWhileQueued() {
        while (!queue.isEmpty() && writing.compareAndSet(false, true)) {
            try {
                for (List<Pending> batch = next(); !batch.isEmpty(); batch = next()) {
                    write(batch);
                }
            } finally {
                writing.set(false); // then the loop looks at the queue again: see "How"
            }
        }
    }

    /** The next batch: queued requests, in order, up to the bounds (see "Bounds"); empty when none is queued. */
    private List<Pending> next() {
        List<Pending> batch = new ArrayList<>();
        int acks = 0;
        for (Pending p = queue.peek(); p != null && batch.size() < MAX_BATCH
                && (batch.isEmpty() || acks + p.acks.size() <= MAX_BATCH_ACKS); p = queue.peek()) {
            batch.add(queue.remove()); // only the writer takes from the queue: the head is still p
            acks += p.acks.size();
        }
        return batch;
    }

    /** Writes batch in one transaction; completes every future in it, whatever happens. */
    private void write(List<Pending> batch) {
        try {
            List<Optional<Integer>> results = database.inTransaction(connection -> recordAll(connection, batch));
            transactions.increment();
            for (int i = 0; i < batch.size(); i++) {
                batch.get(i).done.complete(results.get(i));
            }
        } catch (SQLException e) {
            if (Database.isUnavailable(e) || batch.size() == 1) {
                transactions.increment();
                batch.forEach(p -> p.done.completeExceptionally(e));
            } else {
                for (Pending p : batch) { // one request's data must not fail the others
                    write(List.of(p));
                }
            }
        } catch (RuntimeException e) {
            batch.forEach(p -> p.done.completeExceptionally(e));
        }
    }

    /**
     * Three statements for the whole batch: the nodes by name, the entries locked against retention
     * ({@code FOR KEY SHARE}, so the foreign key holds until commit), one batch of inserts.
     *
     * @return each request's answer, in the batch's order
     */
    private static List<Optional<Integer>> recordAll(Connection connection, List<Pending> batch) throws SQLException {
        Set<String> names = new LinkedHashSet<>();
        Set<Long> ids = new LinkedHashSet<>();
        for (Pending p : batch) {
            names.add(p.node);
            p.acks.forEach(a -> ids.add(a.invalidationId()));
        }
        Map<String, Long> nodeIds = new HashMap<>();
        try (PreparedStatement select = connection.prepareStatement("SELECT name, id FROM nodes WHERE name = ANY(?)")) {
            select.setArray(1, connection.createArrayOf("text", names.toArray()));
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    nodeIds.put(rs.getString(1), rs.getLong(2));
                }
            }
        }
        Set<Long> known = new HashSet<>();
        if (!ids.isEmpty()) {
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT id FROM invalidations WHERE id = ANY(?) ORDER BY id FOR KEY SHARE")) {
                select.setArray(1, connection.createArrayOf("bigint", ids.toArray()));
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        known.add(rs.getLong(1));
                    }
                }
            }
        }
        List<Optional<Integer>> results = new ArrayList<>(batch.size());
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO invalidation_acks (invalidation_id, node_id, applied_at, objects_affected)"
                        + " VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
            boolean any = false;
            for (Pending p : batch) {
                Long nodeId = nodeIds.get(p.node);
                if (nodeId == null) {
                    results.add(Optional.empty());
                    continue;
                }
                Set<Long> acknowledged = new HashSet<>();
                for (Ack ack : p.acks) {
                    if (known.contains(ack.invalidationId())) {
                        acknowledged.add(ack.invalidationId());
                        insert.setLong(1, ack.invalidationId());
                        insert.setLong(2, nodeId);
                        insert.setObject(3, OffsetDateTime.ofInstant(ack.appliedAt(), ZoneOffset.UTC));
                        insert.setLong(4, ack.objectsAffected());
                        insert.addBatch();
                        any = true;
                    }
                }
                results.add(Optional.of(acknowledged.size()));
            }
            if (any) {
                insert.executeBatch();
            }
        }
        return results;
    }
}
