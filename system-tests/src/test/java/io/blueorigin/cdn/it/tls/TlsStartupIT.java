package io.blueorigin.cdn.it.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.blueorigin.cdn.runtime.HealthRegistry;
import io.blueorigin.cdn.runtime.NodeIdentity;
import io.blueorigin.cdn.runtime.NodeServer;
import io.blueorigin.cdn.runtime.Role;
import io.blueorigin.cdn.runtime.ServerConfig;
import io.blueorigin.cdn.runtime.StartupException;
import io.blueorigin.cdn.runtime.TlsConfig;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Key files a node cannot serve HTTPS with stop it at start with one line that names the setting to fix, before
 * it binds anything; an expired certificate starts only with {@code tls.allow-expired}.
 */
class TlsStartupIT {
    private static final String PASSWORD = "right";

    @TempDir
    static Path dir;

    /** case | how its key files are made | the start of the message after the node's name. */
    static Stream<Arguments> badKeys() {
        return Stream.of(
                Arguments.of("wrong keystore password", (Function<Path, TlsConfig.Keys>) d -> new TlsConfig.KeyStoreFile(
                        TestCertificates.writeKeyStore(TestCertificates.current("a"), d.resolve("a.p12"), PASSWORD), "wrong"),
                        "tls.keystore-password : it does not open"),
                Arguments.of("missing keystore", (Function<Path, TlsConfig.Keys>) d -> new TlsConfig.KeyStoreFile(
                        d.resolve("nowhere.p12"), PASSWORD), "tls.keystore : no file"),
                Arguments.of("not a keystore", (Function<Path, TlsConfig.Keys>) d -> new TlsConfig.KeyStoreFile(
                        write(d.resolve("text.p12"), "hello"), PASSWORD), "tls.keystore : "),
                Arguments.of("keystore without a private key", (Function<Path, TlsConfig.Keys>) d -> new TlsConfig.KeyStoreFile(
                        TestCertificates.writeCertificateOnlyKeyStore(TestCertificates.current("b"), d.resolve("b.p12"), PASSWORD),
                        PASSWORD), "tls.keystore : "),
                Arguments.of("expired certificate in a keystore", (Function<Path, TlsConfig.Keys>) d -> new TlsConfig.KeyStoreFile(
                        TestCertificates.writeKeyStore(TestCertificates.expired("c"), d.resolve("c.p12"), PASSWORD), PASSWORD),
                        "tls.keystore : the certificate CN=c"),
                Arguments.of("expired PEM certificate", (Function<Path, TlsConfig.Keys>) d -> pem(d, "d", TestCertificates.expired("d")),
                        "tls.certificate : the certificate CN=d"),
                Arguments.of("PEM key of another certificate", (Function<Path, TlsConfig.Keys>) d -> {
                    TlsConfig.PemFiles files = pem(d, "e", TestCertificates.current("e"));
                    TestCertificates.writePem(TestCertificates.current("other"), d.resolve("other.crt"), files.privateKey());
                    return files;
                }, "tls.private-key : the private key in"),
                Arguments.of("missing PEM key", (Function<Path, TlsConfig.Keys>) d -> new TlsConfig.PemFiles(
                        pem(d, "f", TestCertificates.current("f")).certificate(), d.resolve("none.key")),
                        "tls.private-key : no file"),
                Arguments.of("PEM certificate file without a certificate", (Function<Path, TlsConfig.Keys>) d -> new TlsConfig.PemFiles(
                        write(d.resolve("empty.crt"), "not pem\n"), pem(d, "g", TestCertificates.current("g")).privateKey()),
                        "tls.certificate : "));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badKeys")
    void badKeyFilesStopTheNodeWithOneLineNamingTheSetting(String name, Function<Path, TlsConfig.Keys> keys, String message)
            throws Exception {
        Path caseDir = Files.createDirectories(dir.resolve(name.replace(' ', '-')));
        TlsConfig tls = new TlsConfig(0, keys.apply(caseDir), Optional.empty(), Duration.ofSeconds(1), false);
        assertThatThrownBy(() -> node(tls).start().close())
                .isInstanceOf(StartupException.class)
                .hasMessageStartingWith("edge-tls cannot serve HTTPS: " + message)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n").doesNotContain(PASSWORD));
    }

    @Test
    void anExpiredCertificateStartsWithAllowExpired() throws Exception {
        Path caseDir = Files.createDirectories(dir.resolve("allow-expired"));
        TlsConfig tls = new TlsConfig(0, pem(caseDir, "x", TestCertificates.expired("x")), Optional.empty(),
                Duration.ZERO, true);
        try (NodeServer server = node(tls).start()) {
            assertThat(server.httpsUri()).isPresent();
            assertThat(server.tlsReloads()).isEmpty();
        }
    }

    @Test
    void renewedPemFilesReachNewConnectionsWithoutARestart() throws Exception {
        Path caseDir = Files.createDirectories(dir.resolve("pem-reload"));
        TlsConfig.PemFiles files = pem(caseDir, "edge", TestCertificates.current("pem-first"));
        TlsConfig tls = new TlsConfig(0, files, Optional.empty(), Duration.ofSeconds(1), false);
        try (NodeServer server = node(tls).start()) {
            java.net.URI https = server.httpsUri().orElseThrow();
            assertThat(TestTls.commonName(https)).isEqualTo("pem-first");
            TestCertificates.writePem(TestCertificates.current("pem-second"), files.certificate(), files.privateKey());
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30))
                    .until(() -> TestTls.commonName(https).equals("pem-second"));
            assertThat(server.tlsReloads().orElseThrow().reloaded()).isPositive();
        }
    }

    @Test
    void aTlsConnectionCountsOnceAgainstItsClientsLimit() throws Exception {
        Path caseDir = Files.createDirectories(dir.resolve("per-client"));
        TlsConfig tls = new TlsConfig(0, pem(caseDir, "z", TestCertificates.current("z")), Optional.empty(),
                Duration.ZERO, false);
        ServerConfig config = ServerConfig.ephemeral()
                .withLimits(new ServerConfig.Limits(100, 2, Duration.ofSeconds(10), 1024, 8 * 1024, 16 * 1024, 1024))
                .withTls(tls);
        try (NodeServer server = node(config).start()) {
            java.net.URI https = server.httpsUri().orElseThrow();
            // the TLS connection on the socket, not the ALPN and HTTP connections inside it: two fit a limit of two
            try (javax.net.ssl.SSLSocket a = TestTls.connect(https); javax.net.ssl.SSLSocket b = TestTls.connect(https)) {
                assertThat(server.guardStats().refusedPerClient()).isZero();
                assertThatThrownBy(() -> TestTls.connect(https).close()).isInstanceOf(java.io.IOException.class);
                assertThat(server.guardStats().refusedPerClient()).isEqualTo(1);
            }
        }
    }

    @Test
    void aBusyHttpsPortIsReportedAsTlsPort() throws Exception {
        Path caseDir = Files.createDirectories(dir.resolve("busy"));
        try (ServerSocket busy = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            TlsConfig tls = new TlsConfig(busy.getLocalPort(), pem(caseDir, "y", TestCertificates.current("y")),
                    Optional.empty(), Duration.ZERO, false);
            assertThatThrownBy(() -> node(tls).start().close())
                    .isInstanceOf(StartupException.class)
                    .hasMessageContaining("(tls.port)");
        }
    }

    private static NodeServer node(TlsConfig tls) {
        return node(ServerConfig.ephemeral().withTls(tls));
    }

    private static NodeServer node(ServerConfig config) {
        NodeIdentity identity = new NodeIdentity(Role.EDGE, "edge-tls", "local");
        Handler ok = new Handler.Abstract() {
            @Override
            public boolean handle(org.eclipse.jetty.server.Request request, Response response,
                    org.eclipse.jetty.util.Callback callback) {
                response.setStatus(200);
                callback.succeeded();
                return true;
            }
        };
        return NodeServer.builder(new HealthRegistry(identity), config).traffic(ok).build();
    }

    private static TlsConfig.PemFiles pem(Path d, String name, TestCertificates.Issued issued) {
        Path certificate = d.resolve(name + ".crt");
        Path key = d.resolve(name + ".key");
        TestCertificates.writePem(issued, certificate, key);
        return new TlsConfig.PemFiles(certificate, key);
    }

    private static Path write(Path path, String content) {
        try {
            return Files.writeString(path, content, StandardCharsets.US_ASCII);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
