package io.blueorigin.cdn.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.blueorigin.cdn.admin.health.HealthCheckConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every reporting query in {@code ops/sql/} run as written by the {@code psql} binary against a database migrated by a
 * real admin and filled through its API (nodes registered with node tokens, purges, tag purges, bans, purge-all, a site
 * and its signing key, acks, heartbeats with traffic, a node taken down by failed health probes, a drain): each file's
 * CSV header must be exactly the columns listed in {@link #COLUMNS} (a file without a list, or a list without a file,
 * fails), and the rows must show what was put in. Skipped where psql is not installed
 * ({@code bash scripts/install-tools.sh} installs it).
 */
class SqlReportsIT {
    /** Each file of ops/sql/ and the columns it answers, in order. */
    private static final Map<String, List<String>> COLUMNS = Map.of(
            "invalidations_per_day.sql", List.of("day", "kind", "invalidations", "soft", "targets"),
            "propagation_per_node.sql", List.of("node", "role", "pop", "applied", "p50_ms", "p99_ms", "max_ms"),
            "slowest_nodes.sql", List.of("node", "role", "pop", "applied", "p99_ms", "max_ms", "slowest_invalidation_id"),
            "who_purged_what.sql", List.of("created_at", "created_by", "kind", "soft", "site", "target", "targets",
                    "expires_at", "id"),
            "active_bans.sql", List.of("id", "ban_kind", "pattern", "site", "created_by", "created_at", "expires_at",
                    "remaining_seconds"),
            "tags_most_purged.sql", List.of("tag", "purges", "last_purged_at", "last_purged_by"),
            "traffic_per_node_hourly.sql", List.of("hour", "node", "role", "pop", "requests", "hits", "hit_ratio",
                    "bytes_served", "bytes_upstream", "bytes_saved"),
            "traffic_per_tier_hourly.sql", List.of("hour", "tier", "nodes", "requests", "hits", "hit_ratio",
                    "bytes_served", "bytes_upstream", "bytes_saved"),
            "node_downs.sql", List.of("node", "role", "pop", "downs", "last_down_at", "last_down_reason", "state",
                    "state_since"),
            "node_state_changes.sql", List.of("changed_at", "node", "role", "pop", "from_state", "to_state", "reason",
                    "actor"));

    /**
     * Probes every second with a generous timeout: the flaky stub fails by answering 503, never by being slow, so
     * a loaded machine cannot take the healthy ones down (an 80 ms timeout did, once). No lag-based degradation, no
     * flap damping.
     */
    private static final HealthCheckConfig FAST = new HealthCheckConfig(Duration.ofSeconds(1), Duration.ofMillis(900),
            2, 2, Duration.ofHours(1), Duration.ZERO);
    private static final Path SQL = repositoryRoot().resolve("ops/sql");
    private static final DateTimeFormatter PSQL_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss'+00'")
            .withZone(ZoneOffset.UTC);

    private static ReadyzStub healthy;
    private static ReadyzStub flaky;
    private static TestAdmin admin;
    private static String url;
    /** The UTC hour the heartbeats are dated in: two hours before the one the test started in. */
    private static Instant hour;
    private static final Map<String, Long> ids = new HashMap<>();
    private static String keySecret;

    @BeforeAll
    static void start() {
        Optional<String> psql = Psql.version();
        assumeTrue(psql.isPresent(), "psql is not installed: run `bash scripts/install-tools.sh` (Debian's"
                + " postgresql-client) to run the ops/sql/ reports test");
        healthy = new ReadyzStub();
        flaky = new ReadyzStub();
        String jdbc = TestPostgres.freshDatabase();
        url = Psql.libpqUrl(jdbc);
        admin = TestAdmin.start(jdbc, Duration.ofSeconds(5), FAST);
        fill();
    }

    @AfterAll
    static void stop() {
        if (admin != null) {
            admin.close();
        }
        if (healthy != null) {
            healthy.close();
        }
        if (flaky != null) {
            flaky.close();
        }
    }

    // ------------------------------------------------------------------------------------------------ the data

    private static void fill() {
        register("edge-nyc", "edge", "nyc", healthy);
        register("edge-lhr", "edge", "lhr", flaky);
        register("shield-iad", "shield", "iad", healthy);
        ApiClient alice = admin.as(admin.token("ops-alice", Scope.PURGE));
        ApiClient bob = admin.as(admin.token("ops-bob", Scope.PURGE));

        ids.put("purge", accepted(alice.post("/api/v1/purge", "{\"urls\": [\"/item/1\", \"/item/2?x=1\"]}")));
        ids.put("tags", accepted(alice.post("/api/v1/purge/tags", "{\"tags\": [\"item-3\", \"items\"]}")));
        ids.put("softTags", accepted(bob.post("/api/v1/purge/tags", "{\"tags\": [\"item-3\"], \"soft\": true}")));
        ids.put("ban", accepted(bob.post("/api/v1/bans", "{\"kind\": \"prefix\", \"pattern\": \"/static/\", \"ttlSeconds\": 600}")));
        ids.put("expiredBan", accepted(alice.post("/api/v1/bans",
                "{\"kind\": \"host\", \"pattern\": \"old.example.com\", \"ttlSeconds\": 600}")));
        // expired a minute ago (test setup: waiting out a real TTL would be a sleep)
        admin.sql("UPDATE invalidations SET ban_expires_at = now() - interval '1 minute' WHERE id = " + ids.get("expiredBan"));
        ids.put("purgeAll", accepted(alice.post("/api/v1/purge-all", "{\"soft\": true}")));
        ApiClient.Reply site = admin.admin().put("/api/v1/sites/v", "{\"hosts\": [\"v.example.com\"],"
                + " \"origins\": [{\"url\": \"http://10.0.0.7\"}]}");
        assertThat(site.status()).as(site.body()).isEqualTo(201);
        ApiClient.Reply key = admin.admin().post("/api/v1/sites/v/keys", "{}");
        assertThat(key.status()).as(key.body()).isEqualTo(201);
        keySecret = text("SELECT payload -> 'keys' -> 0 ->> 'secret' FROM invalidations WHERE kind = 'keys_put'");
        ids.put("sitePurge", accepted(bob.post("/api/v1/purge", "{\"urls\": [\"/v/1\"], \"site\": \"v\"}")));

        // acks: propagation in ms after created_at, by the node's clock
        ack("shield-iad", ids.get("purge"), 20);
        ack("edge-nyc", ids.get("purge"), 40);
        ack("edge-nyc", ids.get("tags"), 60);
        ack("edge-lhr", ids.get("purge"), 900);
        ack("edge-lhr", ids.get("tags"), 1500);

        // heartbeats, dated into one past hour: edge-nyc a baseline and two steps; shield-iad a baseline and a step;
        // edge-lhr a step from a baseline more than an hour before the hour starts (not counted)
        hour = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofHours(2));
        beat("edge-nyc", hour.plus(Duration.ofMinutes(10)), traffic(100, 0, 10, 1000, 100));
        beat("edge-nyc", hour.plus(Duration.ofMinutes(20)), traffic(190, 10, 20, 2000, 150));
        beat("edge-nyc", hour.plus(Duration.ofMinutes(40)), traffic(280, 10, 30, 3000, 200));
        beat("shield-iad", hour.plus(Duration.ofMinutes(5)), traffic(0, 0, 0, 0, 0));
        beat("shield-iad", hour.plus(Duration.ofMinutes(50)), traffic(25, 0, 25, 5000, 2500));
        beat("edge-lhr", hour.minus(Duration.ofMinutes(70)), traffic(0, 0, 0, 0, 0));
        beat("edge-lhr", hour.plus(Duration.ofMinutes(30)), traffic(500, 0, 500, 9000, 9000));

        // edge-lhr fails its probes, goes down, comes back; edge-nyc is drained by an operator
        flaky.answer(503);
        await().atMost(Duration.ofSeconds(30)).until(() -> state("edge-lhr").equals("down"));
        flaky.answer(200);
        await().atMost(Duration.ofSeconds(30)).until(() -> state("edge-lhr").equals("healthy"));
        ApiClient.Reply drained = admin.admin().post("/api/v1/nodes/edge-nyc/drain", "{}");
        assertThat(drained.status()).as(drained.body()).isEqualTo(200);
    }

    private static void register(String name, String role, String pop, ReadyzStub stub) {
        ApiClient.Reply reply = admin.node(name).post("/api/v1/nodes/register", "{\"name\": \"" + name + "\", \"role\": \""
                + role + "\", \"pop\": \"" + pop + "\", \"trafficUrl\": \"http://127.0.0.1:1\", \"managementUrl\": \""
                + stub.url() + "\", \"lastApplied\": 0}");
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
    }

    private static long accepted(ApiClient.Reply reply) {
        assertThat(reply.status()).as(reply.body()).isEqualTo(202);
        return reply.json().path("id").asLong();
    }

    /** {@code node} acknowledges entry {@code id} as applied {@code millis} after it was created. */
    private static void ack(String node, long id, long millis) {
        Instant created = Instant.parse(admin.admin().get("/api/v1/invalidations/" + id).json().path("createdAt").asText());
        ApiClient.Reply reply = admin.node(node).post("/api/v1/nodes/" + node + "/acks", "{\"acks\": [{\"id\": " + id
                + ", \"objectsAffected\": 1, \"appliedAt\": \"" + created.plusMillis(millis) + "\"}]}");
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        assertThat(reply.json().path("acked").asInt()).isEqualTo(1);
    }

    /** A heartbeat of {@code node} with {@code stats}, then dated {@code at} (before the node's next one). */
    private static void beat(String node, Instant at, String stats) {
        ApiClient.Reply reply = admin.node(node).post("/api/v1/nodes/" + node + "/heartbeat",
                "{\"lastApplied\": 0, \"stats\": " + stats + "}");
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        admin.sql("UPDATE node_stats SET at = '" + at + "' WHERE id = (SELECT max(id) FROM node_stats)");
    }

    /** Cumulative counters as nodes send them (one process start): hit, stale, miss requests; bytes. */
    private static String traffic(long hit, long stale, long miss, long served, long upstream) {
        return "{\"traffic\": {\"startedAt\": \"2026-01-01T00:00:00Z\", \"requests\": {\"hit\": " + hit + ", \"stale\": "
                + stale + ", \"revalidated\": 0, \"miss\": " + miss + ", \"pass\": 0, \"error\": 0}, \"bytesServed\": "
                + served + ", \"bytesUpstream\": " + upstream + ", \"upstreamRequests\": " + miss + "}}";
    }

    private static String state(String name) {
        for (JsonNode node : admin.admin().get("/api/v1/nodes").json().path("nodes")) {
            if (node.path("name").asText().equals(name)) {
                return node.path("state").asText();
            }
        }
        throw new AssertionError("no node " + name);
    }

    private static String text(String query) {
        try (Connection c = admin.node.database().dataSource().getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(query)) {
            assertThat(rs.next()).as(query).isTrue();
            return rs.getString(1);
        } catch (SQLException e) {
            throw new IllegalStateException(query, e);
        }
    }

    // ------------------------------------------------------------------------------------------------ running

    private static Path repositoryRoot() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("ops/sql")) && Files.isDirectory(dir.resolve("db/migrations"))) {
                return dir;
            }
        }
        throw new IllegalStateException("no ops/sql/ above " + Path.of("").toAbsolutePath());
    }

    private static List<Path> files() throws IOException {
        try (Stream<Path> list = Files.list(SQL)) {
            return list.filter(p -> p.getFileName().toString().endsWith(".sql")).sorted().toList();
        }
    }

    /** The rows (header first) {@code file} prints with these variables; fails on any error or warning. */
    private static List<List<String>> run(String file, Map<String, String> variables) {
        Psql.Result result = Psql.run(url, SQL.resolve(file), variables);
        assertThat(result.exitCode()).as("psql -f ops/sql/%s: %s", file, result.stderr()).isZero();
        assertThat(result.stderr()).as("psql -f ops/sql/%s printed to stderr", file).isEmpty();
        List<List<String>> rows = result.rows();
        assertThat(rows).as("ops/sql/%s printed no header", file).isNotEmpty();
        return rows;
    }

    private static List<List<String>> run(String file) {
        return run(file, Map.of());
    }

    /** The data rows of {@code rows} whose column {@code column} is {@code value}. */
    private static List<List<String>> where(List<List<String>> rows, String column, String value) {
        int i = rows.get(0).indexOf(column);
        assertThat(i).as("column %s in %s", column, rows.get(0)).isNotNegative();
        return rows.subList(1, rows.size()).stream().filter(r -> r.get(i).equals(value)).toList();
    }

    private static String id(String name) {
        return Long.toString(ids.get(name));
    }

    // ------------------------------------------------------------------------------------------------ the tests

    @Test
    void everyFileRunsAsWrittenWithTheColumnsListedHereAndReadsOnlyReportingViews() throws IOException {
        List<String> names = files().stream().map(p -> p.getFileName().toString()).toList();
        assertThat(names).as("ops/sql/*.sql and the files SqlReportsIT.COLUMNS lists")
                .containsExactlyInAnyOrderElementsOf(new TreeSet<>(COLUMNS.keySet()));
        Pattern relation = Pattern.compile("\\b(?:FROM|JOIN)\\s+([A-Za-z_][A-Za-z0-9_.]*)", Pattern.CASE_INSENSITIVE);
        for (String name : names) {
            String sql = Files.readString(SQL.resolve(name));
            assertThat(sql).as("ops/sql/%s names its command", name).contains("-f ops/sql/" + name);
            Matcher m = relation.matcher(sql.replaceAll("(?m)--.*$", ""));
            List<String> read = new ArrayList<>();
            while (m.find()) {
                read.add(m.group(1));
            }
            assertThat(read).as("relations ops/sql/%s reads", name).isNotEmpty().allMatch(r -> r.startsWith("reporting."));
            assertThat(run(name).get(0)).as("columns of ops/sql/%s", name).containsExactlyElementsOf(COLUMNS.get(name));
        }
    }

    @Test
    void invalidationsPerDayCountTodaysEntriesByKind() {
        List<List<String>> rows = run("invalidations_per_day.sql");
        String today = Instant.now().atZone(ZoneOffset.UTC).toLocalDate().toString();
        assertThat(where(rows, "kind", "purge")).containsExactly(List.of(today, "purge", "2", "0", "3"));
        assertThat(where(rows, "kind", "purge_tags")).containsExactly(List.of(today, "purge_tags", "2", "1", "3"));
        assertThat(where(rows, "kind", "ban")).containsExactly(List.of(today, "ban", "2", "0", "2"));
        assertThat(where(rows, "kind", "purge_all")).containsExactly(List.of(today, "purge_all", "1", "1", "1"));
        assertThat(where(rows, "kind", "keys_put")).hasSize(1);
        // a window that ends before today's entries
        assertThat(run("invalidations_per_day.sql", Map.of("since", "0 seconds"))).hasSize(1);
    }

    @Test
    void propagationPerNodeGivesMedianAnd99thPercentileOfEachNodesAcks() {
        List<List<String>> rows = run("propagation_per_node.sql");
        assertThat(rows.subList(1, rows.size())).containsExactly(
                List.of("edge-lhr", "edge", "lhr", "2", "1200", "1494", "1500"),
                List.of("edge-nyc", "edge", "nyc", "2", "50", "60", "60"),
                List.of("shield-iad", "shield", "iad", "1", "20", "20", "20"));
    }

    @Test
    void slowestNodesComeFirstWithTheirSlowestEntry() {
        List<List<String>> rows = run("slowest_nodes.sql");
        assertThat(rows.subList(1, rows.size())).containsExactly(
                List.of("edge-lhr", "edge", "lhr", "2", "1494", "1500", id("tags")),
                List.of("edge-nyc", "edge", "nyc", "2", "60", "60", id("tags")),
                List.of("shield-iad", "shield", "iad", "1", "20", "20", id("purge")));
        assertThat(run("slowest_nodes.sql", Map.of("top", "1"))).hasSize(2);
    }

    @Test
    void whoPurgedWhatNamesTokensAndTargetsButNoConfigurationEntries() {
        List<List<String>> rows = run("who_purged_what.sql");
        List<String> header = rows.get(0);
        List<String> purge = where(rows, "id", id("purge")).get(0);
        assertThat(purge.get(header.indexOf("created_by"))).isEqualTo("ops-alice");
        assertThat(purge.get(header.indexOf("target"))).isEqualTo("/item/1 /item/2?x=1");
        assertThat(purge.get(header.indexOf("targets"))).isEqualTo("2");
        List<String> ban = where(rows, "id", id("ban")).get(0);
        assertThat(ban.get(header.indexOf("created_by"))).isEqualTo("ops-bob");
        assertThat(ban.get(header.indexOf("target"))).isEqualTo("prefix /static/");
        assertThat(ban.get(header.indexOf("expires_at"))).isNotEmpty();
        assertThat(where(rows, "id", id("sitePurge")).get(0).get(header.indexOf("site"))).isEqualTo("v");
        assertThat(where(rows, "target", "everything")).hasSize(1);
        assertThat(where(rows, "kind", "keys_put")).isEmpty();
        assertThat(where(rows, "kind", "site_put")).isEmpty();
        assertThat(rows.subList(1, rows.size()).stream().map(r -> r.get(header.indexOf("id"))).toList())
                .containsExactly(id("sitePurge"), id("purgeAll"), id("expiredBan"), id("ban"), id("softTags"), id("tags"),
                        id("purge"));

        List<List<String>> bobs = run("who_purged_what.sql", Map.of("who", "ops-bob", "limit", "2"));
        assertThat(bobs.subList(1, bobs.size()).stream().map(r -> r.get(header.indexOf("id"))).toList())
                .containsExactly(id("sitePurge"), id("ban"));
    }

    @Test
    void activeBansListOnlyTheUnexpiredBan() {
        List<List<String>> rows = run("active_bans.sql");
        assertThat(rows).hasSize(2);
        List<String> ban = rows.get(1);
        assertThat(ban.subList(0, 5)).containsExactly(id("ban"), "prefix", "/static/", "", "ops-bob");
        assertThat(Long.parseLong(ban.get(7))).isBetween(1L, 600L);
    }

    @Test
    void tagsMostPurgedCountsEachTagWithItsLastPurge() {
        List<List<String>> rows = run("tags_most_purged.sql");
        assertThat(rows.subList(1, rows.size()).stream().map(r -> List.of(r.get(0), r.get(1), r.get(3))).toList())
                .containsExactly(List.of("item-3", "2", "ops-bob"), List.of("items", "1", "ops-alice"));
    }

    @Test
    void trafficPerNodeHourlySumsTheStepsOfTheHourAsTheStatsApiCountsThem() {
        List<List<String>> rows = run("traffic_per_node_hourly.sql");
        String h = PSQL_TIME.format(hour);
        // edge-lhr's only step starts 70 minutes before the hour: not counted, as GET /api/v1/stats?window=1h
        assertThat(rows.subList(1, rows.size())).containsExactly(
                List.of(h, "edge-nyc", "edge", "nyc", "210", "190", "0.9048", "2000", "100", "1900"),
                List.of(h, "shield-iad", "shield", "iad", "50", "25", "0.5000", "5000", "2500", "2500"));
    }

    @Test
    void trafficPerTierHourlySumsTheTiersNodes() {
        List<List<String>> rows = run("traffic_per_tier_hourly.sql");
        String h = PSQL_TIME.format(hour);
        assertThat(rows.subList(1, rows.size())).containsExactly(
                List.of(h, "edge", "1", "210", "190", "0.9048", "2000", "100", "1900"),
                List.of(h, "shield", "1", "50", "25", "0.5000", "5000", "2500", "2500"));
        // a window that ends before that hour
        assertThat(run("traffic_per_tier_hourly.sql", Map.of("since", "1 minute"))).hasSize(1);
    }

    @Test
    void nodeDownsCountEachNodesDownsAndShowItsStateNow() {
        List<List<String>> rows = run("node_downs.sql");
        assertThat(rows.subList(1, rows.size()).stream().map(r -> List.of(r.get(0), r.get(3), r.get(5), r.get(6))).toList())
                .containsExactly(
                        List.of("edge-lhr", "1", "2 failed probes: /readyz answered 503", "healthy"),
                        List.of("edge-nyc", "0", "", "draining"),
                        List.of("shield-iad", "0", "", "healthy"));
    }

    @Test
    void nodeStateChangesListEveryChangeNewestFirst() {
        List<List<String>> rows = run("node_state_changes.sql", Map.of("node", "edge-lhr"));
        assertThat(rows.subList(1, rows.size()).stream().map(r -> r.get(4) + " -> " + r.get(5)).toList())
                .containsExactly("down -> healthy", "healthy -> down", " -> healthy");
        List<List<String>> all = run("node_state_changes.sql");
        assertThat(where(all, "to_state", "draining")).singleElement()
                .satisfies(r -> assertThat(r.subList(1, 6)).containsExactly("edge-nyc", "edge", "nyc", "healthy", "draining"));
    }

    @Test
    void aBadParameterIsPostgresqlsErrorAndExitCode3() {
        Psql.Result result = Psql.run(url, SQL.resolve("invalidations_per_day.sql"), Map.of("since", "week"));
        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(result.stderr()).contains("invalid input syntax for type interval: \"week\"");
        assertThat(result.stdout()).isEmpty();
    }

    @Test
    void everyReportingViewAndColumnHasAComment() {
        assertThat(text("SELECT count(*) FROM pg_views WHERE schemaname = 'reporting'")).isEqualTo("7");
        assertThat(text("SELECT coalesce(string_agg(c.relname, ', '), '') FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                + " WHERE n.nspname = 'reporting' AND c.relkind = 'v' AND obj_description(c.oid, 'pg_class') IS NULL"))
                .as("reporting views without a comment").isEmpty();
        assertThat(text("SELECT coalesce(string_agg(c.relname || '.' || a.attname, ', '), '') FROM pg_attribute a"
                + " JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace"
                + " WHERE n.nspname = 'reporting' AND a.attnum > 0 AND NOT a.attisdropped"
                + " AND col_description(c.oid, a.attnum) IS NULL")).as("reporting columns without a comment").isEmpty();
    }

    @Test
    void noReportShowsASigningKeySecret() throws IOException {
        assertThat(keySecret).isNotEmpty();
        for (Path file : files()) {
            assertThat(Psql.run(url, file, Map.of()).stdout()).as("ops/sql/%s", file.getFileName()).doesNotContain(keySecret);
        }
        assertThat(text("SELECT count(*) FROM reporting.invalidations r WHERE r::text LIKE '%' || "
                + "(SELECT payload -> 'keys' -> 0 ->> 'secret' FROM invalidations WHERE kind = 'keys_put') || '%'"))
                .as("rows of reporting.invalidations with the key's secret").isEqualTo("0");
        assertThat(text("SELECT target FROM reporting.invalidations WHERE kind = 'keys_put'")).isEqualTo("signing keys of site v");
    }
}
