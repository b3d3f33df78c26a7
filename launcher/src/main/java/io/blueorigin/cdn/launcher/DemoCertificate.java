package io.blueorigin.cdn.launcher;

import java.io.IOException;
import java.io.Writer;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The demo edge's self-signed certificate: an EC P-256 key and a certificate for {@code localhost}, 127.0.0.1 and
 * the demo's host, valid 30 days, made at every demo start with BouncyCastle and written as PEM ({@code edge.crt},
 * {@code edge.key}, the key readable by its owner only). Clients trust it with {@code curl --cacert edge.crt}.
 * For a demo only: a real edge uses a certificate from a CA (docs/tls.md).
 */
final class DemoCertificate {
    private DemoCertificate() {}

    /** The certificate and key files written. */
    record Files(Path certificate, Path privateKey) {}

    static Files write(Path dir, String host) throws IOException {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            KeyPair keys = generator.generateKeyPair();
            Instant now = Instant.now();
            X500Name name = new X500Name("CN=Blue Origin CDN demo edge");
            JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name,
                    new BigInteger(64, new SecureRandom()), Date.from(now.minus(Duration.ofHours(1))),
                    Date.from(now.plus(Duration.ofDays(30))), name, keys.getPublic());
            List<GeneralName> names = new ArrayList<>(List.of(new GeneralName(GeneralName.dNSName, "localhost"),
                    new GeneralName(GeneralName.iPAddress, "127.0.0.1")));
            if (!host.equals("127.0.0.1") && !host.equals("0.0.0.0") && !host.equals("localhost")) {
                names.add(isIpLiteral(host) ? new GeneralName(GeneralName.iPAddress, host)
                        : new GeneralName(GeneralName.dNSName, host));
            }
            builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names.toArray(new GeneralName[0])));
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())));
            java.nio.file.Files.createDirectories(dir);
            Path certificateFile = dir.resolve("edge.crt");
            Path keyFile = dir.resolve("edge.key");
            writePem(certificateFile, certificate);
            java.nio.file.Files.deleteIfExists(keyFile);
            try {
                java.nio.file.Files.createFile(keyFile, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (UnsupportedOperationException e) {
                java.nio.file.Files.createFile(keyFile);
            }
            writePem(keyFile, new JcaPKCS8Generator(keys.getPrivate(), null).generate());
            return new Files(certificateFile, keyFile);
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IOException("cannot make the demo edge's certificate: " + e.getMessage(), e);
        }
    }

    private static boolean isIpLiteral(String host) {
        return host.matches("[0-9.]+") || host.contains(":");
    }

    private static void writePem(Path path, Object object) throws IOException {
        try (Writer writer = java.nio.file.Files.newBufferedWriter(path, StandardCharsets.US_ASCII);
                JcaPEMWriter pem = new JcaPEMWriter(writer)) {
            pem.writeObject(object);
        }
    }
}
