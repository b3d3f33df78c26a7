package io.blueorigin.cdn.admin.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.blueorigin.cdn.admin.Scope;
import io.blueorigin.cdn.admin.db.BanKind;
import io.blueorigin.cdn.admin.db.BanRule;
import io.blueorigin.cdn.admin.db.NewInvalidation;
import io.blueorigin.cdn.admin.db.PurgeUrl;
import io.blueorigin.cdn.runtime.Role;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
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
        assumeTrue(psqlInstalled(), "psql is not installed: `bash scripts/install-tools.sh` installs it");
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
        assumeTrue(psqlInstalled(), "psql is not installed: `bash scripts/install-tools.sh` installs it");
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

    private static boolean psqlInstalled() {
        try {
            Process p = new ProcessBuilder("psql", "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** What psql prints for {@code file} as CSV (header first), with PGTZ=UTC. */
    private static List<List<String>> psql(String file, Map<String, String> variables) throws Exception {
        List<String> command = new ArrayList<>(List.of("psql", "-X", "-v", "ON_ERROR_STOP=1", "--csv", "-d",
                db.jdbcUrl.substring("jdbc:".length())));
        variables.forEach((k, v) -> command.addAll(List.of("-v", k + "=" + v)));
        command.addAll(List.of("-f", SqlReportsTest.opsSql().resolve(file).toString()));
        Path err = Files.createTempFile("psql", ".err");
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectError(err.toFile());
            builder.environment().put("PGTZ", "UTC");
            Process process = builder.start();
            process.getOutputStream().close();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
            assertThat(process.exitValue()).as("psql %s: %s", file, Files.readString(err)).isZero();
            return parseCsv(out);
        } finally {
            Files.deleteIfExists(err);
        }
    }

    /** psql's --csv output (RFC 4180, LF line ends). */
    private static List<List<String>> parseCsv(String text) {
        List<List<String>> rows = new ArrayList<>();
        List<String> row = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    field.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                row.add(field.toString());
                field.setLength(0);
            } else if (c == '\n') {
                row.add(field.toString());
                field.setLength(0);
                rows.add(row);
                row = new ArrayList<>();
            } else if (c != '\r') {
                field.append(c);
            }
        }
        return rows;
    }
}
