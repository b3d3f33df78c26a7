package io.blueorigin.cdn.admin.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.blueorigin.cdn.admin.Psql;
import io.blueorigin.cdn.admin.Scope;
import io.blueorigin.cdn.admin.db.BanKind;
import io.blueorigin.cdn.admin.db.BanRule;
import io.blueorigin.cdn.admin.db.NewInvalidation;
import io.blueorigin.cdn.admin.db.PurgeUrl;
import io.blueorigin.cdn.runtime.Role;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every ops/sql report run through {@link SqlReports} against a migrated database with data answers what the
 * {@code psql} binary prints for the same file (columns and rows), and bad parameters are refused naming them.
 */
class SqlReportsIT {
    private static ReportDatabase db;
    private static SqlReports reports;
    private static long purge;

    @BeforeAll
    static void fill() throws Exception {
        db = ReportDatabase.fresh();
        reports = SqlReports.load(db.database, Duration.ofSeconds(30));
        long alice = db.token("ops-alice", Scope.PURGE);
        long bob = db.token("ops-bob", Scope.PURGE);
        long nyc = db.register("edge-nyc", Role.EDGE, "nyc", "http://127.0.0.1:1");
        long iad = db.register("shield-iad", Role.SHIELD, "iad", "http://127.0.0.1:1");
        purge = db.append(NewInvalidation.purge(List.of(new PurgeUrl("/item/1", Optional.empty(), "/item/1",
                Optional.empty())), false, Optional.empty()), alice);
        long tags = db.append(NewInvalidation.purgeTags(List.of("item-3", "items"), false, Optional.empty()), alice);
        db.append(NewInvalidation.purgeTags(List.of("item-3"), true, Optional.empty()), bob);
        db.append(NewInvalidation.ban(new BanRule(BanKind.PREFIX, "/static/", Duration.ofMinutes(10)), Optional.empty()), bob);
        db.append(NewInvalidation.purgeAll(true, Optional.empty()), alice);
        db.ack(nyc, purge, 40);
        db.ack(iad, purge, 20);
        db.ack(nyc, tags, 60);
    }

    @AfterAll
    static void close() {
        if (db != null) {
            db.close();
        }
    }

    @Test
    void everyReportAnswersWhatPsqlPrints() throws Exception {
        assumeTrue(Psql.version().isPresent(), "psql is not installed: `bash scripts/install-tools.sh` installs it");
        for (SqlReports.Report report : reports.list()) {
            SqlReports.Result result = reports.run(report, Map.of(), 1000);
            List<List<String>> psql = psql(report.file(), Map.of());
            assertThat(result.columns()).as(report.file()).containsExactlyElementsOf(psql.get(0));
            assertThat(result.truncated()).isFalse();
            int volatileColumn = result.columns().indexOf("remaining_seconds"); // counts down between the two runs
            assertThat(withoutColumn(result.rows(), volatileColumn)).as(report.file())
                    .containsExactlyElementsOf(withoutColumn(psql.subList(1, psql.size()), volatileColumn));
        }
    }

    @Test
    void parametersAreBoundAsPsqlVariablesAre() throws Exception {
        assumeTrue(Psql.version().isPresent(), "psql is not installed: `bash scripts/install-tools.sh` installs it");
        Map<String, String> bob = Map.of("who", "ops-bob", "limit", "1", "since", "1 day");
        SqlReports.Result result = reports.run(reports.find("who_purged_what.sql").orElseThrow(), bob, 100);
        assertThat(result.rows()).hasSize(1).containsExactlyElementsOf(psql("who_purged_what.sql", bob).subList(1, 2));
        assertThat(result.parameters()).containsEntry("who", "ops-bob").containsEntry("limit", "1");
        // a value that would break out of a substituted literal is only a value
        assertThat(reports.run(reports.find("who_purged_what.sql").orElseThrow(), Map.of("who", "x' OR ''='"), 100)
                .rows()).isEmpty();
    }

    @Test
    void rowsBeyondTheCapAreNotReadAndTheResultSaysSo() throws Exception {
        SqlReports.Result result = reports.run(reports.find("who_purged_what.sql").orElseThrow(), Map.of(), 2);
        assertThat(result.rows()).hasSize(2);
        assertThat(result.truncated()).isTrue();
        assertThat(reports.run(reports.find("who_purged_what.sql").orElseThrow(), Map.of(), 5).truncated()).isFalse();
    }

    @Test
    void aBadParameterIsRefusedNamingIt() {
        SqlReports.Report perDay = reports.find("invalidations_per_day.sql").orElseThrow();
        assertThatThrownBy(() -> reports.run(perDay, Map.of("since", "week"), 10))
                .isInstanceOfSatisfying(ReportException.class, e -> assertThat(e.field()).contains("since"))
                .hasMessageContaining("since: 'week' is not a valid interval")
                .hasMessageContaining("invalid input syntax for type interval");
        assertThatThrownBy(() -> reports.run(perDay, Map.of("top", "5"), 10))
                .isInstanceOfSatisfying(ReportException.class, e -> assertThat(e.field()).contains("top"))
                .hasMessageContaining("has no such parameter (it has [since])");
        assertThatThrownBy(() -> reports.run(reports.find("slowest_nodes.sql").orElseThrow(), Map.of("top", "ten"), 10))
                .isInstanceOfSatisfying(ReportException.class, e -> assertThat(e.field()).contains("top"));
        assertThatThrownBy(() -> reports.run(perDay, Map.of("since", "1 day".repeat(100)), 10))
                .isInstanceOfSatisfying(ReportException.class, e -> assertThat(e.field()).contains("since"));
        assertThatThrownBy(() -> reports.run(reports.find("slowest_nodes.sql").orElseThrow(), Map.of("top", "-1"), 10))
                .isInstanceOfSatisfying(ReportException.class, e -> assertThat(e.field()).isEmpty())
                .hasMessageContaining("LIMIT must not be negative");
    }

    @Test
    void aReportRunsReadOnly() throws Exception {
        // the same transaction settings apply to every report: a write inside one would fail
        SqlReports.Report report = SqlReports.parse("write.sql", "-- Writes?\n--\n-- Parameters: none.\n"
                + "SELECT 1 AS one FROM (SELECT set_config('x.y', 'z', false)) s, LATERAL (SELECT nextval('invalidations_id_seq')) n;");
        assertThatThrownBy(() -> reports.run(report, Map.of(), 10)).isInstanceOf(java.sql.SQLException.class)
                .hasMessageContaining("read-only transaction");
    }

    private static List<List<String>> withoutColumn(List<List<String>> rows, int column) {
        if (column < 0) {
            return rows;
        }
        return rows.stream().map(r -> {
            List<String> copy = new ArrayList<>(r);
            copy.remove(column);
            return (List<String>) copy;
        }).toList();
    }

    /** What psql prints for {@code file} as CSV (header first), with PGTZ=UTC. */
    private static List<List<String>> psql(String file, Map<String, String> variables) {
        Psql.Result result = Psql.run(Psql.libpqUrl(db.jdbcUrl), SqlReportsTest.opsSql().resolve(file), variables);
        assertThat(result.exitCode()).as("psql %s: %s", file, result.stderr()).isZero();
        return result.rows();
    }
}
