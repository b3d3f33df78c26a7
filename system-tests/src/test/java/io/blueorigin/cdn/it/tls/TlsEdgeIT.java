package io.blueorigin.cdn.it.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.blueorigin.cdn.proxy.ProxyNode;
import io.blueorigin.cdn.runtime.TlsConfig;
import io.blueorigin.cdn.testkit.Reply;
import io.blueorigin.cdn.testkit.TestClient;
import io.blueorigin.cdn.testkit.TestCluster;
import io.blueorigin.cdn.testkit.TestOrigin;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.HttpClientTransport;
import org.eclipse.jetty.client.transport.HttpClientConnectionFactory;
import org.eclipse.jetty.client.transport.HttpClientTransportDynamic;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.http2.client.HTTP2Client;
import org.eclipse.jetty.http2.client.transport.ClientConnectionFactoryOverHTTP2;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An edge serving HTTPS ({@code tls.*}) from a keystore made in the test: real TLS clients (Jetty's over HTTP/2
 * and over HTTP/1.1, both negotiated by ALPN, and {@code java.net.http}) get the same caching as on the plain port;
 * HSTS only over TLS; a certificate swap reaches new connections while an open one keeps working; a bad new
 * keystore keeps the certificate in service; plain HTTP sent to the TLS port is closed and the edge stays healthy.
 */
class TlsEdgeIT {
    private static final String PASSWORD = "edge-secret";
    private static final String HSTS = "max-age=31536000; includeSubDomains";

    @TempDir
    static Path dir;
    static Path keystore;
    static TestCertificates.Issued first;
    static TestOrigin origin;
    static TestCluster cdn;
    static ProxyNode edge;
    static URI https;

    @BeforeAll
    static void start() {
        first = TestCertificates.current("edge-first");
        keystore = TestCertificates.writeKeyStore(first, dir.resolve("edge.p12"), PASSWORD);
        origin = TestOrigin.start();
        TlsConfig tls = new TlsConfig(0, new TlsConfig.KeyStoreFile(keystore, PASSWORD), Optional.of(HSTS),
                Duration.ofSeconds(1), false);
        cdn = TestCluster.builder(origin.uri()).edges("nyc")
                .edgeConfig(c -> c.withServer(c.server().withTls(tls).withH2c(true))).start();
        edge = cdn.edge("nyc");
        https = edge.httpsUri().orElseThrow();
    }

    @AfterAll
    static void stop() {
        if (cdn != null) {
            cdn.close();
        }
        if (origin != null) {
            origin.close();
        }
    }

    @Test
    void http2AndHttp11OverTlsShareTheCacheAndSeeHstsWhichPlainHttpDoesNot() throws Exception {
        origin.on("/tls/shared", Reply.ok("over tls").withHeader("Cache-Control", "max-age=300"));
        HttpClient h2 = jettyClient(trusting(first.certificate()), true);
        HttpClient h1 = jettyClient(trusting(first.certificate()), false);
        try {
            ContentResponse miss = h2.newRequest(https.resolve("/tls/shared")).timeout(30, TimeUnit.SECONDS).send();
            assertThat(miss.getVersion()).isEqualTo(HttpVersion.HTTP_2);
            assertThat(miss.getStatus()).isEqualTo(200);
            assertThat(miss.getContentAsString()).isEqualTo("over tls");
            assertThat(miss.getHeaders().get("X-Cache")).isEqualTo("MISS");
            assertThat(miss.getHeaders().get("Strict-Transport-Security")).isEqualTo(HSTS);

            ContentResponse hit = h1.newRequest(https.resolve("/tls/shared")).timeout(30, TimeUnit.SECONDS).send();
            assertThat(hit.getVersion()).isEqualTo(HttpVersion.HTTP_1_1);
            assertThat(hit.getHeaders().get("X-Cache")).isEqualTo("HIT");
            assertThat(hit.getContentAsString()).isEqualTo("over tls");
            assertThat(hit.getHeaders().get("Strict-Transport-Security")).isEqualTo(HSTS);
        } finally {
            h2.stop();
            h1.stop();
        }

        java.net.http.HttpClient jdk = java.net.http.HttpClient.newBuilder()
                .sslContext(sslContext(trustManager(first.certificate()))).version(java.net.http.HttpClient.Version.HTTP_2)
                .build();
        java.net.http.HttpResponse<String> viaJdk = jdk.send(java.net.http.HttpRequest.newBuilder(https.resolve("/tls/shared"))
                .timeout(Duration.ofSeconds(30)).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(viaJdk.version()).isEqualTo(java.net.http.HttpClient.Version.HTTP_2);
        assertThat(viaJdk.headers().firstValue("X-Cache")).contains("HIT");
        assertThat(viaJdk.body()).isEqualTo("over tls");

        // the plain port: the same cached object, no HSTS (RFC 6797 7.2: never over plain HTTP)
        try (TestClient plain = new TestClient()) {
            ContentResponse overHttp = plain.get(edge.uri().resolve("/tls/shared"));
            assertThat(overHttp.getHeaders().get("X-Cache")).isEqualTo("HIT");
            assertThat(overHttp.getHeaders().get("Strict-Transport-Security")).isNull();
        }
        assertThat(origin.requests("/tls/shared")).hasSize(1);
    }

    @Test
    void aRestartedEdgeServesHttpsAndH2cAgainOnTheSamePorts() throws Exception {
        origin.on("/tls/restart", Reply.ok("again").withHeader("Cache-Control", "max-age=300"));
        edge = cdn.restart(edge);
        assertThat(edge.httpsUri()).hasValue(https);
        HttpClient h2 = jettyClient(trusting(first.certificate()), true);
        try {
            ContentResponse response = h2.newRequest(https.resolve("/tls/restart")).timeout(30, TimeUnit.SECONDS).send();
            assertThat(response.getStatus()).isEqualTo(200);
            assertThat(response.getVersion()).isEqualTo(HttpVersion.HTTP_2);
        } finally {
            h2.stop();
        }
        assertThat(edge.config().server().h2c()).isTrue();
    }

    @Test
    void thePlainPortSpeaksH2cWhenAsked() throws Exception {
        origin.on("/tls/h2c", Reply.ok("cleartext h2").withHeader("Cache-Control", "max-age=300"));
        java.net.http.HttpClient jdk = java.net.http.HttpClient.newBuilder()
                .version(java.net.http.HttpClient.Version.HTTP_2).build();
        // java.net.http upgrades a plain connection with Upgrade: h2c; the upgraded request is answered over HTTP/2
        java.net.http.HttpResponse<String> response = jdk.send(java.net.http.HttpRequest.newBuilder(
                edge.uri().resolve("/tls/h2c")).timeout(Duration.ofSeconds(30)).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.version()).isEqualTo(java.net.http.HttpClient.Version.HTTP_2);
        assertThat(response.headers().firstValue("Strict-Transport-Security")).isEmpty();
    }

    @Test
    void plainHttpToTheTlsPortIsClosedAndTheEdgeStaysHealthy() throws Exception {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(https.getHost(), https.getPort()));
            socket.setSoTimeout(30_000); // a bound on a broken server, not a synchronisation
            OutputStream out = socket.getOutputStream();
            out.write("GET /tls/shared HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            byte[] answer = readToEnd(socket.getInputStream());
            // nothing, a TLS alert record (content type 21), or a 400: never an HTTP 200 nor a hang
            if (answer.length > 0 && answer[0] != 21) {
                assertThat(new String(answer, StandardCharsets.US_ASCII)).startsWith("HTTP/1.1 400");
            }
        }
        origin.on("/tls/after-garbage", Reply.ok("still fine").withHeader("Cache-Control", "max-age=300"));
        HttpClient h2 = jettyClient(trustAll(), true);
        try {
            ContentResponse after = h2.newRequest(https.resolve("/tls/after-garbage")).timeout(30, TimeUnit.SECONDS).send();
            assertThat(after.getStatus()).isEqualTo(200);
            assertThat(after.getContentAsString()).isEqualTo("still fine");
        } finally {
            h2.stop();
        }
    }

    @Test
    void aNewCertificateReachesNewConnectionsWhileAnOpenOneKeepsWorkingAndABadFileChangesNothing() throws Exception {
        origin.on("/tls/swap", Reply.ok("swap").withHeader("Cache-Control", "max-age=300"));
        try (SSLSocket open = connect()) {
            assertThat(commonName(open)).isEqualTo("edge-first");
            assertThat(get(open, "/tls/swap")).startsWith("HTTP/1.1 200");

            long before = edge.tlsReloads().orElseThrow().reloaded();
            TestCertificates.Issued second = TestCertificates.current("edge-second");
            TestCertificates.writeKeyStore(second, keystore, PASSWORD);
            await().atMost(Duration.ofSeconds(30)).until(() -> edge.tlsReloads().orElseThrow().reloaded() > before);
            try (SSLSocket fresh = connect()) {
                assertThat(commonName(fresh)).isEqualTo("edge-second");
                assertThat(get(fresh, "/tls/swap")).startsWith("HTTP/1.1 200");
            }
            // the connection opened before the swap keeps its session and goes on serving
            assertThat(get(open, "/tls/swap")).startsWith("HTTP/1.1 200");
            assertThat(commonName(open)).isEqualTo("edge-first");

            // a truncated keystore is refused, and the second certificate stays in service
            long refusedBefore = edge.tlsReloads().orElseThrow().refused();
            TestCertificates.replace(keystore, tmp -> Files.write(tmp, new byte[] {0x30, 0x03, 0x02}));
            await().atMost(Duration.ofSeconds(30)).until(() -> edge.tlsReloads().orElseThrow().refused() > refusedBefore);
            assertThat(edge.tlsReloads().orElseThrow().lastRefusal()).startsWith("tls.keystore : ");
            try (SSLSocket fresh = connect()) {
                assertThat(commonName(fresh)).isEqualTo("edge-second");
                assertThat(get(fresh, "/tls/swap")).startsWith("HTTP/1.1 200");
            }
        } finally {
            // the other tests trust the first certificate only: put it back and wait until new connections get it
            TestCertificates.writeKeyStore(first, keystore, PASSWORD);
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                try (SSLSocket fresh = connect()) {
                    return commonName(fresh).equals("edge-first");
                }
            });
        }
    }

    // --- clients

    private static HttpClient jettyClient(SslContextFactory.Client ssl, boolean http2) throws Exception {
        ClientConnector connector = new ClientConnector();
        connector.setSslContextFactory(ssl);
        HttpClientTransport transport = http2
                ? new HttpClientTransportDynamic(connector, new ClientConnectionFactoryOverHTTP2.HTTP2(new HTTP2Client(connector)),
                        HttpClientConnectionFactory.HTTP11)
                : new HttpClientTransportDynamic(connector, HttpClientConnectionFactory.HTTP11);
        HttpClient client = new HttpClient(transport);
        client.start();
        return client;
    }

    private static SslContextFactory.Client trusting(X509Certificate certificate) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("edge", certificate);
        SslContextFactory.Client ssl = new SslContextFactory.Client();
        ssl.setTrustStore(trust);
        return ssl;
    }

    private static SslContextFactory.Client trustAll() {
        return new SslContextFactory.Client(true);
    }

    private static X509TrustManager trustManager(X509Certificate certificate) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("edge", certificate);
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trust);
        return (X509TrustManager) factory.getTrustManagers()[0];
    }

    private static SSLContext sslContext(TrustManager trust) throws Exception {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[] {trust}, null);
        return context;
    }

    private static SSLSocket connect() throws Exception {
        return TestTls.connect(https);
    }

    private static String commonName(SSLSocket socket) throws Exception {
        return TestTls.commonName(socket);
    }

    /** One keep-alive HTTP/1.1 GET on {@code socket}: the status line and the body (read by Content-Length). */
    private static String get(SSLSocket socket, String path) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(("GET " + path + " HTTP/1.1\r\nHost: localhost\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        InputStream in = socket.getInputStream();
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed after: " + head);
            }
            head.append((char) b);
        }
        int length = 0;
        for (String line : head.toString().split("\r\n")) {
            if (line.regionMatches(true, 0, "Content-Length:", 0, 15)) {
                length = Integer.parseInt(line.substring(15).trim());
            }
        }
        byte[] body = in.readNBytes(length);
        return head.toString().split("\r\n")[0] + " " + new String(body, StandardCharsets.UTF_8);
    }

    private static byte[] readToEnd(InputStream in) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            in.transferTo(bytes);
        } catch (java.net.SocketException e) {
            // a reset is a close too
        }
        return bytes.toByteArray();
    }
}
