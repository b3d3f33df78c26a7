package io.blueorigin.cdn.admin.console;

import static java.util.Objects.requireNonNull;

import io.blueorigin.cdn.admin.db.Database;
import io.blueorigin.cdn.admin.db.Node;
import io.blueorigin.cdn.admin.db.Nodes;
import io.blueorigin.cdn.admin.report.Csv;
import io.blueorigin.cdn.admin.report.InvalidationHistory;
import io.blueorigin.cdn.admin.report.NodeLookup;
import io.blueorigin.cdn.admin.report.ReportException;
import io.blueorigin.cdn.admin.report.SqlReports;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.Writer;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The pages that read: invalidation history (filters, paging, CSV), the SQL reports of {@code ops/sql/} (run as
 * written, parameters as fields, CSV), a URL's view on every node and a surrogate key's (the nodes' cache
 * inspectors, asked at once), and the tag purge audit.
 */
final class ReportPages {
    /** Rows a report shows on the page (its CSV has up to {@link SqlReports#MAX_ROWS}). */
    static final int PAGE_ROWS = 500;
    private static final List<String> FILTERS = List.of("kind", "who", "from", "to", "site", "text");

    private final Database database;
    private final InvalidationHistory history;
    private final SqlReports reports;
    private final NodeLookup lookup;

    ReportPages(Database database, InvalidationHistory history, SqlReports reports, NodeLookup lookup) {
        this.database = requireNonNull(database, "database is null");
        this.history = requireNonNull(history, "history is null");
        this.reports = requireNonNull(reports, "reports is null");
        this.lookup = requireNonNull(lookup, "lookup is null");
    }

    // --- history ---

    /** {@code GET /console/invalidations?kind=&who=&from=&to=&site=&text=&before=}. */
    void history(Exchange exchange) throws IOException, SQLException, Exchange.BadInput {
        Map<String, String> values = filterValues(exchange);
        Page page = new Page("Invalidation history", "invalidations").notice(exchange.notice());
        InvalidationHistory.Page result = null;
        Map<String, String> errors = new LinkedHashMap<>();
        try {
            OptionalLong before = exchange.parameter("before").map(b -> OptionalLong.of(parseLong(b))).orElse(OptionalLong.empty());
            result = history.page(InvalidationHistory.Filter.parse(values), before, InvalidationHistory.DEFAULT_PAGE);
        } catch (ReportException e) {
            errors.put(e.field().orElse(""), e.getMessage());
        }
        page.add(filterForm(values, errors));
        if (result != null) {
            List<List<Cell>> rows = new ArrayList<>();
            for (InvalidationHistory.Entry entry : result.entries()) {
                rows.add(List.of(new Cell.Link(String.valueOf(entry.id()), "/console/invalidations/" + entry.id()),
                        Cell.text(entry.kind().label() + (entry.soft() ? " (soft)" : "")), Cell.text(Format.time(entry.createdAt())),
                        Cell.text(entry.createdBy()), Cell.text(entry.site().orElse("every site")),
                        new Cell.Code(Format.cut(entry.target(), 200) + (entry.targets() > 1 ? " (" + entry.targets() + ")" : "")),
                        Cell.text(entry.applied() + " / " + entry.pending() + " / " + entry.down())));
            }
            page.add(Block.Table.of("Entries, newest first", List.of("Entry", "Kind", "When", "Who", "Site", "What",
                    "Applied / pending / down"), rows, "No entry matches."));
            List<Cell.Link> links = new ArrayList<>();
            if (result.next().isPresent()) {
                links.add(new Cell.Link("Older entries", "/console/invalidations?" + query(values) + "&before="
                        + result.next().getAsLong()));
            }
            links.add(new Cell.Link("Export as CSV", "/console/invalidations.csv?" + query(values)));
            page.add(new Block.Links(links));
        }
        exchange.render(errors.isEmpty() ? 200 : 400, page);
    }

    /** {@code GET /console/invalidations.csv?<filters>}: every matching entry, streamed. */
    void historyCsv(Exchange exchange) throws IOException, SQLException, Exchange.BadInput {
        InvalidationHistory.Filter filter;
        try {
            filter = InvalidationHistory.Filter.parse(filterValues(exchange));
        } catch (ReportException e) {
            throw new Exchange.BadInput(e.getMessage());
        }
        Writer out = exchange.csv("invalidations.csv");
        history.export(filter, out);
        out.flush();
    }

    private static Block filterForm(Map<String, String> values, Map<String, String> errors) {
        return new Block.Form("filter", "Filter", "get", "/console/invalidations", List.of(
                Field.text("kind", "Kinds", values.getOrDefault("kind", ""), "purge, purge_tags, ban, ban_lift, purge_all,"
                        + " site_put, site_remove, keys_put (several: separated by commas)", errors.get("kind")),
                Field.text("who", "Who", values.getOrDefault("who", ""), "A token name, such as console:admin; ending in *"
                        + " for a prefix", errors.get("who")),
                Field.text("from", "From", values.getOrDefault("from", ""), "UTC: 2026-12-04T07:00 or 2026-12-04",
                        errors.get("from")),
                Field.text("to", "To", values.getOrDefault("to", ""), "UTC, exclusive", errors.get("to")),
                Field.text("site", "Site", values.getOrDefault("site", ""), "", errors.get("site")),
                Field.text("text", "Text", values.getOrDefault("text", ""), "In the URLs, tags or ban pattern", errors.get("text"))),
                "Filter", errors.get(""));
    }

    private static Map<String, String> filterValues(Exchange exchange) throws Exchange.BadInput {
        Map<String, String> values = new LinkedHashMap<>();
        for (String name : FILTERS) {
            Optional<String> value = exchange.parameter(name);
            if (value.isPresent()) {
                values.put(name, value.get());
            }
        }
        return values;
    }

    // --- reports ---

    /** {@code GET /console/reports}: every file of ops/sql with its question. */
    void reports(Exchange exchange) throws IOException {
        List<List<Cell>> rows = new ArrayList<>();
        for (SqlReports.Report report : reports.list()) {
            rows.add(List.of(new Cell.Link(report.title(), "/console/reports/" + report.file()), new Cell.Code(report.file()),
                    Cell.text(String.join(", ", report.parameters().stream().map(SqlReports.Parameter::name).toList()))));
        }
        Page page = new Page("Reports", "reports");
        page.add(Block.Text.of("The queries of ops/sql/, run here as written (psql runs the same files; docs/reporting.md)."));
        page.add(Block.Table.of("Reports", List.of("Question", "File", "Parameters"), rows, "No report."));
        exchange.render(page);
    }

    /**
     * {@code GET /console/reports/{file}?<parameters>}: the report's table (first rows) and its CSV link;
     * {@code {file}.csv}: the CSV.
     */
    void report(Exchange exchange) throws IOException, SQLException, Exchange.BadInput {
        if (exchange.path("file").endsWith(".csv")) {
            reportCsv(exchange);
            return;
        }
        SqlReports.Report report = report(exchange.path("file"));
        Map<String, String> values = reportValues(exchange, report);
        Page page = new Page(report.title(), "reports");
        page.add(Block.Text.of(report.description()));
        Map<String, String> errors = new LinkedHashMap<>();
        SqlReports.Result result = null;
        try {
            result = reports.run(report, values, PAGE_ROWS);
        } catch (ReportException e) {
            errors.put(e.field().orElse(""), e.getMessage());
        }
        List<Field> fields = new ArrayList<>();
        for (SqlReports.Parameter parameter : report.parameters()) {
            fields.add(Field.text(parameter.name(), parameter.name(), values.getOrDefault(parameter.name(),
                    parameter.defaultValue()), parameter.description() + " (" + parameter.type() + ")", errors.get(parameter.name())));
        }
        if (!fields.isEmpty() || !errors.isEmpty()) {
            page.add(new Block.Form("parameters", "Parameters", "get", "/console/reports/" + report.file(), fields, "Run",
                    errors.get("")));
        }
        if (result != null) {
            List<List<Cell>> rows = new ArrayList<>();
            for (List<String> row : result.rows()) {
                rows.add(row.stream().<Cell>map(Cell.Text::new).toList());
            }
            page.add(Block.Table.of(report.file() + (result.truncated() ? " (first " + PAGE_ROWS + " rows: the CSV has"
                    + " more)" : ""), result.columns(), rows, "No rows."));
            page.add(new Block.Links(List.of(new Cell.Link("Export as CSV", "/console/reports/" + report.file()
                    + ".csv?" + query(values)))));
        }
        page.add(new Block.Heading("The query"));
        page.add(Block.Text.of(report.text()));
        exchange.render(errors.isEmpty() ? 200 : 400, page);
    }

    private void reportCsv(Exchange exchange) throws IOException, SQLException, Exchange.BadInput {
        String name = exchange.path("file");
        SqlReports.Report report = report(name.endsWith(".csv") ? name.substring(0, name.length() - 4) : name);
        SqlReports.Result result;
        try {
            result = reports.run(report, reportValues(exchange, report), SqlReports.MAX_ROWS);
        } catch (ReportException e) {
            throw new Exchange.BadInput(e.getMessage());
        }
        Writer out = exchange.csv(report.file().replace(".sql", ".csv"));
        Csv csv = new Csv(out);
        csv.record(result.columns());
        for (List<String> row : result.rows()) {
            csv.record(row);
        }
        csv.flush();
    }

    private SqlReports.Report report(String file) throws Exchange.BadInput {
        return reports.find(file).orElseThrow(() -> new Exchange.BadInput(404, "no report '" + Format.cut(file, 80)
                + "' (the Reports page lists them)"));
    }

    private static Map<String, String> reportValues(Exchange exchange, SqlReports.Report report) throws Exchange.BadInput {
        Map<String, String> values = new LinkedHashMap<>();
        for (SqlReports.Parameter parameter : report.parameters()) {
            Optional<String> value = exchange.parameter(parameter.name());
            if (value.isPresent()) {
                values.put(parameter.name(), value.get());
            }
        }
        return values;
    }

    // --- lookups ---

    /** {@code GET /console/lookup?url=&host=}: every node's view of a URL. */
    void lookup(Exchange exchange) throws IOException, SQLException, Exchange.BadInput {
        String url = exchange.parameterOrEmpty("url");
        String host = exchange.parameterOrEmpty("host");
        Page page = new Page("Look up a URL", "lookup");
        Map<String, String> errors = new LinkedHashMap<>();
        List<NodeLookup.Answer> answers = List.of();
        if (!url.isEmpty()) {
            try {
                answers = lookup.url(proxies(), url, host.isEmpty() ? Optional.empty() : Optional.of(host));
            } catch (ReportException e) {
                errors.put(e.field().orElse("url"), e.getMessage());
            }
        }
        page.add(new Block.Form("lookup", "URL", "get", "/console/lookup", List.of(
                Field.text("url", "URL or path", url, "Such as /item/1 or https://www.example.com/item/1", errors.get("url")),
                Field.text("host", "Host", host, "The Host a request carries, when the URL is a path", errors.get("host"))),
                "Look up", null));
        if (!url.isEmpty() && errors.isEmpty()) {
            page.add(answers(answers, "variants"));
        }
        exchange.render(errors.isEmpty() ? 200 : 400, page);
    }

    /** {@code GET /console/tags?tag=}: tag purges of a surrogate key, and what a purge would hit on each node. */
    void tags(Exchange exchange) throws IOException, SQLException, Exchange.BadInput {
        String tag = exchange.parameterOrEmpty("tag");
        Page page = new Page("Surrogate keys", "tags");
        Map<String, String> errors = new LinkedHashMap<>();
        List<NodeLookup.Answer> answers = List.of();
        InvalidationHistory.Page purges = null;
        if (!tag.isEmpty()) {
            try {
                answers = lookup.tag(proxies(), tag);
                purges = history.page(InvalidationHistory.Filter.parse(Map.of("kind", "purge_tags", "text", tag)),
                        OptionalLong.empty(), InvalidationHistory.DEFAULT_PAGE);
            } catch (ReportException e) {
                errors.put("tag", e.getMessage());
            }
        }
        page.add(new Block.Form("tag", "Surrogate key", "get", "/console/tags", List.of(Field.text("tag", "Tag", tag,
                "Such as product-42: what each node holds with it, and when it was purged", errors.get("tag"))), "Search",
                null));
        if (purges != null) {
            page.add(answers(answers, "keys"));
            List<List<Cell>> rows = new ArrayList<>();
            for (InvalidationHistory.Entry entry : purges.entries()) {
                rows.add(List.of(new Cell.Link(String.valueOf(entry.id()), "/console/invalidations/" + entry.id()),
                        Cell.text(Format.time(entry.createdAt())), Cell.text(entry.createdBy()),
                        new Cell.Code(Format.cut(entry.target(), 200))));
            }
            page.add(Block.Table.of("Tag purges naming it (the audit), newest first", List.of("Entry", "When", "Who", "Tags"),
                    rows, "Never purged (within retention)."));
        }
        exchange.render(errors.isEmpty() ? 200 : 400, page);
    }

    private static Block answers(List<NodeLookup.Answer> answers, String what) {
        List<List<Cell>> rows = new ArrayList<>();
        for (NodeLookup.Answer answer : answers) {
            String summary = answer.error().orElseGet(() -> summary(answer.json().orElseThrow(), what));
            rows.add(List.of(Cell.text(answer.node()), Cell.text(answer.role()), Cell.text(answer.pop()), Cell.text(summary),
                    new Cell.Code(answer.json().map(j -> Format.cut(j.toString(), 4000)).orElse(""))));
        }
        return Block.Table.of("Every node's view (its cache inspector, /cache/inspect)", List.of("Node", "Role", "POP",
                "Summary", "Answer"), rows, "No edge or shield is registered.");
    }

    private static String summary(JsonNode json, String what) {
        if (what.equals("keys")) {
            return json.path("keyCount").asText("?") + " object(s) with this tag" + (json.path("truncated").asBoolean()
                    ? " (first ones listed)" : "");
        }
        JsonNode variants = json.path("variants");
        return variants.isArray() ? (variants.size() == 0 ? "not stored" : variants.size() + " variant(s) stored") : "answered";
    }

    /** Every registered node (edges and shields: the only roles that register, V0002). */
    private List<Node> proxies() throws SQLException {
        return database.inSnapshot(new Nodes()::list);
    }

    private static String query(Map<String, String> values) {
        StringBuilder query = new StringBuilder();
        for (Map.Entry<String, String> entry : values.entrySet()) {
            if (query.length() > 0) {
                query.append('&');
            }
            query.append(entry.getKey()).append('=').append(URLEncoder.encode(entry.getValue(), StandardCharsets.UTF_8));
        }
        return query.toString();
    }

    private static long parseLong(String text) {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

}
