package io.blueorigin.cdn.runtime;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.eclipse.jetty.alpn.server.ALPNServerConnectionFactory;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.PreEncodedHttpField;
import org.eclipse.jetty.http2.HTTP2Cipher;
import org.eclipse.jetty.http2.server.HTTP2ServerConnectionFactory;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.jspecify.annotations.Nullable;

/**
 * The HTTPS connector of a node's traffic server ({@code tls.*}): TLS 1.3 and 1.2 with forward-secret AEAD
 * ciphers only, HTTP/2 offered first by ALPN and HTTP/1.1 for clients without it, the configured
 * {@code Strict-Transport-Security} on every response, and the keys reloaded when their files change
 * ({@link CertificateReloader}).
 *
 * <p>The keys are read and checked when the node starts ({@link #loadKeys()}), before it binds anything, so a
 * wrong password, a missing file, a key without its certificate or an expired certificate stops the node
 * ({@link StartupException} naming the setting).
 */
final class HttpsConnector {
    /** Protocol versions offered: TLS 1.0 and 1.1 are deprecated (RFC 8996), SSL is long broken. */
    static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

    /**
     * Cipher suites offered, as patterns over the JDK's names: every TLS 1.3 suite (all AEAD with ephemeral keys),
     * and for TLS 1.2 only ECDHE key exchange with AES-GCM or ChaCha20-Poly1305: no RSA key exchange (no forward
     * secrecy), no CBC (padding oracles), no SHA-1 MACs, no DHE (slow, weak groups). Jetty's default exclusions
     * stay on top of this.
     */
    static final String[] CIPHER_SUITES = {
        "TLS_AES_.*", "TLS_CHACHA20_.*",
        "TLS_ECDHE_(ECDSA|RSA)_WITH_AES_(128|256)_GCM_SHA(256|384)",
        "TLS_ECDHE_(ECDSA|RSA)_WITH_CHACHA20_POLY1305_SHA256",
    };

    private final String nodeName;
    private final TlsConfig tls;
    private final Clock clock;
    private final SslContextFactory.Server ssl;
    private final ServerConnector connector;
    private final int port;
    private final @Nullable CertificateReloader reloader;

    HttpsConnector(String nodeName, Server server, String host, TlsConfig tls, HttpConfiguration plain,
            Duration idleTimeout, int acceptQueueSize, Clock clock) {
        this.nodeName = requireNonNull(nodeName, "nodeName is null");
        this.tls = requireNonNull(tls, "tls is null");
        this.clock = requireNonNull(clock, "clock is null");
        SslContextFactory.Server ssl = new SslContextFactory.Server();
        this.ssl = ssl;
        ssl.setIncludeProtocols(PROTOCOLS);
        ssl.setIncludeCipherSuites(CIPHER_SUITES);
        // HTTP/2 forbids the suites RFC 9113 appendix A lists; ordering puts the allowed ones first
        ssl.setCipherComparator(HTTP2Cipher.COMPARATOR);
        ssl.setUseCipherSuitesOrder(true);

        HttpConfiguration https = new HttpConfiguration(plain);
        // request.isSecure(), the https scheme and the TLS session attributes; a Host the certificate does not
        // cover, sent with SNI, gets 400 (Jetty's default check)
        https.addCustomizer(new SecureRequestCustomizer());
        tls.hsts().ifPresent(value -> {
            HttpField field = new PreEncodedHttpField(HttpHeader.STRICT_TRANSPORT_SECURITY, value);
            https.addCustomizer((request, responseHeaders) -> {
                responseHeaders.put(field);
                return request;
            });
        });
        HTTP2ServerConnectionFactory h2 = new HTTP2ServerConnectionFactory(https);
        HttpConnectionFactory http11 = new HttpConnectionFactory(https);
        ALPNServerConnectionFactory alpn = new ALPNServerConnectionFactory(h2.getProtocol(), http11.getProtocol());
        alpn.setDefaultProtocol(http11.getProtocol());
        SslConnectionFactory tlsFactory = new SslConnectionFactory(ssl, alpn.getProtocol());

        this.connector = new ServerConnector(server, tlsFactory, alpn, h2, http11);
        connector.setHost(host);
        connector.setPort(tls.port());
        connector.setIdleTimeout(idleTimeout.toMillis());
        connector.setAcceptQueueSize(acceptQueueSize);
        server.addConnector(connector);
        this.port = tls.port();
        if (tls.scanInterval().isZero()) {
            this.reloader = null;
        } else {
            this.reloader = new CertificateReloader(nodeName, tls, ssl, clock);
            server.addBean(reloader);
        }
    }

    /**
     * Reads and checks the key files and gives them to the TLS context; called by {@link NodeServer#start()} before
     * anything binds, so a node with unusable keys stops at start (and a component started before it is closed).
     *
     * @throws StartupException naming the setting to fix
     */
    void loadKeys() {
        TlsKeys.Loaded keys;
        try {
            keys = TlsKeys.load(tls, clock.instant());
        } catch (TlsKeys.BadKeysException e) {
            throw new StartupException(nodeName + " cannot serve HTTPS: " + e.getMessage(), e);
        }
        ssl.setKeyStore(keys.store());
        ssl.setKeyStorePassword(keys.password());
    }

    ServerConnector connector() {
        return connector;
    }

    /** The configured {@code tls.port} (0 for an ephemeral one; {@link ServerConnector#getLocalPort()} has the real one). */
    int port() {
        return port;
    }

    Optional<CertificateReloader> reloader() {
        return Optional.ofNullable(reloader);
    }
}
