package io.blueorigin.cdn.runtime;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.jetty.util.Scanner;
import org.eclipse.jetty.util.component.ContainerLifeCycle;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts a changed certificate into service without a restart: a Jetty {@link Scanner} watches the key files
 * ({@code tls.keystore}, or {@code tls.certificate} and {@code tls.private-key}) every {@code tls.scan-interval};
 * when they change (and have stayed unchanged for one more scan, so a half-written file is not read), they are
 * read and checked as at start ({@link TlsKeys}) and only then swapped into the {@link SslContextFactory}.
 *
 * <p>Why not Jetty's {@code KeyStoreScanner}: it reloads the factory from the file in place, so a wrong password
 * or a truncated file there leaves the factory without a context and every new handshake fails. Here a file
 * that does not pass the start-up checks is logged with the reason and the current certificate stays.
 *
 * <p>New connections get the new certificate; open connections keep the session they negotiated (a swap
 * closes nothing). Added as a bean of the traffic server, so it starts and stops with it.
 */
final class CertificateReloader extends ContainerLifeCycle {
    private static final Logger LOG = LoggerFactory.getLogger(CertificateReloader.class);

    private final String nodeName;
    private final TlsConfig config;
    private final SslContextFactory.Server factory;
    private final Clock clock;
    private final Scanner scanner;
    private final AtomicLong reloads = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private final AtomicReference<@Nullable String> lastFailure = new AtomicReference<>();

    CertificateReloader(String nodeName, TlsConfig config, SslContextFactory.Server factory, Clock clock) {
        this.nodeName = requireNonNull(nodeName, "nodeName is null");
        this.config = requireNonNull(config, "config is null");
        this.factory = requireNonNull(factory, "factory is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.scanner = new Scanner();
        scanner.setScanInterval((int) config.scanInterval().toSeconds());
        scanner.setReportExistingFilesOnStartup(false);
        scanner.addListener(new Scanner.BulkListener() {
            @Override
            public void pathsChanged(Set<Path> paths) {
                reload();
            }
        });
        addBean(scanner);
    }

    /** The files are added at start: they exist then (the node checked them), not necessarily when it was built. */
    @Override
    protected void doStart() throws Exception {
        if (scanner.getScannables().isEmpty()) {
            for (Path file : files(config.keys())) {
                scanner.addFile(file.toAbsolutePath());
            }
        }
        super.doStart();
    }

    private static List<Path> files(TlsConfig.Keys keys) {
        if (keys instanceof TlsConfig.KeyStoreFile store) {
            return List.of(store.path());
        }
        TlsConfig.PemFiles pem = (TlsConfig.PemFiles) keys;
        return List.of(pem.certificate(), pem.privateKey());
    }

    /** Reads the key files again; swaps them in if they pass the start-up checks, else keeps the current ones. */
    void reload() {
        TlsKeys.Loaded loaded;
        try {
            loaded = TlsKeys.load(config, clock.instant());
        } catch (TlsKeys.BadKeysException e) {
            failures.incrementAndGet();
            lastFailure.set(e.getMessage());
            LOG.warn("{}: the changed TLS key files were not loaded, the current certificate stays in service: {}",
                    nodeName, e.getMessage());
            return;
        }
        try {
            factory.reload(f -> {
                f.setKeyStore(loaded.store());
                f.setKeyStorePassword(loaded.password());
            });
        } catch (Exception e) {
            failures.incrementAndGet();
            lastFailure.set(String.valueOf(e.getMessage()));
            LOG.warn("{}: the TLS context could not be rebuilt from the changed key files: {}", nodeName, e.toString());
            return;
        }
        reloads.incrementAndGet();
        LOG.info("{}: HTTPS now serves the certificate {}", nodeName, loaded.describe());
    }

    /** Certificates put into service since start. */
    long reloads() {
        return reloads.get();
    }

    /** Changed key files that were refused (the certificate before them stayed). */
    long failures() {
        return failures.get();
    }

    /** Why the last refused change was refused, or null. */
    @Nullable String lastFailure() {
        return lastFailure.get();
    }
}
