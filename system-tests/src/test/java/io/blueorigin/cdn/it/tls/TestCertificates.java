package io.blueorigin.cdn.it.tls;

import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Self-signed EC certificates for the TLS tests, made with BouncyCastle at test time (no binary fixtures), written
 * as PKCS#12 keystores or PEM files. Every file is written to a temporary name and moved into place, as a
 * certificate renewal tool does, so a scanner never sees half a file.
 */
final class TestCertificates {
    private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());

    /** A key pair and its certificate; {@code commonName} tells certificates apart in assertions. */
    record Issued(KeyPair keys, X509Certificate certificate, String commonName) {}

    private TestCertificates() {}

    /** A certificate for localhost and 127.0.0.1, valid from an hour ago for a day. */
    static Issued current(String commonName) {
        Instant now = Instant.now();
        return issue(commonName, now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(1)));
    }

    /** A certificate that expired yesterday. */
    static Issued expired(String commonName) {
        Instant now = Instant.now();
        return issue(commonName, now.minus(Duration.ofDays(30)), now.minus(Duration.ofDays(1)));
    }

    static Issued issue(String commonName, Instant notBefore, Instant notAfter) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            KeyPair keys = generator.generateKeyPair();
            X500Name name = new X500Name("CN=" + commonName);
            JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name,
                    BigInteger.valueOf(SERIAL.incrementAndGet()), Date.from(notBefore), Date.from(notAfter), name,
                    keys.getPublic());
            builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                new GeneralName(GeneralName.dNSName, "localhost"), new GeneralName(GeneralName.iPAddress, "127.0.0.1")}));
            X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())));
            return new Issued(keys, certificate, commonName);
        } catch (Exception e) {
            throw new IllegalStateException("cannot make a test certificate", e);
        }
    }

    /** Writes {@code issued} as a PKCS#12 keystore at {@code path} protected by {@code password}. */
    static Path writeKeyStore(Issued issued, Path path, String password) {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("edge", issued.keys().getPrivate(), password.toCharArray(),
                    new Certificate[] {issued.certificate()});
            return replace(path, tmp -> {
                try (OutputStream out = Files.newOutputStream(tmp)) {
                    store.store(out, password.toCharArray());
                }
            });
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A PKCS#12 keystore holding only the certificate (a "trust store"), no private key. */
    static Path writeCertificateOnlyKeyStore(Issued issued, Path path, String password) {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setCertificateEntry("edge", issued.certificate());
            return replace(path, tmp -> {
                try (OutputStream out = Files.newOutputStream(tmp)) {
                    store.store(out, password.toCharArray());
                }
            });
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Writes the certificate to {@code certificate} and its private key (PKCS#8) to {@code key}, as PEM. */
    static void writePem(Issued issued, Path certificate, Path key) {
        writePemObject(issued.certificate(), certificate);
        writePemObject(pkcs8(issued.keys().getPrivate()), key);
    }

    /** PKCS#8 ("PRIVATE KEY"), as certbot writes keys. */
    private static Object pkcs8(java.security.PrivateKey key) {
        try {
            return new JcaPKCS8Generator(key, null).generate();
        } catch (org.bouncycastle.util.io.pem.PemGenerationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void writePemObject(Object object, Path path) {
        replace(path, tmp -> {
            try (Writer writer = Files.newBufferedWriter(tmp, StandardCharsets.US_ASCII);
                    JcaPEMWriter pem = new JcaPEMWriter(writer)) {
                pem.writeObject(object);
            }
        });
    }

    interface Write {
        void to(Path tmp) throws IOException, GeneralSecurityException;
    }

    static Path replace(Path path, Write write) {
        try {
            Path tmp = path.resolveSibling(path.getFileName() + ".tmp");
            write.to(tmp);
            Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return path;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
