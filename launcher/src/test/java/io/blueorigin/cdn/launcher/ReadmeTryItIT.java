package io.blueorigin.cdn.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.blueorigin.cdn.runtime.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's "Try it" block, run as written, line by line with bash and curl, against the demo on its
 * standard ports (started in-process, data under {@code <tmp>/var/demo}, the commands run from {@code <tmp>}),
 * each checked for what its comment says. A README line without a check here fails the test, so the two stay
 * in step.
 */
class ReadmeTryItIT {
    private static final Path README = Path.of("..", "README.md");

    /** What each line of the block must show, by the line's exact text. */
    private static Map<String, Consumer<String>> checks() {
        Map<String, Consumer<String>> c = new LinkedHashMap<>();
        c.put("curl -si http://127.0.0.1:8080/item/1             # X-Cache: MISS  (edge-nyc -> its shield for /item/1 -> origin)",
                out -> assertThat(out).contains("HTTP/1.1 200").contains("X-Cache: MISS")
                        .containsPattern("Cache-Status: shield-(iad|ord); fwd=uri-miss.*, edge-nyc; fwd=uri-miss"));
        c.put("curl -si http://127.0.0.1:8081/item/1             # X-Cache: MISS at edge-lhr, Cache-Status shows the same shield's hit",
                out -> assertThat(out).contains("X-Cache: MISS").containsPattern("Cache-Status: shield-(iad|ord); hit.*, edge-lhr; fwd=uri-miss"));
        c.put("curl -si http://127.0.0.1:8081/item/1             # X-Cache: HIT   (answered by edge-lhr)",
                out -> assertThat(out).contains("X-Cache: HIT").contains("Cache-Status: shield-").contains("edge-lhr; hit"));
        c.put("curl -s  http://127.0.0.1:9001/_origin/stats      # the origin saw /item/1 once",
                out -> assertThat(json(out).toString()).contains("\"/item/1\":1"));
        c.put("TOKEN=$(cat var/demo/admin.token)", out -> assertThat(out).isEmpty());
        c.put("curl -s -X POST -H \"Authorization: Bearer $TOKEN\" -d '{\"urls\": [\"/item/1\"]}' http://127.0.0.1:9000/api/v1/purge",
                out -> assertThat(json(out).path("id").asLong()).as("the purge was accepted: %s", out).isPositive());
        c.put("curl -si http://127.0.0.1:8080/item/1             # X-Cache: MISS: purged on every node within milliseconds",
                out -> assertThat(out).contains("X-Cache: MISS"));
        c.put("curl -s -X PURGE -H \"Authorization: Bearer $TOKEN\" http://127.0.0.1:8081/item/1   # the same, through an edge",
                out -> assertThat(json(out).path("objectsAffected").asInt(-1)).as(out).isGreaterThanOrEqualTo(0));
        c.put("curl -s  http://127.0.0.1:18080/readyz            # an edge's management port: /healthz, /readyz (JSON details)",
                out -> assertThat(json(out).path("status").asText()).isEqualTo("ready"));
        c.put("curl -s  http://127.0.0.1:18080/metrics | grep '^cdn_requests_total'   # Prometheus text: requests by cache status",
                out -> assertThat(out.lines()).isNotEmpty().allMatch(l -> l.startsWith("cdn_requests_total{"))
                        .anyMatch(l -> l.contains("cache_status=\"miss\"")));
        c.put("curl -s -H \"Authorization: Bearer $TOKEN\" 'http://127.0.0.1:9000/api/v1/stats?window=5m'  # hit ratio per tier and node",
                out -> assertThat(json(out).toString()).contains("hitRatio"));
        c.put("tail -n 3 var/demo/logs/edge-lhr.access.log       # a line per request: ... site, MISS/HIT, upstream ms, request id, total ms",
                out -> assertThat(out.lines()).hasSize(3).allMatch(l -> l.matches(".* (www|img|-) (MISS|HIT|PASS|STALE|REVALIDATED|-) (-|[0-9]+) [0-9a-f]{16} [0-9]+")));
        // two sites (docs/sites.md): Host selects the site, each has its own origin and keys, a purge names one
        c.put("curl -s -H \"Authorization: Bearer $TOKEN\" http://127.0.0.1:9000/api/v1/sites   # two sites, www and img, each its hosts and origins",
                out -> {
                    JsonNode sites = json(out).path("sites");
                    assertThat(sites.findValuesAsText("name")).containsExactly("img", "www");
                    assertThat(out).contains("img.demo.test").contains("www.demo.test")
                            .contains("http://127.0.0.1:9001").contains("http://127.0.0.1:9002");
                });
        c.put("curl -si -H 'Host: www.demo.test' http://127.0.0.1:8080/item/1   # site www (origin :9001), the site of 127.0.0.1 too",
                out -> assertThat(out).contains("HTTP/1.1 200").contains("\"site\":\"www\""));
        c.put("curl -si -H 'Host: img.demo.test' http://127.0.0.1:8080/item/1   # site img (origin :9002): another body, X-Cache: MISS",
                out -> assertThat(out).contains("HTTP/1.1 200").contains("\"site\":\"img\"").contains("X-Cache: MISS"));
        c.put("curl -si -H 'Host: img.demo.test' http://127.0.0.1:8080/item/1   # X-Cache: HIT: cached apart from www's /item/1",
                out -> assertThat(out).contains("\"site\":\"img\"").contains("X-Cache: HIT"));
        c.put("curl -s -X POST -H \"Authorization: Bearer $TOKEN\" -d '{\"urls\": [\"/item/1\"], \"site\": \"img\"}' http://127.0.0.1:9000/api/v1/purge",
                out -> assertThat(json(out).path("id").asLong()).as("the purge of site img was accepted: %s", out).isPositive());
        c.put("curl -si -H 'Host: img.demo.test' http://127.0.0.1:8080/item/1   # X-Cache: MISS: the purge named site img",
                out -> assertThat(out).contains("\"site\":\"img\"").contains("X-Cache: MISS"));
        c.put("curl -si -H 'Host: www.demo.test' http://127.0.0.1:8080/item/1   # X-Cache: HIT: www's object was not purged",
                out -> assertThat(out).contains("\"site\":\"www\"").contains("X-Cache: HIT"));
        c.put("curl -si -H 'Range: bytes=0-99' http://127.0.0.1:8080/static/1k  # 206 Partial Content, Content-Range: bytes 0-99/1024",
                out -> assertThat(out).contains("HTTP/1.1 206").contains("Content-Range: bytes 0-99/1024")
                        .contains("Content-Length: 100"));
        c.put("curl -s 'http://127.0.0.1:18080/cache/inspect?url=/static/1k'   # what edge-nyc holds for it: key, variants, tiers, age, TTL, tags",
                out -> {
                    JsonNode inspected = json(out);
                    assertThat(inspected.path("node").asText()).as(out).isEqualTo("edge-nyc");
                    assertThat(inspected.path("key").asText()).contains("/static/1k");
                    assertThat(inspected.path("variantCount").asInt()).as(out).isPositive();
                });
        c.put("curl -si --cacert var/demo/tls/edge.crt https://127.0.0.1:8443/item/1   # HTTPS over HTTP/2 (edge-nyc, the demo's self-signed certificate)",
                out -> assertThat(out).contains("HTTP/2 200").containsIgnoringCase("x-cache:"));
        c.put("curl -si http://127.0.0.1:8080/private/7          # 403 Blue-Origin-Error: signature-missing (www signs /private/)",
                out -> assertThat(out).contains("HTTP/1.1 403").contains("Blue-Origin-Error: signature-missing"));
        c.put("URL=$(curl -s -X POST -H \"Authorization: Bearer $TOKEN\" -d '{\"site\": \"www\", \"path\": \"/private/7\", "
                + "\"expiresIn\": 3600}' http://127.0.0.1:9000/api/v1/sign | sed 's/.*\"url\":\"\\([^\"]*\\)\".*/\\1/')",
                out -> assertThat(out).isEmpty());
        c.put("curl -si \"http://127.0.0.1:8080$URL\"              # 200: signed by admin; exp, kid and sig are not part of the cache key",
                out -> assertThat(out).contains("HTTP/1.1 200").contains("Article 7"));
        // geo routing (docs/routing.md): the router follows admin's health view; MaxMind's test City database
        c.put("curl -s 'http://127.0.0.1:9080/api/v1/route?ip=81.2.69.160'    # London: the router picks edge-lhr (distance, alternates)",
                out -> {
                    assertThat(json(out).path("choice").path("node").asText()).as(out).isEqualTo("edge-lhr");
                    assertThat(json(out).path("alternates").findValuesAsText("node")).contains("edge-nyc");
                });
        c.put("curl -s 'http://127.0.0.1:9080/api/v1/route?ip=214.78.120.1'   # San Diego: edge-nyc",
                out -> assertThat(json(out).path("choice").path("node").asText()).as(out).isEqualTo("edge-nyc"));
        c.put("curl -si http://127.0.0.1:9080/route/item/1       # 302 to the nearest healthy edge (127.0.0.1 cannot be located: default POP nyc)",
                out -> assertThat(out).contains("HTTP/1.1 302").contains("Location: http://127.0.0.1:8080/item/1"));
        c.put("dig @127.0.0.1 -p 5353 cdn.demo.test              # DNS: edge-nyc's address for a resolver that cannot be located, TTL 20",
                out -> assertThat(out).contains("status: NOERROR").containsPattern("cdn\\.demo\\.test\\.\\s+20\\s+IN\\s+A\\s+127\\.0\\.0\\.1"));
        c.put("dig @127.0.0.1 -p 5353 cdn.demo.test +short +subnet=81.2.69.160/27   # 127.0.0.2: edge-lhr's, by EDNS client subnet",
                out -> assertThat(out.strip()).isEqualTo("127.0.0.2"));
        c.put("curl -s -X POST -H \"Authorization: Bearer $TOKEN\" http://127.0.0.1:9000/api/v1/nodes/edge-lhr/drain   # leaves routing",
                out -> assertThat(json(out).path("state").asText()).as(out).isEqualTo("draining"));
        c.put("curl -s 'http://127.0.0.1:9080/api/v1/route?ip=81.2.69.160'    # drained: London goes to edge-nyc now",
                out -> assertThat(json(out).path("choice").path("node").asText()).as(out).isEqualTo("edge-nyc"));
        c.put("curl -s -X POST -H \"Authorization: Bearer $TOKEN\" http://127.0.0.1:9000/api/v1/nodes/edge-lhr/undrain # back in routing",
                out -> assertThat(json(out).path("state").asText()).as(out).isNotEqualTo("draining"));
        return c;
    }

    @Test
    void everyTryItCommandDoesWhatItsCommentSays(@TempDir Path dir) throws Exception {
        List<String> lines = tryItBlock();
        Map<String, Consumer<String>> checks = checks();
        assertThat(lines).as("README 'Try it' lines, each with a check in this test").containsExactlyElementsOf(checks.keySet());

        try (Demo demo = Demo.start(new Demo.Spec(dir.resolve("var/demo"), "127.0.0.1", Demo.Ports.STANDARD))) {
            List<String> assignments = new ArrayList<>();
            for (String line : lines) {
                Consumer<String> check = checks.get(line);
                if (line.startsWith("dig ") && !onPath("dig")) {
                    // CI installs dig (scripts/install-tools.sh); a bare JDK + Maven machine checks DNS in DemoIT only
                    System.err.println("ReadmeTryItIT: dig is not installed (bash scripts/install-tools.sh): skipped " + line);
                    continue;
                }
                if (line.contains("purged on every node within milliseconds") || line.contains("the purge named site img")
                        || line.contains("drained: London goes to edge-nyc now") || line.contains("cache/inspect")) {
                    // a purge (or a drain, or the store's commit after the reply) takes milliseconds, not zero time
                    await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20))
                            .untilAsserted(() -> check.accept(run(dir, assignments, line)));
                } else if (line.contains("access.log")) {
                    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> check.accept(run(dir, assignments, line)));
                } else {
                    check.accept(run(dir, assignments, line));
                }
                if (line.matches("[A-Z_]+=.*")) {
                    assignments.add(line);
                }
            }
        }
    }

    /** Runs {@code line} with bash in {@code dir}, after the variable assignments of earlier lines; returns stdout. */
    private static String run(Path dir, List<String> assignments, String line) throws IOException, InterruptedException {
        String script = String.join("\n", assignments) + (assignments.isEmpty() ? "" : "\n") + line + "\n";
        Process p = new ProcessBuilder("bash", "-c", script).directory(dir.toFile()).redirectErrorStream(false).start();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("timed out: " + line);
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).replace("\r", "");
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as("%s%nstderr: %s", line, err).isZero();
        return out;
    }

    private static boolean onPath(String command) {
        return java.util.Arrays.stream(System.getenv().getOrDefault("PATH", "").split(":"))
                .anyMatch(dir -> !dir.isEmpty() && Files.isExecutable(Path.of(dir, command)));
    }

    private static JsonNode json(String text) {
        try {
            return Json.MAPPER.readTree(text);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }

    /** The lines of the sh block under "## Try it". */
    static List<String> tryItBlock() throws IOException {
        List<String> all = Files.readAllLines(README);
        int heading = all.indexOf("## Try it");
        assertThat(heading).as("README has a 'Try it' section").isNotNegative();
        int start = all.subList(heading, all.size()).indexOf("```sh") + heading + 1;
        int end = all.subList(start, all.size()).indexOf("```") + start;
        return all.subList(start, end).stream().filter(l -> !l.isBlank()).toList();
    }
}
