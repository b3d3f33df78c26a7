package io.blueorigin.cdn.it.war;

import static org.awaitility.Awaitility.await;

import io.blueorigin.cdn.testkit.FreePort;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A stock Jetty 12.1 distribution ({@code jetty-home}, unpacked by the system-tests' {@code jetty-home} profile)
 * running one node's WAR, as an operator sets it up with ops/jetty-base: a base made by
 * {@code start.jar --add-modules=http,ee10-deploy}, the WAR and its context file in {@code webapps/}, then
 * {@code java -jar start.jar}. A separate JVM; {@link #close()} stops it with SIGTERM.
 */
public final class JettyHomeNode implements AutoCloseable {
    public static final Path HOME = Path.of(required("jetty.home"));

    private final Process process;
    private final Path log;
    public final int port;

    private JettyHomeNode(Process process, Path log, int port) {
        this.process = process;
        this.log = log;
        this.port = port;
    }

    public static String required(String property) {
        String value = System.getProperty(property);
        if (value == null) {
            throw new IllegalStateException("system property " + property + " is not set: run with the system-tests' "
                    + "jetty-home profile (on unless -Dskip.wars)");
        }
        return value;
    }

    /** A jetty base in {@code base} with the http and ee10-deploy modules, made by start.jar. */
    public static Path createBase(Path base) throws IOException, InterruptedException {
        Files.createDirectories(base);
        Process make = new ProcessBuilder(java(), "-jar", HOME.resolve("start.jar").toString(), "jetty.home=" + HOME,
                "jetty.base=" + base, "--add-modules=http,ee10-deploy").directory(base.toFile())
                .redirectErrorStream(true).redirectOutput(base.resolve("add-modules.log").toFile()).start();
        if (!make.waitFor(60, TimeUnit.SECONDS) || make.exitValue() != 0) {
            make.destroyForcibly();
            throw new IllegalStateException("start.jar --add-modules failed: " + Files.readString(base.resolve("add-modules.log")));
        }
        return base;
    }

    /** Starts Jetty on {@code base} with its HTTP connector on a free port. */
    public static JettyHomeNode start(Path base, String... jvmOptions) throws IOException {
        int port = FreePort.take();
        List<String> command = new ArrayList<>(List.of(java(), "-Xmx256m"));
        command.addAll(List.of(jvmOptions));
        command.addAll(List.of("-jar", HOME.resolve("start.jar").toString(), "jetty.home=" + HOME, "jetty.base=" + base,
                "jetty.http.port=" + port, "jetty.http.host=127.0.0.1"));
        Path log = base.resolve("jetty.log");
        Process process = new ProcessBuilder(command).directory(base.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        return new JettyHomeNode(process, log, port);
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    public URI uri(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + port + pathAndQuery);
    }

    /** Waits until {@code url} answers 200 (the node's /readyz), or fails with the container's log. */
    public JettyHomeNode awaitReady(URI url) {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        try {
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).until(() -> {
                if (!process.isAlive()) {
                    throw new IllegalStateException("jetty exited: " + log());
                }
                try {
                    return client.send(HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(2)).build(),
                            HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
                } catch (IOException e) {
                    return false;
                }
            });
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError(url + " not ready; jetty's log:\n" + log(), e);
        }
        return this;
    }

    public String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
