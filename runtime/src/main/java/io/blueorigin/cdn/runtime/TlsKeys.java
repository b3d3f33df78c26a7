package io.blueorigin.cdn.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.UnrecoverableKeyException;
import java.security.cert.Certificate;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * Reads and checks a node's TLS keys ({@link TlsConfig.Keys}) into an in-memory PKCS#12 {@link KeyStore}, the
 * same way at start and at every reload, so a file that would not start a node never replaces a working
 * certificate either.
 *
 * <p>Checks: the file exists and parses, the password opens it, it holds a private key, the key belongs to the
 * first certificate of its chain, and that certificate is valid now (unless {@code tls.allow-expired}). Each
 * failure is a {@link BadKeysException} with one line that starts with the setting to fix.
 */
final class TlsKeys {
    /** Password of the in-memory store built from PEM files (never written anywhere). */
    private static final String PEM_STORE_PASSWORD = "pem";

    private TlsKeys() {}

    /** The keys of a {@link TlsConfig}, checked; {@code password} opens the store and its key entries. */
    record Loaded(KeyStore store, String password, X509Certificate leaf) {
        /** The leaf certificate's subject and expiry, for the log. */
        String describe() {
            return leaf.getSubjectX500Principal().getName() + " (expires " + leaf.getNotAfter().toInstant() + ")";
        }
    }

    /** The keys cannot be used; the message starts with the key to change and says what to do. */
    static final class BadKeysException extends Exception {
        private static final long serialVersionUID = 1L;

        BadKeysException(String message) {
            super(message);
        }

        BadKeysException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    static Loaded load(TlsConfig config, Instant now) throws BadKeysException {
        if (config.keys() instanceof TlsConfig.KeyStoreFile file) {
            return loadKeyStore(file, config.allowExpired(), now);
        }
        return loadPem((TlsConfig.PemFiles) config.keys(), config.allowExpired(), now);
    }

    private static Loaded loadKeyStore(TlsConfig.KeyStoreFile file, boolean allowExpired, Instant now)
            throws BadKeysException {
        Path path = file.path();
        char[] password = file.password().toCharArray();
        KeyStore store;
        try (InputStream in = Files.newInputStream(path)) {
            store = KeyStore.getInstance("PKCS12");
            store.load(in, password);
        } catch (NoSuchFileException e) {
            throw new BadKeysException("tls.keystore : no file " + path + " (expected: a PKCS#12 keystore with the "
                    + "certificate and its private key)", e);
        } catch (IOException e) {
            if (e.getCause() instanceof UnrecoverableKeyException || String.valueOf(e.getMessage()).contains("password")) {
                throw new BadKeysException("tls.keystore-password : it does not open " + path + " (expected: the "
                        + "password the keystore was written with, in tls.keystore-password or the CDN_TLS_KEYSTORE_PASSWORD "
                        + "environment variable)", e);
            }
            throw new BadKeysException("tls.keystore : " + path + " cannot be read as a PKCS#12 keystore: " + e.getMessage()
                    + " (expected: a .p12/.pfx file, e.g. openssl pkcs12 -export -inkey key.pem -in cert.pem -out edge.p12)", e);
        } catch (GeneralSecurityException e) {
            throw new BadKeysException("tls.keystore : " + path + " cannot be read as a PKCS#12 keystore: " + e.getMessage(), e);
        }
        try {
            X509Certificate leaf = null;
            for (String alias : Collections.list(store.aliases())) {
                if (!store.isKeyEntry(alias)) {
                    continue;
                }
                Key key;
                try {
                    key = store.getKey(alias, password);
                } catch (UnrecoverableKeyException e) {
                    throw new BadKeysException("tls.keystore-password : it opens " + path + " but not its key '" + alias
                            + "' (expected: the key protected by the keystore's password)", e);
                }
                Certificate[] chain = store.getCertificateChain(alias);
                if (!(key instanceof PrivateKey privateKey) || chain == null || chain.length == 0
                        || !(chain[0] instanceof X509Certificate first)) {
                    continue;
                }
                checkPair(privateKey, first, "tls.keystore", path);
                checkValidity(first, "tls.keystore", path, allowExpired, now);
                if (leaf == null) {
                    leaf = first;
                }
            }
            if (leaf == null) {
                throw new BadKeysException("tls.keystore : " + path + " holds no private key with its certificate "
                        + "(expected: a key entry, e.g. openssl pkcs12 -export -inkey key.pem -in cert.pem -out edge.p12)");
            }
            return new Loaded(store, file.password(), leaf);
        } catch (GeneralSecurityException e) {
            throw new BadKeysException("tls.keystore : " + path + ": " + e.getMessage(), e);
        }
    }

    private static Loaded loadPem(TlsConfig.PemFiles files, boolean allowExpired, Instant now) throws BadKeysException {
        List<X509Certificate> chain = new ArrayList<>();
        JcaX509CertificateConverter certificates = new JcaX509CertificateConverter();
        try (Reader reader = Files.newBufferedReader(files.certificate(), StandardCharsets.US_ASCII);
                PEMParser parser = new PEMParser(reader)) {
            for (Object o = parser.readObject(); o != null; o = parser.readObject()) {
                if (o instanceof X509CertificateHolder holder) {
                    chain.add(certificates.getCertificate(holder));
                }
            }
        } catch (NoSuchFileException e) {
            throw new BadKeysException("tls.certificate : no file " + files.certificate()
                    + " (expected: the PEM certificate chain, leaf first, e.g. certbot's fullchain.pem)", e);
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            throw new BadKeysException("tls.certificate : " + files.certificate() + " cannot be read as PEM: "
                    + e.getMessage() + " (expected: -----BEGIN CERTIFICATE----- blocks, leaf first)", e);
        }
        if (chain.isEmpty()) {
            throw new BadKeysException("tls.certificate : " + files.certificate() + " holds no certificate "
                    + "(expected: -----BEGIN CERTIFICATE----- blocks, leaf first)");
        }
        PrivateKey key = readPrivateKey(files.privateKey());
        X509Certificate leaf = chain.get(0);
        checkPair(key, leaf, "tls.private-key", files.privateKey());
        checkValidity(leaf, "tls.certificate", files.certificate(), allowExpired, now);
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("server", key, PEM_STORE_PASSWORD.toCharArray(), chain.toArray(new Certificate[0]));
            return new Loaded(store, PEM_STORE_PASSWORD, leaf);
        } catch (IOException | GeneralSecurityException e) {
            throw new BadKeysException("tls.private-key : " + files.privateKey() + " cannot be stored with its "
                    + "certificate: " + e.getMessage(), e);
        }
    }

    private static PrivateKey readPrivateKey(Path path) throws BadKeysException {
        JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
        try (Reader reader = Files.newBufferedReader(path, StandardCharsets.US_ASCII);
                PEMParser parser = new PEMParser(reader)) {
            for (Object o = parser.readObject(); o != null; o = parser.readObject()) {
                if (o instanceof PEMKeyPair pair) {
                    // the private half only: an EC key written without its public point has no public half
                    return converter.getPrivateKey(pair.getPrivateKeyInfo());
                }
                if (o instanceof PrivateKeyInfo info) {
                    return converter.getPrivateKey(info);
                }
                if (o instanceof PEMEncryptedKeyPair || o instanceof PKCS8EncryptedPrivateKeyInfo) {
                    throw new BadKeysException("tls.private-key : " + path + " is encrypted (expected: an unencrypted "
                            + "key readable only by the node's user; decrypt it with openssl pkey -in KEY -out KEY.plain, "
                            + "or use a PKCS#12 keystore with tls.keystore-password)");
                }
            }
        } catch (NoSuchFileException e) {
            throw new BadKeysException("tls.private-key : no file " + path + " (expected: the certificate's PEM private key,"
                    + " e.g. certbot's privkey.pem)", e);
        } catch (IOException | RuntimeException e) {
            throw new BadKeysException("tls.private-key : " + path + " cannot be read as PEM: " + e.getMessage(), e);
        }
        throw new BadKeysException("tls.private-key : " + path + " holds no private key (expected: a -----BEGIN PRIVATE "
                + "KEY-----, RSA PRIVATE KEY or EC PRIVATE KEY block)");
    }

    /** The key signs what the certificate's public key verifies: a key of another certificate fails every handshake. */
    private static void checkPair(PrivateKey key, X509Certificate certificate, String setting, Path path)
            throws BadKeysException {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "Ed25519", "EdDSA" -> "Ed25519";
            default -> null;
        };
        if (algorithm == null) {
            return;
        }
        try {
            byte[] probe = "blue-origin".getBytes(StandardCharsets.US_ASCII);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(certificate.getPublicKey());
            verifier.update(probe);
            if (verifier.verify(signature)) {
                return;
            }
        } catch (GeneralSecurityException e) {
            // a key of another type than the certificate's: reported below
        }
        throw new BadKeysException(setting + " : the private key in " + path + " does not belong to the certificate "
                + certificate.getSubjectX500Principal().getName() + " (expected: the key the certificate was issued for)");
    }

    private static void checkValidity(X509Certificate certificate, String setting, Path path, boolean allowExpired,
            Instant now) throws BadKeysException {
        try {
            certificate.checkValidity(Date.from(now));
        } catch (CertificateExpiredException e) {
            if (!allowExpired) {
                throw new BadKeysException(setting + " : the certificate " + certificate.getSubjectX500Principal().getName()
                        + " in " + path + " expired on " + certificate.getNotAfter().toInstant() + " (expected: a current "
                        + "certificate; renew it, or set tls.allow-expired: true to serve it anyway)", e);
            }
        } catch (CertificateNotYetValidException e) {
            if (!allowExpired) {
                throw new BadKeysException(setting + " : the certificate " + certificate.getSubjectX500Principal().getName()
                        + " in " + path + " is valid only from " + certificate.getNotBefore().toInstant()
                        + " (expected: a current certificate; check the clock, or set tls.allow-expired: true)", e);
            }
        }
    }
}
