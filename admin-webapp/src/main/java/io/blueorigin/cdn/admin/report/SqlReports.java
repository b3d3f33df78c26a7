package io.blueorigin.cdn.admin.report;

import static java.util.Objects.requireNonNull;

import io.blueorigin.cdn.admin.db.Database;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The reporting queries of {@code ops/sql/}, run over JDBC for the console. The admin jar carries the files as they
 * are (admin-webapp's pom copies {@code ops/sql/*.sql} and its README to {@code reports/} on the classpath): what the
 * console runs is what operators run with {@code psql}, one source. The catalogue is the table of
 * {@code reports/README.md} (the README operators read; a test checks it names every file).
 *
 * <p>Each file is read as ops/sql/README.md documents it: a header of {@code --} comments (the first line is the
 * title; a {@code Parameters} block lists psql variables, {@code Run:} the command), then for each variable the
 * {@code \if :{?name} \else \set name default \endif} block that gives it its default, then one SELECT. Every
 * {@code :'name'} in the SELECT becomes a JDBC parameter bound to the value (never substituted into the text), cast
 * as the file casts it ({@code :'since'::interval}). Any other psql meta-command, or a variable without a default, is
 * refused when the catalogue loads: the console runs only what it can run exactly as psql does.
 *
 * <p>A run is one READ ONLY transaction with a statement timeout, in UTC (as {@code PGTZ=UTC psql} prints), and
 * returns at most {@code maxRows} rows, saying when there were more. Immutable and thread-safe.
 */
public final class SqlReports {
    /** Where the files are on the classpath. */
    public static final String RESOURCES = "reports/";
    /** Longest parameter value accepted (an interval, a name, a number: short). */
    public static final int MAX_VALUE_LENGTH = 200;
    /** Most rows one run may be asked for. */
    public static final int MAX_ROWS = 100_000;

    private static final Pattern CATALOGUE_ROW = Pattern.compile("^\\|\\s*`([a-z0-9_]+\\.sql)`\\s*\\|", Pattern.MULTILINE);
    private static final Pattern PARAMETER_LINE = Pattern.compile("^--\\s{2,}([a-z_][a-z0-9_]*)\\s{2,}(\\S.*)$");
    private static final Pattern INDENTED = Pattern.compile("^--\\s{2,}\\S.*$");
    private static final Pattern IF = Pattern.compile("^\\\\if :\\{\\?([a-z_][a-z0-9_]*)\\}$");
    private static final Pattern SET = Pattern.compile("^\\\\set ([a-z_][a-z0-9_]*) (.*)$");
    /** A psql variable interpolated as a literal, and the cast that follows it if any. */
    private static final Pattern VARIABLE = Pattern.compile(":'([a-z_][a-z0-9_]*)'(?:::([a-z_]+))?");
    /** Any other interpolation ({@code :name}, {@code :"name"}, {@code :{?name}}), which JDBC cannot bind. */
    private static final Pattern OTHER_VARIABLE = Pattern.compile("(?<![:\\w]):[A-Za-z_\"{']");

    private final Database database;
    private final Duration statementTimeout;
    private final Map<String, Report> reports;

    /**
     * One documented parameter.
     *
     * @param name the psql variable
     * @param description what the header says of it
     * @param defaultValue the value its {@code \set} gives when none is passed ({@code ""}: every node, every token)
     * @param type the type the SELECT casts it to ({@code interval}, {@code integer}), {@code text} when it does not
     */
    public record Parameter(String name, String description, String defaultValue, String type) {
        public Parameter {
            requireNonNull(name, "name is null");
            requireNonNull(description, "description is null");
            requireNonNull(defaultValue, "defaultValue is null");
            requireNonNull(type, "type is null");
        }
    }

    /**
     * One file of ops/sql.
     *
     * @param file its name ({@code who_purged_what.sql}): the id the console uses
     * @param title the question it answers (its first comment line)
     * @param description the rest of its header but the parameters and the command, one line per comment line
     * @param parameters its psql variables, in header order
     * @param text the file as operators run it
     * @param jdbcSql the SELECT with a {@code ?} per {@code :'variable'}
     * @param bindings the variable each {@code ?} takes, in order
     */
    public record Report(String file, String title, String description, List<Parameter> parameters, String text,
            String jdbcSql, List<String> bindings) {
        public Report {
            requireNonNull(file, "file is null");
            requireNonNull(title, "title is null");
            requireNonNull(description, "description is null");
            parameters = List.copyOf(parameters);
            requireNonNull(text, "text is null");
            requireNonNull(jdbcSql, "jdbcSql is null");
            bindings = List.copyOf(bindings);
        }

        /** The parameter called {@code name}. */
        public Optional<Parameter> parameter(String name) {
            return parameters.stream().filter(p -> p.name().equals(name)).findFirst();
        }
    }

    /**
     * What one run returned: values as text, the way {@code psql --csv} prints them (NULL as {@code ""}).
     *
     * @param columns the column names, in order
     * @param rows at most {@code maxRows} rows, each as long as {@code columns}
     * @param truncated whether the query had more rows than {@code maxRows} (they were not read)
     * @param maxRows the cap this run had
     * @param parameters the values the run used, defaults included, in the report's order
     */
    public record Result(List<String> columns, List<List<String>> rows, boolean truncated, int maxRows,
            Map<String, String> parameters) {
        public Result {
            columns = List.copyOf(columns);
            rows = List.copyOf(rows);
            parameters = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
        }
    }

    private SqlReports(Database database, Duration statementTimeout, Map<String, Report> reports) {
        this.database = requireNonNull(database, "database is null");
        this.statementTimeout = requireNonNull(statementTimeout, "statementTimeout is null");
        if (statementTimeout.toMillis() < 1) {
            throw new IllegalArgumentException("statementTimeout < 1 ms: " + statementTimeout);
        }
        this.reports = reports;
    }

    /**
     * The reports of the classpath catalogue ({@link #RESOURCES}), run on {@code database}.
     *
     * @param statementTimeout longest one report may run before PostgreSQL cancels it
     * @throws IllegalStateException when a file is missing or not in the form ops/sql/README.md describes (a build
     *     defect, not an operator's)
     */
    public static SqlReports load(Database database, Duration statementTimeout) {
        Map<String, Report> reports = new LinkedHashMap<>();
        for (Report report : catalogue()) {
            reports.put(report.file(), report);
        }
        return new SqlReports(database, statementTimeout, java.util.Collections.unmodifiableMap(reports));
    }

    /** Every report the classpath carries, in the order of the table of {@code reports/README.md}. */
    public static List<Report> catalogue() {
        List<Report> reports = new ArrayList<>();
        Matcher rows = CATALOGUE_ROW.matcher(resource("README.md"));
        while (rows.find()) {
            reports.add(parse(rows.group(1), resource(rows.group(1))));
        }
        if (reports.isEmpty()) {
            throw new IllegalStateException(RESOURCES + "README.md lists no report: was admin-webapp built without ops/sql?");
        }
        return List.copyOf(reports);
    }

    private static String resource(String name) {
        try (InputStream in = SqlReports.class.getClassLoader().getResourceAsStream(RESOURCES + name)) {
            if (in == null) {
                throw new IllegalStateException("no " + RESOURCES + name + " on the classpath (admin-webapp's pom copies"
                        + " ops/sql there)");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(RESOURCES + name, e);
        }
    }

    /** Every report, in the README's order. */
    public List<Report> list() {
        return List.copyOf(reports.values());
    }

    /** The report of {@code file} ({@code who_purged_what.sql}). */
    public Optional<Report> find(String file) {
        return Optional.ofNullable(reports.get(file));
    }

    /** Parses one file (see the class comment for the form). */
    static Report parse(String file, String text) {
        List<String> lines = text.lines().toList();
        int i = 0;
        List<String> header = new ArrayList<>();
        while (i < lines.size() && lines.get(i).startsWith("--")) {
            header.add(lines.get(i));
            i++;
        }
        if (header.isEmpty()) {
            throw invalid(file, "no header comment");
        }
        String title = header.get(0).substring(2).strip();
        List<String> description = new ArrayList<>();
        Map<String, String> documented = new LinkedHashMap<>();
        String block = "";
        for (String line : header.subList(1, header.size())) {
            String content = line.substring(2).strip();
            Matcher parameter = PARAMETER_LINE.matcher(line);
            if (content.startsWith("Parameters")) {
                block = content.equals("Parameters: none.") ? "" : "parameters";
            } else if (content.equals("Run:")) {
                block = "run";
            } else if (block.equals("parameters") && parameter.matches()) {
                documented.put(parameter.group(1), parameter.group(2).strip());
            } else if (block.equals("run") && INDENTED.matcher(line).matches()) {
                continue;
            } else if (!content.isEmpty()) {
                block = "";
                description.add(content);
            }
        }
        Map<String, String> defaults = new LinkedHashMap<>();
        StringBuilder select = new StringBuilder();
        for (String line : lines.subList(i, lines.size())) {
            String stripped = line.strip();
            if (stripped.startsWith("\\")) {
                Matcher set = SET.matcher(stripped);
                if (set.matches()) {
                    defaults.put(set.group(1), unquote(file, set.group(2)));
                } else if (!IF.matcher(stripped).matches() && !stripped.equals("\\else") && !stripped.equals("\\endif")) {
                    throw invalid(file, "psql meta-command " + stripped + " (only \\if :{?name} \\else \\set name default"
                            + " \\endif blocks are supported)");
                }
            } else {
                select.append(line).append('\n');
            }
        }
        if (!documented.keySet().equals(defaults.keySet())) {
            throw invalid(file, "the header documents parameters " + documented.keySet() + " but \\set gives defaults to "
                    + defaults.keySet());
        }
        String sql = select.toString().strip();
        if (sql.endsWith(";")) {
            sql = sql.substring(0, sql.length() - 1);
        }
        Map<String, String> types = new LinkedHashMap<>();
        List<String> bindings = new ArrayList<>();
        Matcher variable = VARIABLE.matcher(sql);
        StringBuilder jdbc = new StringBuilder();
        while (variable.find()) {
            String name = variable.group(1);
            if (!defaults.containsKey(name)) {
                throw invalid(file, "variable :'" + name + "' has no \\set default and is not documented");
            }
            bindings.add(name);
            String cast = variable.group(2);
            if (cast != null) {
                types.merge(name, cast, (a, b) -> a.equals(b) ? a : "text");
            }
            variable.appendReplacement(jdbc, Matcher.quoteReplacement(cast == null ? "?" : "?::" + cast));
        }
        variable.appendTail(jdbc);
        Matcher other = OTHER_VARIABLE.matcher(jdbc);
        if (other.find()) {
            throw invalid(file, "a psql interpolation JDBC cannot bind at '" + jdbc.substring(other.start(),
                    Math.min(jdbc.length(), other.start() + 20)) + "' (use :'name')");
        }
        List<Parameter> parameters = documented.entrySet().stream().map(e -> new Parameter(e.getKey(), e.getValue(),
                defaults.get(e.getKey()), types.getOrDefault(e.getKey(), "text"))).toList();
        return new Report(file, title, String.join("\n", description), parameters, text, jdbc.toString(), bindings);
    }

    private static String unquote(String file, String value) {
        if (value.length() >= 2 && value.startsWith("'") && value.endsWith("'")) {
            String inner = value.substring(1, value.length() - 1);
            if (inner.contains("'") || inner.contains("\\")) {
                throw invalid(file, "default " + value + " has quotes or backslashes inside");
            }
            return inner;
        }
        if (!value.matches("[A-Za-z0-9_.]+")) {
            throw invalid(file, "default " + value + " is neither quoted nor a plain word");
        }
        return value;
    }

    private static IllegalStateException invalid(String file, String problem) {
        return new IllegalStateException(RESOURCES + file + " is not in the form ops/sql/README.md describes: " + problem);
    }

    /**
     * Runs {@code report} with {@code parameters} (a missing or blank one takes its default).
     *
     * @param maxRows 1..{@link #MAX_ROWS}: rows read; {@link Result#truncated()} says when there were more
     * @throws ReportException naming the parameter when one is unknown, too long, or not a value of its type (the
     *     message is PostgreSQL's reason); without a name when PostgreSQL refused or cancelled the query
     * @throws SQLException when the database fails (unreachable: {@link Database#isUnavailable})
     */
    public Result run(Report report, Map<String, String> parameters, int maxRows) throws ReportException, SQLException {
        requireNonNull(report, "report is null");
        if (maxRows < 1 || maxRows > MAX_ROWS) {
            throw new IllegalArgumentException("maxRows out of 1.." + MAX_ROWS + ": " + maxRows);
        }
        Map<String, String> values = values(report, parameters);
        try {
            return database.inSnapshot(connection -> {
                try {
                    return run(connection, report, values, maxRows);
                } catch (ReportException e) {
                    throw new Refused(e);
                }
            });
        } catch (Refused e) {
            throw e.refusal;
        }
    }

    /** The value of each of the report's parameters: given (stripped) or the default. */
    private static Map<String, String> values(Report report, Map<String, String> given) throws ReportException {
        for (String name : given.keySet()) {
            if (report.parameter(name).isEmpty()) {
                throw new ReportException(name, name + ": " + report.file() + " has no such parameter (it has "
                        + (report.parameters().isEmpty() ? "none" : report.parameters().stream().map(Parameter::name)
                                .toList()) + ")");
            }
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (Parameter parameter : report.parameters()) {
            String value = given.get(parameter.name());
            value = value == null || value.isBlank() ? parameter.defaultValue() : value.strip();
            if (value.length() > MAX_VALUE_LENGTH) {
                throw new ReportException(parameter.name(), parameter.name() + ": longer than " + MAX_VALUE_LENGTH
                        + " characters (" + parameter.description() + ")");
            }
            values.put(parameter.name(), value);
        }
        return values;
    }

    private Result run(Connection connection, Report report, Map<String, String> values, int maxRows)
            throws SQLException, ReportException {
        try (PreparedStatement settings = connection.prepareStatement(
                "SELECT set_config('statement_timeout', ?, true), set_config('TimeZone', 'UTC', true)")) {
            settings.setString(1, statementTimeout.toMillis() + "ms");
            settings.execute();
        }
        for (Parameter parameter : report.parameters()) {
            if (!parameter.type().equals("text")) {
                check(connection, parameter, values.get(parameter.name()));
            }
        }
        try (PreparedStatement select = connection.prepareStatement(report.jdbcSql())) {
            select.setMaxRows(maxRows + 1);
            select.setFetchSize(Math.min(maxRows + 1, 500));
            for (int b = 0; b < report.bindings().size(); b++) {
                select.setString(b + 1, values.get(report.bindings().get(b)));
            }
            try (ResultSet rs = select.executeQuery()) {
                ResultSetMetaData meta = rs.getMetaData();
                List<String> columns = new ArrayList<>(meta.getColumnCount());
                for (int c = 1; c <= meta.getColumnCount(); c++) {
                    columns.add(meta.getColumnLabel(c));
                }
                List<List<String>> rows = new ArrayList<>();
                boolean truncated = false;
                while (rs.next()) {
                    if (rows.size() == maxRows) {
                        truncated = true;
                        break;
                    }
                    List<String> row = new ArrayList<>(columns.size());
                    for (int c = 1; c <= columns.size(); c++) {
                        String value = rs.getString(c);
                        row.add(value == null ? "" : value);
                    }
                    rows.add(List.copyOf(row));
                }
                return new Result(columns, rows, truncated, maxRows, values);
            }
        } catch (SQLException e) {
            throw refusal(report, e);
        }
    }

    /** Casts {@code value} to the parameter's type alone, so a bad value is an error naming that parameter. */
    private static void check(Connection connection, Parameter parameter, String value) throws SQLException,
            ReportException {
        if (!parameter.type().matches("[a-z_]+")) {
            throw new IllegalStateException("type " + parameter.type());
        }
        try (PreparedStatement cast = connection.prepareStatement("SELECT CAST(? AS " + parameter.type() + ")")) {
            cast.setString(1, value);
            cast.execute();
        } catch (SQLException e) {
            if (isDataException(e)) {
                throw new ReportException(parameter.name(), parameter.name() + ": " + "'" + value + "'"
                        + " is not a valid " + parameter.type() + " (" + parameter.description() + "; PostgreSQL: "
                        + firstLine(e) + ")");
            }
            throw e;
        }
    }

    private ReportException refusal(Report report, SQLException e) throws SQLException {
        if ("57014".equals(e.getSQLState())) {
            return new ReportException(null, report.file() + " ran longer than " + statementTimeout.toMillis()
                    + " ms and was cancelled: narrow it (a shorter since, a smaller top or limit), or run it with psql");
        }
        if (isDataException(e)) {
            return new ReportException(null, report.file() + ": PostgreSQL refused these parameters: " + firstLine(e));
        }
        throw e;
    }

    /** SQLSTATE class 22, data exception: a value PostgreSQL cannot take (a bad interval, a negative LIMIT). */
    private static boolean isDataException(SQLException e) {
        return e.getSQLState() != null && e.getSQLState().startsWith("22");
    }

    private static String firstLine(SQLException e) {
        String message = String.valueOf(e.getMessage());
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }

    /** Carries a {@link ReportException} out of {@link Database.Work} (which throws only SQLException). */
    private static final class Refused extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final transient ReportException refusal;

        Refused(ReportException refusal) {
            super(refusal.getMessage(), null, false, false);
            this.refusal = refusal;
        }
    }
}
