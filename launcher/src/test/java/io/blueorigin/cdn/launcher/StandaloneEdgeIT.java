package io.blueorigin.cdn.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.blueorigin.cdn.testkit.Reply;
import io.blueorigin.cdn.testkit.TestClient;
import io.blueorigin.cdn.testkit.TestOrigin;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.client.ContentResponse;
import org.junit.jupiter.api.Test;

/**
 * {@code blue-origin edge --port P --upstream URL} in its own JVM: a standalone reverse proxy with no admin
 * and no database, stopped cleanly by SIGTERM.
 */
class StandaloneEdgeIT {
    private static final Pattern SERVING = Pattern.compile("serving on (http://\\S+) \\(management (http://\\S+)/healthz\\)");

    @Test
    void runsAsAStandaloneProxyAndStopsOnSigterm() throws Exception {
        try (TestOrigin origin = TestOrigin.start(); TestClient client = new TestClient()) {
            origin.on("/hello", Reply.ok("hi").withHeader("Cache-Control", "max-age=60"));
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Process process = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"),
                    Main.class.getName(), "edge", "--host", "127.0.0.1", "--port", "0", "--management-port", "0",
                    "--pop", "solo", "--upstream", origin.uri().toString()))
                    .redirectErrorStream(true)
                    .start();
            try {
                BlockingQueue<String> lines = new LinkedBlockingQueue<>();
                List<String> transcript = new java.util.concurrent.CopyOnWriteArrayList<>();
                Thread reader = new Thread(() -> {
                    try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                        for (String line; (line = in.readLine()) != null; ) {
                            lines.add(line);
                            transcript.add(line);
                        }
                    } catch (java.io.IOException ignored) {
                        // the process ended
                    }
                });
                reader.setDaemon(true);
                reader.start();
                Matcher serving = null;
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (serving == null && System.nanoTime() < deadline) {
                    String line = lines.poll(1, TimeUnit.SECONDS);
                    if (line != null) {
                        Matcher m = SERVING.matcher(line);
                        serving = m.find() ? m : null;
                    }
                    assertThat(process.isAlive() || !lines.isEmpty()).as("edge process died").isTrue();
                }
                assertThat(serving).as("the edge printed its URLs").isNotNull();
                URI uri = URI.create(serving.group(1));
                URI management = URI.create(serving.group(2));

                ContentResponse response = client.get(uri.resolve("/hello"));
                assertThat(response.getStatus()).isEqualTo(200);
                assertThat(response.getContentAsString()).isEqualTo("hi");
                assertThat(response.getHeaders().get("Via")).isEqualTo("1.1 edge-solo");
                assertThat(client.get(management.resolve("/healthz")).getContentAsString()).contains("edge-solo");
                assertThat(origin.count("/hello")).isEqualTo(1);

                process.toHandle().destroy(); // SIGTERM, keeping our end of its stdout open (Process.destroy closes it)
                assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("stopped within 30 s").isTrue();
                assertThat(process.exitValue()).as("exit status after SIGTERM (128 + 15)").isEqualTo(143);
                await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                        assertThat(transcript).anyMatch(l -> l.contains("edge-solo stopped")));
            } finally {
                process.destroyForcibly();
            }
        }
    }
}
