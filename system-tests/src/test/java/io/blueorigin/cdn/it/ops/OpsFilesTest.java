package io.blueorigin.cdn.it.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.blueorigin.cdn.runtime.ServerConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The operations files as written: {@code ops/grafana/blue-origin-cdn.json} (the Grafana dashboard),
 * {@code ops/grafana/provisioning/} and {@code ops/prometheus.yml} (the scrape config), checked against
 * {@code docs/metrics.md}, the catalogue of what the nodes export; and the catalogue's own form. No server,
 * no Grafana or Prometheus: the files are parsed and their PromQL lexed.
 */
class OpsFilesTest {
    private static final Path ROOT = repositoryRoot();
    private static final Path CATALOGUE = ROOT.resolve("docs/metrics.md");
    private static final Path DASHBOARD = ROOT.resolve("ops/grafana/blue-origin-cdn.json");
    private static final Path PROMETHEUS = ROOT.resolve("ops/prometheus.yml");
    private static final Path PROVISIONING = ROOT.resolve("ops/grafana/provisioning");

    private static final ObjectMapper JSON = new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private static final Set<String> PANEL_TYPES = Set.of("row", "timeseries", "stat", "gauge");
    private static final int GRID_WIDTH = 24;
    /** Grafana's global variables a dashboard may use without defining them. */
    private static final Set<String> GRAFANA_VARIABLES = Set.of("__interval", "__interval_ms", "__rate_interval",
            "__rate_interval_ms", "__range", "__range_s", "__range_ms", "__from", "__to", "__dashboard", "__org",
            "__user");
    private static final Set<String> RATE_FUNCTIONS = Set.of("rate", "irate", "increase");
    /** Labels each node exports itself (or Prometheus adds): a scrape config must not set them. */
    private static final Set<String> EXPORTED_LABELS = Set.of("role", "pop", "instance", "job", "quantile");

    /**
     * The demo's traffic ports, in {@code launcher/src/main/java/io/blueorigin/cdn/launcher/Demo.java}
     * ({@code Demo.start}: literals, not constants): edges nyc 8080 and lhr 8081, shields iad 8082 and ord
     * 8083, admin 9000 (the origin, 9001, is not a CDN node and exports no catalogued metric). Their
     * management ports come from {@link ServerConfig#defaultManagementPort}, as in the demo.
     */
    private static final Map<String, List<Integer>> DEMO_TRAFFIC_PORTS = Map.of(
            "cdn-edge", List.of(8080, 8081),
            "cdn-shield", List.of(8082, 8083),
            "cdn-admin", List.of(9000));

    // ------------------------------------------------------------------------------------------ catalogue

    @Test
    void theCatalogueIsWellFormed() throws IOException {
        Catalogue catalogue = Catalogue.parse(Files.readString(CATALOGUE));
        List<String> problems = new ArrayList<>(catalogue.problems);
        assertThat(catalogue.rows).as("metric rows in " + CATALOGUE).hasSizeGreaterThan(10);
        Set<String> seen = new HashSet<>();
        for (Row row : catalogue.rows) {
            String where = "docs/metrics.md:" + row.line + ": ";
            Matcher name = Pattern.compile("`(cdn_[a-z0-9_]+)`").matcher(row.name);
            if (!name.matches()) {
                problems.add(where + "the Metric cell is not one `cdn_…` name: " + row.name);
                continue;
            }
            String metric = name.group(1);
            if (!seen.add(metric)) {
                problems.add(where + metric + " is listed twice");
            }
            if (!Set.of("counter", "gauge", "summary").contains(row.type)) {
                problems.add(where + metric + ": type is not counter, gauge or summary: " + row.type);
            }
            if (row.type.equals("counter") != metric.endsWith("_total")) {
                problems.add(where + metric + ": counters, and only counters, end in _total (type " + row.type + ")");
            }
            if (row.type.equals("summary") && !metric.endsWith("_seconds")) {
                problems.add(where + metric + ": summaries are timers, in seconds: the name ends in _seconds");
            }
            if (!row.labels.equals("—")) {
                String labels = row.labels.replaceAll("\\([^)]*\\)", "").strip();
                for (String label : labels.split("\\s*,\\s*")) {
                    Matcher l = Pattern.compile("`([a-z_][a-z0-9_]*)`").matcher(label.strip());
                    if (!l.matches()) {
                        problems.add(where + metric + ": labels are `name` (values) or —, not: " + row.labels);
                    } else if (EXPORTED_LABELS.contains(l.group(1))) {
                        problems.add(where + metric + ": " + l.group(1) + " is added to every metric, not listed");
                    }
                }
            }
            if (row.meaning.isBlank()) {
                problems.add(where + metric + ": no meaning");
            }
        }
        assertThat(catalogue.jvmPatterns).as("`jvm_…` names in the catalogue's JVM section").isNotEmpty();
        assertThat(problems).as("docs/metrics.md").isEmpty();
    }

    // ------------------------------------------------------------------------------------------ dashboard

    @Test
    void theDashboardIsAnImportableGrafanaDashboard() throws IOException {
        JsonNode dashboard = dashboard();
        assertThat(dashboard.path("uid").asText()).isEqualTo("blue-origin-cdn");
        assertThat(dashboard.path("title").asText()).isEqualTo("Blue Origin CDN");
        assertThat(dashboard.path("schemaVersion").isInt()).as("schemaVersion is a number").isTrue();
        assertThat(dashboard.path("schemaVersion").asInt()).isBetween(36, 41);
        assertThat(dashboard.path("id").isNull() || dashboard.path("id").isMissingNode())
                .as("no database id: Grafana assigns one on import").isTrue();
        assertThat(dashboard.path("panels").isArray()).isTrue();

        JsonNode datasource = variables(dashboard).get("datasource");
        assertThat(datasource).as("a `datasource` template variable").isNotNull();
        assertThat(datasource.path("type").asText()).isEqualTo("datasource");
        assertThat(datasource.path("query").asText()).isEqualTo("prometheus");
    }

    @Test
    void everyPanelHasAUniqueIdAKnownTypeAndTheDatasourceVariable() throws IOException {
        List<String> problems = new ArrayList<>();
        Set<Integer> ids = new HashSet<>();
        Set<String> titles = new HashSet<>();
        for (JsonNode panel : panels(dashboard())) {
            String name = describe(panel);
            if (!panel.path("id").isInt()) {
                problems.add(name + ": no numeric id");
            } else if (!ids.add(panel.path("id").asInt())) {
                problems.add(name + ": id " + panel.path("id").asInt() + " is used twice");
            }
            String type = panel.path("type").asText();
            if (!PANEL_TYPES.contains(type)) {
                problems.add(name + ": type " + type + " is not one of " + PANEL_TYPES);
            }
            if (panel.path("title").asText().isBlank()) {
                problems.add(name + ": no title");
            } else if (!titles.add(panel.path("title").asText()) && !type.equals("row")) {
                problems.add(name + ": the title is used twice");
            }
            if (type.equals("row")) {
                continue;
            }
            if (!panel.path("datasource").path("uid").asText().equals("${datasource}")) {
                problems.add(name + ": its datasource is not ${datasource}: " + panel.path("datasource"));
            }
            for (JsonNode target : panel.path("targets")) {
                if (target.has("datasource") && !target.path("datasource").path("uid").asText().equals("${datasource}")) {
                    problems.add(name + ": a target's datasource is not ${datasource}: " + target.path("datasource"));
                }
            }
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void panelsFitTheGridWithoutOverlapping() throws IOException {
        List<String> problems = new ArrayList<>();
        List<JsonNode> placed = new ArrayList<>();
        for (JsonNode panel : panels(dashboard())) {
            JsonNode grid = panel.path("gridPos");
            String name = describe(panel);
            if (!(grid.path("x").isInt() && grid.path("y").isInt() && grid.path("w").isInt() && grid.path("h").isInt())) {
                problems.add(name + ": gridPos needs integer x, y, w, h: " + grid);
                continue;
            }
            int x = grid.path("x").asInt(), y = grid.path("y").asInt(), w = grid.path("w").asInt(), h = grid.path("h").asInt();
            if (x < 0 || y < 0 || w < 1 || h < 1 || x + w > GRID_WIDTH) {
                problems.add(name + ": gridPos " + grid + " is outside the 24-column grid");
            }
            for (JsonNode other : placed) {
                JsonNode o = other.path("gridPos");
                boolean overlap = x < o.path("x").asInt() + o.path("w").asInt() && o.path("x").asInt() < x + w
                        && y < o.path("y").asInt() + o.path("h").asInt() && o.path("y").asInt() < y + h;
                if (overlap) {
                    problems.add(name + " " + grid + " overlaps " + describe(other) + " " + o);
                }
            }
            placed.add(panel);
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void everyPanelQueriesPrometheusWithAnExpressionAndARefId() throws IOException {
        List<String> problems = new ArrayList<>();
        for (JsonNode panel : panels(dashboard())) {
            if (panel.path("type").asText().equals("row")) {
                continue;
            }
            String name = describe(panel);
            if (!panel.path("targets").isArray() || panel.path("targets").isEmpty()) {
                problems.add(name + ": no targets");
            }
            Set<String> refIds = new HashSet<>();
            for (JsonNode target : panel.path("targets")) {
                if (target.path("expr").asText().isBlank()) {
                    problems.add(name + ": a target without expr: " + target);
                }
                String refId = target.path("refId").asText();
                if (refId.isBlank()) {
                    problems.add(name + ": a target without refId: " + target);
                } else if (!refIds.add(refId)) {
                    problems.add(name + ": refId " + refId + " is used twice");
                }
            }
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void everyExpressionIsBalanced() throws IOException {
        List<String> problems = new ArrayList<>();
        for (Query query : queries(dashboard())) {
            balanceProblem(query.expr).ifPresent(p -> problems.add(query.where + ": " + p + " in " + query.expr));
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void everyExpressionUsesOnlyCataloguedMetrics() throws IOException {
        Catalogue catalogue = Catalogue.parse(Files.readString(CATALOGUE));
        List<String> problems = new ArrayList<>();
        Set<String> used = new LinkedHashSet<>();
        for (Query query : queries(dashboard())) {
            List<String> metrics = metricNames(query.expr);
            if (metrics.isEmpty()) {
                problems.add(query.where + ": no cdn_* or jvm_* metric in " + query.expr);
            }
            for (String metric : metrics) {
                used.add(metric);
                if (!catalogue.declares(metric)) {
                    problems.add(query.where + ": " + metric + " is not in docs/metrics.md (" + query.expr + ")");
                }
            }
        }
        assertThat(problems).isEmpty();
        assertThat(used).as("the dashboard shows some of each kind").anyMatch(m -> m.startsWith("cdn_"))
                .anyMatch(m -> m.startsWith("jvm_"));
    }

    @Test
    void countersAreRatedGaugesAreNotAndSummariesAreReadByQuantile() throws IOException {
        Catalogue catalogue = Catalogue.parse(Files.readString(CATALOGUE));
        List<String> problems = new ArrayList<>();
        for (Query query : queries(dashboard())) {
            if (query.variable) {
                continue; // label_values(metric, label) names a metric without reading its value
            }
            List<Token> tokens = lex(withoutVariables(query.expr));
            for (int i = 0; i < tokens.size(); i++) {
                Token token = tokens.get(i);
                if (!token.isMetric() || followedBy(tokens, i, "(")) {
                    continue;
                }
                String type = catalogue.typeOf(token.text);
                String function = enclosingFunction(tokens, i);
                boolean rated = RATE_FUNCTIONS.contains(function);
                String where = query.where + ": " + token.text + " ";
                if ("counter".equals(type) && !rated) {
                    problems.add(where + "is a counter: read it through rate() or increase(), not "
                            + (function.isEmpty() ? "bare" : function + "()") + ", in " + query.expr);
                } else if (("gauge".equals(type) || "summary".equals(type)) && rated) {
                    problems.add(where + "is a " + type + ": " + function + "() of it means nothing, in " + query.expr);
                }
                if ("summary".equals(type) && !selectsQuantile(tokens, i)) {
                    problems.add(where + "is a summary: select one quantile=\"…\" in " + query.expr);
                }
            }
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void everyVariableUsedIsDefinedBeforeUse() throws IOException {
        JsonNode dashboard = dashboard();
        List<String> problems = new ArrayList<>();
        Set<String> defined = new LinkedHashSet<>();
        for (JsonNode variable : dashboard.path("templating").path("list")) {
            String name = variable.path("name").asText();
            // a variable's own query may use the ones before it (pop's uses role)
            for (String used : variablesIn(variable.path("query").toString() + variable.path("datasource"))) {
                if (!defined.contains(used)) {
                    problems.add("variable " + name + " uses $" + used + ", not defined before it");
                }
            }
            if (!defined.add(name)) {
                problems.add("variable " + name + " is defined twice");
            }
        }
        for (JsonNode panel : panels(dashboard)) {
            for (String used : variablesIn(panel.toString())) {
                if (!defined.contains(used)) {
                    problems.add(describe(panel) + " uses $" + used + ", which is not a template variable " + defined);
                }
            }
        }
        assertThat(problems).isEmpty();
        assertThat(defined).contains("datasource", "role", "pop");
    }

    @Test
    void theProvisioningFilesLoadTheDashboardFromThisDirectory() throws IOException {
        JsonNode datasources = YAML.readTree(PROVISIONING.resolve("datasources/prometheus.yaml").toFile());
        assertThat(datasources.path("apiVersion").asInt()).isEqualTo(1);
        assertThat(datasources.path("datasources")).hasSize(1);
        JsonNode prometheus = datasources.path("datasources").get(0);
        assertThat(prometheus.path("type").asText()).isEqualTo("prometheus");
        assertThat(prometheus.path("url").asText()).matches("https?://[^/\\s]+");

        JsonNode dashboards = YAML.readTree(PROVISIONING.resolve("dashboards/blue-origin-cdn.yaml").toFile());
        assertThat(dashboards.path("apiVersion").asInt()).isEqualTo(1);
        JsonNode provider = dashboards.path("providers").get(0);
        assertThat(provider.path("type").asText()).isEqualTo("file");
        assertThat(provider.path("options").path("path").asText()).endsWith("/ops/grafana");
        assertThat(DASHBOARD.getParent()).isEqualTo(ROOT.resolve("ops/grafana"));
    }

    // ------------------------------------------------------------------------------------------ prometheus

    @Test
    void everyScrapeJobScrapesMetricsFromHostPortTargets() throws IOException {
        JsonNode config = YAML.readTree(PROMETHEUS.toFile());
        List<String> problems = new ArrayList<>();
        for (String key : List.of("scrape_interval", "evaluation_interval")) {
            if (!config.path("global").path(key).asText().matches("\\d+(ms|s|m|h)")) {
                problems.add("global." + key + " is not a duration: " + config.path("global").path(key));
            }
        }
        assertThat(config.path("scrape_configs").isArray()).as("scrape_configs is a list").isTrue();
        Set<String> jobs = new HashSet<>();
        for (JsonNode job : config.path("scrape_configs")) {
            String name = job.path("job_name").asText();
            if (name.isBlank()) {
                problems.add("a scrape config without job_name: " + job);
            } else if (!jobs.add(name)) {
                problems.add("job " + name + " is defined twice");
            }
            if (!job.path("metrics_path").asText().equals("/metrics")) {
                problems.add(name + ": metrics_path is not /metrics: " + job.path("metrics_path"));
            }
            if (!job.path("static_configs").isArray() || job.path("static_configs").isEmpty()) {
                problems.add(name + ": no static_configs");
            }
            for (JsonNode group : job.path("static_configs")) {
                if (!group.path("targets").isArray() || group.path("targets").isEmpty()) {
                    problems.add(name + ": a static_configs entry without targets");
                }
                for (JsonNode target : group.path("targets")) {
                    Matcher m = Pattern.compile("[A-Za-z0-9.-]+:(\\d{1,5})").matcher(target.asText());
                    if (!m.matches() || Integer.parseInt(m.group(1)) > 65_535) {
                        problems.add(name + ": target " + target + " is not host:port");
                    }
                }
                group.path("labels").fieldNames().forEachRemaining(label -> {
                    if (EXPORTED_LABELS.contains(label)) {
                        problems.add(name + ": label " + label + " comes from the nodes (or Prometheus); "
                                + "setting it here renames theirs to exported_" + label);
                    }
                });
            }
        }
        assertThat(problems).isEmpty();
        assertThat(jobs).contains("cdn-edge", "cdn-shield", "cdn-admin");
    }

    @Test
    void everyDemoNodeIsScrapedOnItsManagementPortByItsRolesJob() throws IOException {
        JsonNode config = YAML.readTree(PROMETHEUS.toFile());
        Map<String, Set<String>> targets = new HashMap<>();
        for (JsonNode job : config.path("scrape_configs")) {
            for (JsonNode group : job.path("static_configs")) {
                for (JsonNode target : group.path("targets")) {
                    targets.computeIfAbsent(job.path("job_name").asText(), j -> new HashSet<>()).add(target.asText());
                }
            }
        }
        DEMO_TRAFFIC_PORTS.forEach((job, ports) -> {
            for (int port : ports) {
                assertThat(targets.getOrDefault(job, Set.of())).as(job + " scrapes the demo node on traffic port " + port)
                        .contains("127.0.0.1:" + ServerConfig.defaultManagementPort(port));
            }
        });
    }

    // ------------------------------------------------------------------------------------------ helpers

    /** The repository's root: the working directory (system-tests/ under Maven) or the nearest parent with docs/metrics.md. */
    private static Path repositoryRoot() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("docs/metrics.md")) && Files.isDirectory(dir.resolve("ops"))) {
                return dir;
            }
        }
        throw new IllegalStateException("no docs/metrics.md above " + Path.of("").toAbsolutePath());
    }

    private static JsonNode dashboard() throws IOException {
        return JSON.readTree(DASHBOARD.toFile());
    }

    /** Every panel, rows' collapsed panels included. */
    private static List<JsonNode> panels(JsonNode dashboard) {
        List<JsonNode> all = new ArrayList<>();
        for (JsonNode panel : dashboard.path("panels")) {
            all.add(panel);
            panel.path("panels").forEach(all::add);
        }
        return all;
    }

    private static Map<String, JsonNode> variables(JsonNode dashboard) {
        Map<String, JsonNode> variables = new LinkedHashMap<>();
        dashboard.path("templating").path("list").forEach(v -> variables.put(v.path("name").asText(), v));
        return variables;
    }

    private static String describe(JsonNode panel) {
        return "panel " + panel.path("id") + " \"" + panel.path("title").asText() + "\"";
    }

    /** A PromQL expression of the dashboard: a panel's target, or a query variable's query. */
    private record Query(String where, String expr, boolean variable) {}

    private static List<Query> queries(JsonNode dashboard) {
        List<Query> queries = new ArrayList<>();
        for (JsonNode panel : panels(dashboard)) {
            for (JsonNode target : panel.path("targets")) {
                queries.add(new Query(describe(panel) + " target " + target.path("refId").asText(),
                        target.path("expr").asText(), false));
            }
        }
        for (JsonNode variable : variables(dashboard).values()) {
            if (variable.path("type").asText().equals("query")) {
                JsonNode query = variable.path("query");
                queries.add(new Query("variable " + variable.path("name").asText(),
                        query.isObject() ? query.path("query").asText() : query.asText(), true));
            }
        }
        return queries;
    }

    private static final Pattern VARIABLE = Pattern.compile("\\$\\{(\\w+)(?::[\\w-]+)?}|\\$(\\w+)|\\[\\[(\\w+)(?::[\\w-]+)?]]");

    /** Names of the template variables a text uses, Grafana's global ones left out. */
    private static Set<String> variablesIn(String text) {
        Set<String> names = new LinkedHashSet<>();
        Matcher m = VARIABLE.matcher(text);
        while (m.find()) {
            String name = m.group(1) != null ? m.group(1) : m.group(2) != null ? m.group(2) : m.group(3);
            if (!GRAFANA_VARIABLES.contains(name)) {
                names.add(name);
            }
        }
        return names;
    }

    /** The expression as Prometheus gets it, near enough: variables replaced by a duration or a regex. */
    private static String withoutVariables(String expr) {
        Matcher m = VARIABLE.matcher(expr);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(1) != null ? m.group(1) : m.group(2) != null ? m.group(2) : m.group(3);
            m.appendReplacement(out, name.startsWith("__") ? "5m" : ".*");
        }
        return m.appendTail(out).toString();
    }

    /** The metric names an expression reads: cdn_* and jvm_* identifiers outside strings, not called. */
    private static List<String> metricNames(String expr) {
        List<Token> tokens = lex(withoutVariables(expr));
        List<String> names = new ArrayList<>();
        for (int i = 0; i < tokens.size(); i++) {
            if (tokens.get(i).isMetric() && !followedBy(tokens, i, "(")) {
                names.add(tokens.get(i).text);
            }
        }
        return names;
    }

    private static Optional<String> balanceProblem(String expr) {
        Deque<Character> open = new ArrayDeque<>();
        String text = withoutVariables(expr);
        try {
            for (Token token : lex(text)) {
                if (token.kind != Kind.PUNCT) {
                    continue;
                }
                char c = token.text.charAt(0);
                switch (c) {
                    case '(', '[', '{' -> open.push(c);
                    case ')', ']', '}' -> {
                        char expected = c == ')' ? '(' : c == ']' ? '[' : '{';
                        if (open.isEmpty() || open.pop() != expected) {
                            return Optional.of("unmatched '" + c + "' at " + token.at);
                        }
                    }
                    default -> { }
                }
            }
        } catch (IllegalArgumentException e) {
            return Optional.of(e.getMessage());
        }
        return open.isEmpty() ? Optional.empty() : Optional.of("unclosed '" + open.peek() + "'");
    }

    private static boolean followedBy(List<Token> tokens, int i, String text) {
        return i + 1 < tokens.size() && tokens.get(i + 1).text.equals(text);
    }

    /** The function whose parentheses hold token i ("" at the top level or in a bare group). */
    private static String enclosingFunction(List<Token> tokens, int i) {
        int depth = 0;
        for (int j = i - 1; j >= 0; j--) {
            String t = tokens.get(j).text;
            if (t.equals(")")) {
                depth++;
            } else if (t.equals("(")) {
                if (depth == 0) {
                    return j > 0 && tokens.get(j - 1).kind == Kind.IDENT ? tokens.get(j - 1).text : "";
                }
                depth--;
            }
        }
        return "";
    }

    /** Whether the selector after token i has a quantile="…" matcher. */
    private static boolean selectsQuantile(List<Token> tokens, int i) {
        if (!followedBy(tokens, i, "{")) {
            return false;
        }
        for (int j = i + 2; j + 2 < tokens.size() && !tokens.get(j).text.equals("}"); j++) {
            if (tokens.get(j).text.equals("quantile") && tokens.get(j + 1).text.equals("=")
                    && tokens.get(j + 2).kind == Kind.STRING) {
                return true;
            }
        }
        return false;
    }

    private enum Kind { IDENT, STRING, NUMBER, PUNCT }

    private record Token(Kind kind, String text, int at) {
        boolean isMetric() {
            return kind == Kind.IDENT && (text.startsWith("cdn_") || text.startsWith("jvm_"));
        }
    }

    /** A PromQL lexer good enough for the checks: identifiers, strings, numbers and durations, punctuation. */
    private static List<Token> lex(String expr) {
        List<Token> tokens = new ArrayList<>();
        int i = 0;
        while (i < expr.length()) {
            char c = expr.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '"' || c == '\'' || c == '`') {
                int start = i++;
                while (i < expr.length() && expr.charAt(i) != c) {
                    i += expr.charAt(i) == '\\' && c != '`' ? 2 : 1;
                }
                if (i >= expr.length()) {
                    throw new IllegalArgumentException("unterminated string at " + start);
                }
                i++;
                tokens.add(new Token(Kind.STRING, expr.substring(start, i), start));
            } else if (Character.isLetter(c) || c == '_' || c == ':') {
                int start = i;
                while (i < expr.length() && (Character.isLetterOrDigit(expr.charAt(i)) || expr.charAt(i) == '_'
                        || expr.charAt(i) == ':')) {
                    i++;
                }
                tokens.add(new Token(Kind.IDENT, expr.substring(start, i), start));
            } else if (Character.isDigit(c) || c == '.') {
                int start = i;
                while (i < expr.length() && (Character.isLetterOrDigit(expr.charAt(i)) || expr.charAt(i) == '.')) {
                    i++;
                }
                tokens.add(new Token(Kind.NUMBER, expr.substring(start, i), start));
            } else if ((c == '=' || c == '!') && i + 1 < expr.length() && (expr.charAt(i + 1) == '~' || expr.charAt(i + 1) == '=')) {
                tokens.add(new Token(Kind.PUNCT, expr.substring(i, i + 2), i));
                i += 2;
            } else {
                tokens.add(new Token(Kind.PUNCT, String.valueOf(c), i));
                i++;
            }
        }
        return tokens;
    }

    /** One row of a metrics table in docs/metrics.md: the cells as written. */
    private record Row(int line, String name, String type, String labels, String meaning) {}

    /** docs/metrics.md read: its tables' metrics and types, and the JVM section's names as patterns. */
    private static final class Catalogue {
        private static final String HEADER = "| Metric | Type | Labels | Meaning |";
        final List<Row> rows = new ArrayList<>();
        final Map<String, String> types = new HashMap<>();
        final List<Pattern> jvmPatterns = new ArrayList<>();
        final List<String> problems = new ArrayList<>();

        static Catalogue parse(String markdown) {
            Catalogue catalogue = new Catalogue();
            String[] lines = markdown.split("\n", -1);
            boolean inTable = false;
            String section = "";
            StringBuilder jvm = new StringBuilder();
            for (int n = 0; n < lines.length; n++) {
                String line = lines[n].strip();
                if (line.startsWith("## ")) {
                    section = line.substring(3).strip();
                }
                if (section.startsWith("JVM")) {
                    jvm.append(line).append('\n');
                }
                if (line.startsWith("| Metric ")) {
                    if (!line.replaceAll("\\s+", " ").equals(HEADER)) {
                        catalogue.problems.add("docs/metrics.md:" + (n + 1) + ": table header is not " + HEADER);
                    }
                    inTable = true;
                    if (n + 1 < lines.length && lines[n + 1].strip().matches("\\|[-:| ]+\\|")) {
                        n++; // the |---| line
                    } else {
                        catalogue.problems.add("docs/metrics.md:" + (n + 2) + ": no |---| line under the table header");
                    }
                    continue;
                }
                if (!line.startsWith("|")) {
                    inTable = false;
                    continue;
                }
                if (!inTable) {
                    continue;
                }
                List<String> cells = cells(line);
                if (cells.size() != 4) {
                    catalogue.problems.add("docs/metrics.md:" + (n + 1) + ": " + cells.size() + " cells, not 4: " + line);
                    continue;
                }
                Row row = new Row(n + 1, cells.get(0), cells.get(1), cells.get(2), cells.get(3));
                catalogue.rows.add(row);
                Matcher name = Pattern.compile("`(cdn_[a-z0-9_]+)`").matcher(row.name);
                if (name.matches()) {
                    catalogue.types.put(name.group(1), row.type);
                }
            }
            Matcher names = Pattern.compile("`(jvm_[^`]+)`").matcher(jvm);
            while (names.find()) {
                StringBuilder regex = new StringBuilder();
                for (String part : names.group(1).split("(?=[*<])|(?<=[*>])")) {
                    if (part.equals("*") || part.matches("<[a-z]+>")) {
                        regex.append("[A-Za-z0-9_]+");
                    } else {
                        regex.append(Pattern.quote(part));
                    }
                }
                catalogue.jvmPatterns.add(Pattern.compile(regex.toString()));
            }
            return catalogue;
        }

        private static List<String> cells(String line) {
            String inner = line.substring(1, line.endsWith("|") ? line.length() - 1 : line.length());
            List<String> cells = new ArrayList<>();
            for (String cell : inner.split("(?<!\\\\)\\|", -1)) {
                cells.add(cell.strip());
            }
            return cells;
        }

        /** Whether an expression may read the metric: a catalogued name, a summary's _count, or a JVM name. */
        boolean declares(String metric) {
            return typeOf(metric) != null || jvmPatterns.stream().anyMatch(p -> p.matcher(metric).matches());
        }

        /** counter, gauge or summary; null for JVM names (Dropwizard gauges) and unknown ones. */
        String typeOf(String metric) {
            if (types.containsKey(metric)) {
                return types.get(metric);
            }
            if (metric.endsWith("_count") && "summary".equals(types.get(metric.substring(0, metric.length() - 6)))) {
                return "counter"; // a summary's _count sample counts observations
            }
            return null;
        }
    }
}
