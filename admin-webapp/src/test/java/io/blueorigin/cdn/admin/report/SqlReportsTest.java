package io.blueorigin.cdn.admin.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The catalogue the admin jar carries: every file of ops/sql/, each header read as ops/sql/README.md describes it. */
class SqlReportsTest {

    static Path opsSql() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("ops/sql"))) {
                return dir.resolve("ops/sql");
            }
        }
        throw new IllegalStateException("no ops/sql/ above " + Path.of("").toAbsolutePath());
    }

    @Test
    void theCatalogueIsEveryFileOfOpsSqlAsWritten() throws IOException {
        List<String> files;
        try (Stream<Path> list = Files.list(opsSql())) {
            files = list.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".sql")).toList();
        }
        List<SqlReports.Report> catalogue = SqlReports.catalogue();
        assertThat(catalogue).extracting(SqlReports.Report::file).containsExactlyInAnyOrderElementsOf(files);
        for (SqlReports.Report report : catalogue) {
            assertThat(report.text()).as(report.file()).isEqualTo(Files.readString(opsSql().resolve(report.file())));
            assertThat(report.title()).as(report.file()).isNotBlank().doesNotStartWith("-");
            assertThat(report.jdbcSql()).as(report.file()).startsWithIgnoringCase("SELECT").doesNotContain(":'", "\\");
            assertThat(report.bindings()).as(report.file())
                    .allMatch(name -> report.parameter(name).isPresent());
        }
    }

    @Test
    void headersGiveTitleParametersWithDefaultsAndTypes() {
        SqlReports.Report slowest = find("slowest_nodes.sql");
        assertThat(slowest.title()).isEqualTo("Which nodes apply invalidations slowest (by 99th percentile), and which"
                + " entry took them longest?");
        assertThat(slowest.parameters()).containsExactly(
                new SqlReports.Parameter("since", "how far back, by when the entry was made, a PostgreSQL interval"
                        + " (default '7 days')", "7 days", "interval"),
                new SqlReports.Parameter("top", "how many nodes to list (default 10)", "10", "integer"));
        assertThat(slowest.description()).contains("Reads: reporting.invalidation_propagation").doesNotContain("psql \"");
        assertThat(slowest.jdbcSql()).contains("now() - ?::interval").contains("LIMIT ?::integer");
        assertThat(slowest.bindings()).containsExactly("since", "top");

        SqlReports.Report who = find("who_purged_what.sql");
        assertThat(who.parameters()).extracting(SqlReports.Parameter::name, SqlReports.Parameter::defaultValue,
                SqlReports.Parameter::type).containsExactly(
                        org.assertj.core.groups.Tuple.tuple("since", "7 days", "interval"),
                        org.assertj.core.groups.Tuple.tuple("who", "", "text"),
                        org.assertj.core.groups.Tuple.tuple("limit", "1000", "integer"));
        assertThat(who.bindings()).containsExactly("since", "who", "who", "limit");

        SqlReports.Report bans = find("active_bans.sql");
        assertThat(bans.parameters()).isEmpty();
        assertThat(bans.bindings()).isEmpty();
        assertThat(bans.description()).isEqualTo("Reads: reporting.active_bans (docs/reporting.md).");
    }

    @Test
    void aFileOutsideTheDocumentedFormIsRefusedWhenLoaded() {
        String header = "-- Q?\n--\n-- Parameters (psql variables):\n--   since  how far back (default '1 day')\n";
        assertThatThrownBy(() -> SqlReports.parse("x.sql", header + "\\set since '1 day'\n\\gset\nSELECT 1;"))
                .hasMessageContaining("\\gset");
        assertThatThrownBy(() -> SqlReports.parse("x.sql", header + "SELECT :'since';"))
                .hasMessageContaining("documents parameters [since] but \\set gives defaults to []");
        assertThatThrownBy(() -> SqlReports.parse("x.sql", header + "\\set since '1 day'\nSELECT :since;"))
                .hasMessageContaining("JDBC cannot bind");
        assertThatThrownBy(() -> SqlReports.parse("x.sql", header + "\\set since '1 day'\nSELECT :'other';"))
                .hasMessageContaining(":'other'");
    }

    private static SqlReports.Report find(String file) {
        return SqlReports.catalogue().stream().filter(r -> r.file().equals(file)).findFirst().orElseThrow();
    }
}
