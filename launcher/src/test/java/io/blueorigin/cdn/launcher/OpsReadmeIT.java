package io.blueorigin.cdn.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Every command of {@code ops/README.md}'s sh blocks, by its exact text (a line without an entry here fails):
 * the demo and the traffic loop run as written from the repository root on the demo's standard ports (the
 * launcher's ITs run one at a time); what needs software CI does not have (Prometheus, Grafana) or a VM with
 * systemd running (install.sh without --root, systemctl, journalctl) is checked with {@code bash -n} only, and
 * {@code promtool} runs when it is installed. {@code InstallScriptTest} (system-tests) runs install.sh itself.
 */
class OpsReadmeIT {
    private static final Path REPOSITORY = Path.of("..").toAbsolutePath().normalize();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** How a line is checked. */
    private enum Kind {
        /** Started in the background; the test waits for the demo's nodes. */
        DEMO,
        /** Run with bash from the repository root; must exit 0, then its check runs. */
        RUN,
        /** Run when its program is on the PATH, else syntax only. */
        IF_INSTALLED,
        /** bash -n: needs software or a machine CI does not have. */
        SYNTAX,
        /** Started in the background (a Jetty with a WAR); the test waits for its readiness. */
        WAR
    }

    private static Map<String, Kind> lines() {
        Map<String, Kind> k = new LinkedHashMap<>();
        k.put("sudo ops/install.sh                                  # or: sudo ops/install.sh --jar /path/to/blue-origin.jar", Kind.SYNTAX);
        k.put("sudoedit /etc/blue-origin/edge.env                   # the node's token: CDN_CONTROL_TOKEN=... (how to get it: the file says)", Kind.SYNTAX);
        k.put("sudo systemctl enable --now cdn-edge", Kind.SYNTAX);
        k.put("systemctl status cdn-edge                            # active (running); a configuration error: exit status 2, no restart", Kind.SYNTAX);
        k.put("journalctl -u cdn-edge -f                            # the node's log (stdout), start-up errors in one line", Kind.SYNTAX);
        k.put("sudo systemd-run --wait --pipe -p User=blue-origin -p EnvironmentFile=/etc/blue-origin/admin.env "
                + "/usr/bin/java -jar /opt/blue-origin/blue-origin.jar admin migrate --config /etc/blue-origin/admin.yaml   # optional", Kind.SYNTAX);
        k.put("java -jar launcher/target/blue-origin.jar demo              # edges :8080/:8081, shields :8082/:8083, admin :9000", Kind.DEMO);
        k.put("promtool check config ops/prometheus.yml", Kind.IF_INSTALLED);
        k.put("prometheus --config.file=ops/prometheus.yml --storage.tsdb.path=var/prometheus "
                + "--web.listen-address=127.0.0.1:9090", Kind.SYNTAX);
        k.put("export BLUE_ORIGIN_HOME=$PWD                                 # the provider loads $BLUE_ORIGIN_HOME/ops/grafana/*.json", Kind.RUN);
        k.put("GF_PATHS_PROVISIONING=$PWD/ops/grafana/provisioning GF_PATHS_DATA=$PWD/var/grafana "
                + "GF_SERVER_HTTP_ADDR=127.0.0.1 GF_SERVER_HTTP_PORT=3000 "
                + "~/grafana/bin/grafana server --homepath ~/grafana          # older releases: bin/grafana-server", Kind.SYNTAX);
        k.put("for round in 1 2 3 4 5; do curl -s -Z \"http://127.0.0.1:808[0-1]/item/[1-200]\" >/dev/null; done   "
                + "# 2000 requests, hits from round 2", Kind.RUN);
        k.put("mvn -q -N dependency:copy -Dartifact=org.eclipse.jetty:jetty-home:12.1.12:tar.gz -DoutputDirectory=var   "
                + "# Jetty's distribution", Kind.RUN);
        k.put("tar xzf var/jetty-home-12.1.12.tar.gz -C var", Kind.RUN);
        k.put("ops/jetty-base/setup.sh --jetty-home var/jetty-home-12.1.12 --config ops/jetty-base/edge-demo.yaml edge "
                + "var/jetty-edge", Kind.RUN);
        k.put("(cd var/jetty-edge && exec java -jar ../jetty-home-12.1.12/start.jar jetty.http.port=8090)   # runs until Ctrl-C",
                Kind.WAR);
        k.put("for i in 1 2; do curl -si http://127.0.0.1:8090/item/7 | grep -i '^x-cache'; done   "
                + "# X-Cache: MISS, then X-Cache: HIT", Kind.RUN);
        return k;
    }

    @Test
    void everyCommandRunsAsWrittenOrIsMarkedAsNeedingOtherSoftware() throws Exception {
        List<String> lines = commands();
        Map<String, Kind> kinds = lines();
        assertThat(lines).as("ops/README.md commands, each with an entry in this test").containsExactlyElementsOf(kinds.keySet());
        Process demo = null;
        Process war = null;
        try {
            for (String line : lines) {
                switch (kinds.get(line)) {
                    case SYNTAX -> assertThat(bash(List.of("-n", "-c", line)).status).as("bash -n %s", line).isZero();
                    case IF_INSTALLED -> {
                        String program = line.split(" ")[0];
                        if (bash(List.of("-c", "command -v " + program)).status == 0) {
                            Result result = bash(List.of("-c", line));
                            assertThat(result.status).as("%s: %s", line, result.output).isZero();
                        } else {
                            System.err.println("OpsReadmeIT: " + program + " is not installed: syntax only: " + line);
                            assertThat(bash(List.of("-n", "-c", line)).status).isZero();
                        }
                    }
                    case DEMO -> {
                        demo = new ProcessBuilder("bash", "-c", "exec " + line).directory(REPOSITORY.toFile())
                                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                        Process started = demo;
                        await().atMost(Duration.ofSeconds(90)).ignoreExceptions().untilAsserted(() -> {
                            assertThat(started.isAlive()).as("the demo runs").isTrue();
                            for (int port : new int[] {18080, 18081, 18082, 18083, 19000}) {
                                assertThat(get("http://127.0.0.1:" + port + "/readyz")).as("port %d", port).contains("\"ready\"");
                            }
                        });
                    }
                    case WAR -> {
                        war = new ProcessBuilder("bash", "-c", line).directory(REPOSITORY.toFile())
                                .redirectErrorStream(true).redirectOutput(REPOSITORY.resolve("var/jetty-edge.log").toFile())
                                .start();
                        Process started = war;
                        // edge-demo.yaml's management port
                        await().atMost(Duration.ofSeconds(90)).ignoreExceptions().untilAsserted(() -> {
                            assertThat(started.isAlive()).as("jetty runs: %s", Files.readString(
                                    REPOSITORY.resolve("var/jetty-edge.log"))).isTrue();
                            assertThat(get("http://127.0.0.1:18090/readyz")).contains("\"ready\"");
                        });
                    }
                    case RUN -> {
                        Result result = bash(List.of("-c", line));
                        assertThat(result.status).as("%s: %s", line, result.output).isZero();
                        if (line.startsWith("for round")) {
                            // both edges answered from their caches: rounds 2 to 5 find the 200 objects each stored in
                            // round 1 (a store commits just after its reply, so round 2 may still miss a few)
                            assertThat(hits(18080)).as("edge-nyc hits").isGreaterThanOrEqualTo(600);
                            assertThat(hits(18081)).as("edge-lhr hits").isGreaterThanOrEqualTo(600);
                        }
                        if (line.startsWith("for i in 1 2")) {
                            assertThat(result.output.lines().toList()).as("edge.war's answers")
                                    .containsExactly("X-Cache: MISS", "X-Cache: HIT");
                        }
                    }
                }
            }
        } finally {
            if (war != null) {
                war.descendants().forEach(ProcessHandle::destroy); // the subshell's java: SIGTERM stops Jetty
                war.destroy();
                if (!war.waitFor(30, TimeUnit.SECONDS)) {
                    war.destroyForcibly();
                }
            }
            if (demo != null) {
                demo.destroy();
                if (!demo.waitFor(30, TimeUnit.SECONDS)) {
                    demo.destroyForcibly();
                }
            }
        }
    }

    /** The sum of an edge's {@code cdn_requests_total{cache_status="hit"}} series. */
    private static double hits(int managementPort) throws IOException, InterruptedException {
        double sum = 0;
        Matcher m = Pattern.compile("(?m)^cdn_requests_total\\{[^}]*cache_status=\"hit\"[^}]*} (\\S+)$")
                .matcher(get("http://127.0.0.1:" + managementPort + "/metrics"));
        while (m.find()) {
            sum += Double.parseDouble(m.group(1));
        }
        return sum;
    }

    private record Result(int status, String output) {}

    private static Result bash(List<String> args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("bash"));
        command.addAll(args);
        Process p = new ProcessBuilder(command).directory(REPOSITORY.toFile()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Result(p.exitValue(), output);
    }

    private static String get(String url) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    /** Every line of the sh blocks in ops/README.md, continuation lines joined, comment-only lines left out. */
    static List<String> commands() throws IOException {
        List<String> lines = new ArrayList<>();
        boolean inBlock = false;
        StringBuilder pending = new StringBuilder();
        for (String l : Files.readAllLines(REPOSITORY.resolve("ops/README.md"))) {
            if (!inBlock) {
                inBlock = l.equals("```sh");
                continue;
            }
            if (l.equals("```")) {
                inBlock = false;
            } else if (l.isBlank() || l.strip().startsWith("#")) {
                continue;
            } else if (l.endsWith("\\")) {
                pending.append(l.substring(0, l.length() - 1).strip()).append(' ');
            } else {
                lines.add(pending.length() == 0 ? l : pending.append(l.strip()).toString());
                pending.setLength(0);
            }
        }
        return lines;
    }
}
