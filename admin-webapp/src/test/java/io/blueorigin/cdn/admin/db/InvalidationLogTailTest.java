package io.blueorigin.cdn.admin.db;

import static org.assertj.core.api.Assertions.assertThat;

import io.blueorigin.cdn.admin.Scope;
import io.blueorigin.cdn.admin.TestPostgres;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link InvalidationLog#tail}, the one-statement read a woken long-poll's answer comes from, agrees with the
 * snapshot read it replaces ({@link InvalidationLog#bounds}, {@link Sites#version}, {@link InvalidationLog#forEachAfter})
 * and keeps to its payload budget.
 */
class InvalidationLogTailTest {
    private final InvalidationLog log = new InvalidationLog(Duration.ofSeconds(5));
    private Database database;
    private long token;

    @BeforeEach
    void open() throws SQLException {
        database = Database.open(new DatabaseConfig(TestPostgres.freshDatabase(), "postgres", "postgres", 2,
                Duration.ofSeconds(5), true), "tail-test");
        new ApiTokens(database.dataSource()).create("tail-test-purger", List.of(Scope.PURGE));
        token = database.withConnection(c -> {
            try (var s = c.prepareStatement("SELECT id FROM api_tokens WHERE name = 'tail-test-purger'");
                    var rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    @AfterEach
    void close() {
        database.close();
    }

    private long purge(String path) throws SQLException {
        return database.inTransaction(c -> log.append(c, NewInvalidation.purge(
                List.of(new PurgeUrl(path, Optional.empty(), path, Optional.empty())), false, Optional.empty()), token));
    }

    @Test
    void anEmptyTailStillCarriesTheBoundsAndTheSitesVersion() throws SQLException {
        long before = purge("/a");
        long site = database.inTransaction(c -> log.append(c, NewInvalidation.sitePut("www",
                Map.of("name", "www", "hosts", List.of("www.example.test"), "origins", List.of(Map.of("url",
                        "http://127.0.0.1:1")))), token));

        InvalidationLog.Tail tail = database.withConnection(c -> log.tail(c, site, 1000, 65536));

        assertThat(tail.entries()).isEmpty();
        assertThat(tail.bounds()).isEqualTo(database.inSnapshot(log::bounds));
        assertThat(tail.bounds().latest()).isEqualTo(site).isGreaterThan(before);
        assertThat(tail.sitesVersion()).isEqualTo(database.inSnapshot(new Sites(Duration.ofSeconds(5))::version));
    }

    @Test
    void theEntriesAfterAPositionAreThoseTheSnapshotReadGivesInIdOrder() throws SQLException {
        long first = purge("/one");
        purge("/two");
        purge("/three");

        InvalidationLog.Tail tail = database.withConnection(c -> log.tail(c, first, 1000, 65536));

        List<Invalidation> streamed = new java.util.ArrayList<>();
        database.inSnapshot(c -> {
            try {
                log.forEachAfter(c, first, 1000, streamed::add);
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
            return null;
        });
        assertThat(tail.entries()).isEqualTo(streamed).hasSize(2);
        assertThat(tail.entries()).extracting(e -> e.urls().get(0).path()).containsExactly("/two", "/three");
        assertThat(tail.bounds().latest()).isEqualTo(first + 2);
    }

    @Test
    void entriesStopWhereTheirPayloadsPassTheBudgetAndALimitCounts() throws SQLException {
        long start = purge("/start");
        String longPath = "/" + "x".repeat(12_000); // in the payload twice (the URL and its path): about 24 KB
        purge(longPath);
        purge(longPath + "2");
        purge(longPath + "3");
        purge("/small");

        assertThat(database.withConnection(c -> log.tail(c, start, 1000, 65536)).entries())
                .as("two long payloads fit 64 KiB, a third would not, nor anything after it").hasSize(2);
        assertThat(database.withConnection(c -> log.tail(c, start, 1000, 1000)).entries())
                .as("the first alone is over the budget: none").isEmpty();
        assertThat(database.withConnection(c -> log.tail(c, start, 1, 65536)).entries()).hasSize(1);
        assertThat(database.withConnection(c -> log.tail(c, start, 1, 65536)).bounds().latest()).isEqualTo(start + 4);
    }
}
