package io.blueorigin.cdn.admin.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.blueorigin.cdn.admin.Scope;
import io.blueorigin.cdn.admin.TestPostgres;
import io.blueorigin.cdn.runtime.Role;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Group commit of acks (issue 17: one transaction per node per purge was admin's slope to 500 nodes): the acks
 * that arrive while a transaction writes go together in the next, each request still answered only once its
 * acks are committed, and nothing stays queued.
 */
class AckWriterTest {
    private static final int NODES = 40;

    private Database database;
    private AckWriter writer;
    private final List<Long> entries = new ArrayList<>();
    private final ExecutorService pool = Executors.newFixedThreadPool(NODES);

    @BeforeEach
    void fill() throws SQLException {
        database = Database.open(new DatabaseConfig(TestPostgres.freshDatabase(), "postgres", "postgres", 4,
                Duration.ofSeconds(5), true), "ack-writer-test");
        writer = new AckWriter(database);
        new ApiTokens(database.dataSource()).create("purger", List.of(Scope.PURGE));
        long token = count("SELECT id FROM api_tokens WHERE name = 'purger'");
        InvalidationLog log = new InvalidationLog(Duration.ofSeconds(5));
        Nodes nodes = new Nodes();
        database.inTransaction(c -> {
            for (int i = 0; i < NODES; i++) {
                nodes.register(c, new NodeRegistration("edge-" + i, Role.EDGE, "nyc", "http://127.0.0.1:1",
                        "http://127.0.0.1:2", 0));
            }
            for (int i = 0; i < 3; i++) {
                entries.add(log.append(c, NewInvalidation.purgeAll(false, Optional.empty()), token));
            }
            return null;
        });
    }

    @AfterEach
    void close() {
        pool.shutdownNow();
        database.close();
    }

    @Test
    void acksThatArriveWhileATransactionWritesGoTogetherInTheNext() throws Exception {
        List<String> nodes = java.util.stream.IntStream.range(0, NODES).mapToObj(i -> "edge-" + i).toList();
        for (Future<Optional<Integer>> answer : queuedBehindAHeldWrite(nodes)) {
            assertThat(answer.get(10, TimeUnit.SECONDS)).contains(3);
        }
        assertThat(count("SELECT count(*) FROM invalidation_acks")).isEqualTo(NODES * 3L);
        assertThat(writer.transactions()).as("%d requests", NODES).isEqualTo(2);
        assertThat(writer.queued()).isZero();
    }

    @Test
    void anUnknownNodeIsEmptyAndTheOthersInItsBatchAreRecorded() throws Exception {
        List<Future<Optional<Integer>>> answers = queuedBehindAHeldWrite(List.of("edge-0", "edge-unknown", "edge-1"));
        assertThat(answers.get(0).get(10, TimeUnit.SECONDS)).contains(3);
        assertThat(answers.get(1).get(10, TimeUnit.SECONDS)).isEmpty();
        assertThat(answers.get(2).get(10, TimeUnit.SECONDS)).contains(3);
        assertThat(writer.transactions()).as("the unknown node and edge-1 in one batch").isEqualTo(2);
        // again: the first ack of each pair stays; gone or never logged entries are not counted
        List<Ack> again = new ArrayList<>(acks());
        again.add(new Ack(entries.get(2) + 100, Instant.now(), 0));
        assertThat(writer.record("edge-1", again)).contains(3);
        assertThat(count("SELECT count(*) FROM invalidation_acks")).as("edge-0's 3 and edge-1's 3, the repeat adding none")
                .isEqualTo(6);
        assertThat(writer.queued()).isZero();
    }

    private List<Ack> acks() {
        return entries.stream().map(id -> new Ack(id, Instant.now(), 1)).toList();
    }

    /**
     * Submits the first node's acks and holds its transaction at its lock on the entries until the others' are queued
     * behind it (none answered meanwhile: an answer waits for its commit), then lets it go; the answers, in order.
     */
    private List<Future<Optional<Integer>>> queuedBehindAHeldWrite(List<String> nodes) throws Exception {
        try (Connection holder = database.dataSource().getConnection(); Statement s = holder.createStatement()) {
            holder.setAutoCommit(false);
            s.execute("SELECT id FROM invalidations WHERE id = " + entries.get(0) + " FOR UPDATE");
            List<Future<Optional<Integer>>> answers = new ArrayList<>();
            answers.add(pool.submit(() -> writer.record(nodes.get(0), acks())));
            await().atMost(Duration.ofSeconds(10)).until(() -> writer.queued() == 0 && aWriteWaitsOnALock());
            for (String node : nodes.subList(1, nodes.size())) {
                answers.add(pool.submit(() -> writer.record(node, acks())));
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> writer.queued() == nodes.size() - 1);
            assertThat(answers).noneMatch(Future::isDone);
            holder.rollback();
            return answers;
        }
    }

    /** Whether a session of this database waits on a lock (the held writer). */
    private boolean aWriteWaitsOnALock() throws SQLException {
        return count("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()") > 0;
    }

    private long count(String sql) throws SQLException {
        try (Connection c = database.dataSource().getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
