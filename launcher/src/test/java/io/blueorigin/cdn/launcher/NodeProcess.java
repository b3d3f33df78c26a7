package io.blueorigin.cdn.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A node in its own JVM ({@code java [jvmArgs] -cp <test classpath> Main <args>}), for what only a real
 * process shows: SIGTERM, SIGKILL, a small -Xmx. Waits for the node's "serving on" line.
 */
final class NodeProcess implements AutoCloseable {
    private static final Pattern SERVING = Pattern.compile("serving on (http://\\S+) \\(management (http://\\S+)/healthz\\)");

    private final Process process;
    private final List<String> output = new CopyOnWriteArrayList<>();
    private final URI uri;
    private final URI managementUri;

    private NodeProcess(List<String> jvmArgs, Map<String, String> environment, List<String> args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmArgs);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(Main.class.getName());
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(environment);
        process = builder.start();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    output.add(line);
                }
            } catch (java.io.IOException ignored) {
                // the process ended
            }
        }, "node-output");
        reader.setDaemon(true);
        reader.start();
        Matcher found = null;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (found == null && System.nanoTime() < deadline && process.isAlive()) {
            for (String line : output) {
                Matcher m = SERVING.matcher(line);
                if (m.find()) {
                    found = m;
                    break;
                }
            }
            if (found == null) {
                process.waitFor(50, TimeUnit.MILLISECONDS);
            }
        }
        assertThat(found).as("node started; output: %s", output).isNotNull();
        uri = URI.create(found.group(1));
        managementUri = URI.create(found.group(2));
    }

    static NodeProcess start(List<String> jvmArgs, String... args) throws Exception {
        return new NodeProcess(jvmArgs, Map.of(), List.of(args));
    }

    /** As {@link #start(List, String...)}, with {@code environment} added to this process's (secrets: CDN_*). */
    static NodeProcess start(List<String> jvmArgs, Map<String, String> environment, List<String> args) throws Exception {
        return new NodeProcess(jvmArgs, environment, args);
    }

    URI uri() {
        return uri;
    }

    URI managementUri() {
        return managementUri;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    List<String> output() {
        return output;
    }

    /** SIGKILL: no shutdown hook runs, nothing is flushed by the JVM. */
    void kill() throws InterruptedException {
        process.toHandle().destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.toHandle().destroy();
            try {
                if (!process.waitFor(20, TimeUnit.SECONDS)) {
                    process.toHandle().destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.toHandle().destroyForcibly();
            }
        }
    }
}
