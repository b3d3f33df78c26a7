package io.blueorigin.cdn.it.war;

import static org.assertj.core.api.Assertions.assertThat;

import io.blueorigin.cdn.testkit.FreePort;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * shield.war (pop iad) in front of an origin and edge.war (pop nyc) in front of it, each in a stock Jetty
 * distribution of its own (separate JVMs), set up as an operator does it: bases made by
 * {@code ops/jetty-base/setup.sh}, default settings but a small heap tier. The same node names as the in-process
 * harness (edge-nyc, shield-iad), so the caching scenarios' expectations hold for both forms.
 */
public final class WarTiers implements AutoCloseable {
    public final JettyHomeNode shield;
    public final JettyHomeNode edge;
    public final int shieldManagement;
    public final int edgeManagement;
    private final Path dir;

    private WarTiers(Path dir, JettyHomeNode shield, int shieldManagement, JettyHomeNode edge, int edgeManagement) {
        this.dir = dir;
        this.shield = shield;
        this.shieldManagement = shieldManagement;
        this.edge = edge;
        this.edgeManagement = edgeManagement;
    }

    /** Starts both and waits until both are ready; stops what started if that fails. */
    public static WarTiers start(URI origin) throws Exception {
        Path dir = Files.createTempDirectory("war-tiers");
        int shieldManagement = FreePort.take();
        JettyHomeNode shield = JettyHomeNode.start(base(dir, "shield", """
                node:
                  pop: iad
                management:
                  port: %d
                upstream:
                  url: %s
                store:
                  heap:
                    max-size: 32MB
                """.formatted(shieldManagement, origin)));
        JettyHomeNode edge = null;
        try {
            int edgeManagement = FreePort.take();
            edge = JettyHomeNode.start(base(dir, "edge", """
                    node:
                      pop: nyc
                    management:
                      port: %d
                    upstream:
                      url: http://127.0.0.1:%d
                    store:
                      heap:
                        max-size: 32MB
                    """.formatted(edgeManagement, shield.port)));
            shield.awaitReady(URI.create("http://127.0.0.1:" + shieldManagement + "/readyz"));
            edge.awaitReady(URI.create("http://127.0.0.1:" + edgeManagement + "/readyz"));
            return new WarTiers(dir, shield, shieldManagement, edge, edgeManagement);
        } catch (Exception | AssertionError e) {
            if (edge != null) {
                edge.close();
            }
            shield.close();
            throw e;
        }
    }

    /**
     * A jetty base in {@code dir} for {@code role}.war with a config written here, made by ops/jetty-base/setup.sh as
     * an operator runs it (its context file from ops/jetty-base/webapps, the container's compliance settings).
     */
    static Path base(Path dir, String role, String yaml) throws Exception {
        Path config = Files.writeString(dir.resolve(role + ".yaml"), yaml);
        Path base = dir.resolve(role + "-base");
        Path log = dir.resolve(role + "-setup.log");
        Process setup = new ProcessBuilder("bash", repositoryRoot().resolve("ops/jetty-base/setup.sh").toString(),
                "--jetty-home", JettyHomeNode.HOME.toString(), "--war", JettyHomeNode.required(role + ".war"),
                "--config", config.toString(), role, base.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertThat(setup.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(setup.exitValue()).as(Files.readString(log)).isZero();
        assertThat(Files.readString(base.resolve("webapps/" + role + ".xml"))).contains(config.toString());
        return base;
    }

    static Path repositoryRoot() {
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            if (Files.isDirectory(d.resolve("ops/jetty-base"))) {
                return d;
            }
        }
        throw new IllegalStateException("no ops/jetty-base above " + Path.of("").toAbsolutePath());
    }

    @Override
    public void close() throws InterruptedException {
        try {
            edge.close();
        } finally {
            shield.close();
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
