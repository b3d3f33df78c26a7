package io.blueorigin.cdn.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.blueorigin.cdn.testkit.TestDatabase;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The README's "Running nodes one by one" block, run as written with bash from the repository root: each
 * line is a process of the shaded {@code launcher/target/blue-origin.jar} (failsafe runs after {@code package}),
 * on the README's standard ports (the launcher's ITs run one at a time). One substitution: the database
 * address {@code 127.0.0.1:5432/cdn} becomes the test's embedded PostgreSQL (a role {@code cdn} with the
 * password in {@code CDN_DB_PASSWORD}, as the line's comment says). A README line without a check here
 * fails the test.
 */
class ReadmeNodesIT {
    private static final Path REPOSITORY = Path.of("..").toAbsolutePath().normalize();
    private static final String README_DATABASE = "jdbc:postgresql://127.0.0.1:5432/cdn";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** What must hold once every line runs, by the line's text (continuation lines joined with one space). */
    private static Map<String, Check> checks() {
        String jar = "java -jar launcher/target/blue-origin.jar ";
        Map<String, Check> c = new LinkedHashMap<>();
        c.put(jar + "origin --port 9001", () -> assertThat(get("http://127.0.0.1:9001/item/1", Map.of()).statusCode()).isEqualTo(200));
        c.put(jar + "shield --port 8082 --upstream http://127.0.0.1:9001 --pop iad",
                () -> assertThat(get("http://127.0.0.1:18082/readyz", Map.of()).body()).contains("ready"));
        c.put(jar + "shield --port 8083 --upstream http://127.0.0.1:9001 --pop ord",
                () -> assertThat(get("http://127.0.0.1:18083/readyz", Map.of()).body()).contains("ready"));
        c.put(jar + "edge   --port 8080 --upstream http://127.0.0.1:8082,http://127.0.0.1:8083 --pop nyc "
                + "--set upstream.fallback-url=http://127.0.0.1:9001", () -> {
                    HttpResponse<String> first = get("http://127.0.0.1:8080/item/1", Map.of());
                    assertThat(first.statusCode()).isEqualTo(200);
                    assertThat(first.headers().firstValue("Cache-Status").orElse(""))
                            .as("fetched through one of the two shields").containsPattern("shield-(iad|ord); fwd=.*edge-nyc");
                });
        c.put(jar + "admin migrate --db-url " + README_DATABASE + " --db-user cdn   # schema only, exits", () -> { });
        c.put(jar + "admin  --db-url " + README_DATABASE + " --db-user cdn   # CDN_DB_PASSWORD=...",
                () -> assertThat(get("http://127.0.0.1:19000/readyz", Map.of()).body()).contains("ready"));
        c.put(jar + "edge   --config ops/examples/edge-sites.yaml --port 8081               # a YAML file; flags win",
                () -> {
                    HttpResponse<String> www = get("http://127.0.0.1:8081/item/1", Map.of());
                    assertThat(www.statusCode()).as("cache.site www (127.0.0.1 is no site's host), origin :9001").isEqualTo(200);
                    assertThat(get("http://127.0.0.1:18081/readyz", Map.of()).body()).contains("ready");
                });
        return c;
    }

    @Test
    void everyLineStartsItsNodeAsWritten() throws Exception {
        List<String> lines = block();
        Map<String, Check> checks = checks();
        assertThat(lines).as("README 'Running nodes one by one' lines, each with a check in this test")
                .containsExactlyElementsOf(checks.keySet());
        assertThat(REPOSITORY.resolve("launcher/target/blue-origin.jar")).as("built by package, before failsafe").exists();

        String database = TestDatabase.fresh();
        try (Connection c = DriverManager.getConnection(database, "postgres", "postgres"); Statement s = c.createStatement()) {
            try {
                s.execute("CREATE ROLE cdn LOGIN PASSWORD 'readme-nodes'");
            } catch (SQLException exists) {
                // another test of this JVM made it
            }
            s.execute("ALTER DATABASE " + database.substring(database.lastIndexOf('/') + 1) + " OWNER TO cdn");
        }
        List<Node> nodes = new ArrayList<>();
        try {
            for (String line : lines) {
                Node node = new Node(line.replace(README_DATABASE, database));
                nodes.add(node);
                if (line.contains("admin migrate")) {
                    // the schema first, as an operator would; the admin line then finds nothing to apply
                    assertThat(node.process.waitFor(60, TimeUnit.SECONDS)).as("admin migrate exits").isTrue();
                    assertThat(node.process.exitValue()).as("admin migrate: %s", node.output).isZero();
                    assertThat(node.output).contains("database schema is up to date");
                }
            }
            for (Node node : nodes) {
                if (!node.line.contains("admin migrate")) {
                    await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                        assertThat(node.process.isAlive()).as("%s is running; output: %s", node.line, node.output).isTrue();
                        assertThat(node.output).as(node.line).anyMatch(l -> l.contains(" serving on http://"));
                    });
                }
            }
            for (String line : lines) {
                checks.get(line).run();
            }
        } finally {
            nodes.forEach(Node::close);
        }
    }

    /** One README line run with bash ({@code exec}: the JVM is the process itself, so SIGTERM reaches it). */
    private static final class Node implements AutoCloseable {
        final String line;
        final Process process;
        final List<String> output = new CopyOnWriteArrayList<>();

        Node(String line) throws IOException {
            this.line = line;
            ProcessBuilder builder = new ProcessBuilder("bash", "-c", "exec " + line).directory(REPOSITORY.toFile())
                    .redirectErrorStream(true);
            builder.environment().put("CDN_DB_PASSWORD", "readme-nodes");
            process = builder.start();
            Thread reader = new Thread(() -> {
                try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String l; (l = in.readLine()) != null; ) {
                        output.add(l);
                    }
                } catch (IOException ended) {
                    // the process ended
                }
            }, "readme-node-output");
            reader.setDaemon(true);
            reader.start();
        }

        @Override
        public void close() {
            process.destroy();
            try {
                if (!process.waitFor(20, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
    }

    @FunctionalInterface
    private interface Check {
        void run() throws Exception;
    }

    private static HttpResponse<String> get(String url, Map<String, String> headers) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10));
        headers.forEach(request::header);
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The sh block under "## Running nodes one by one", continuation lines joined. */
    static List<String> block() throws IOException {
        List<String> all = Files.readAllLines(REPOSITORY.resolve("README.md"));
        int heading = all.indexOf("## Running nodes one by one");
        assertThat(heading).as("README has a 'Running nodes one by one' section").isNotNegative();
        int start = all.subList(heading, all.size()).indexOf("```sh") + heading + 1;
        int end = all.subList(start, all.size()).indexOf("```") + start;
        List<String> lines = new ArrayList<>();
        StringBuilder pending = new StringBuilder();
        for (String l : all.subList(start, end)) {
            if (l.isBlank()) {
                continue;
            }
            if (l.endsWith("\\")) {
                pending.append(l.substring(0, l.length() - 1).stripTrailing()).append(" ");
            } else {
                lines.add(pending.length() == 0 ? l : pending.append(l.strip()).toString());
                pending.setLength(0);
            }
        }
        return lines;
    }
}
