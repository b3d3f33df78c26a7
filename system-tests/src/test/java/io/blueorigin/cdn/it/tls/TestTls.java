package io.blueorigin.cdn.it.tls;

import java.net.URI;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/** Raw TLS connections that accept any certificate: the TLS tests look at which certificate a node presents. */
final class TestTls {
    private TestTls() {}

    /** A handshaken TLS connection to {@code https}'s host and port (30 s read timeout, a bound on a broken server). */
    static SSLSocket connect(URI https) throws Exception {
        X509TrustManager any = new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {}

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {}

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        };
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[] {any}, null);
        SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(https.getHost(), https.getPort());
        socket.setSoTimeout(30_000);
        socket.startHandshake();
        return socket;
    }

    /** The common name of the certificate {@code socket}'s peer presented. */
    static String commonName(SSLSocket socket) throws Exception {
        X509Certificate leaf = (X509Certificate) socket.getSession().getPeerCertificates()[0];
        return leaf.getSubjectX500Principal().getName().replaceFirst("^CN=", "");
    }

    /** The common name of the certificate a new connection to {@code https} gets. */
    static String commonName(URI https) throws Exception {
        try (SSLSocket socket = connect(https)) {
            return commonName(socket);
        }
    }
}
