package io.blueorigin.cdn.runtime;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * HTTPS on a node's traffic server ({@code tls.*}): a second connector beside the plain one, with HTTP/2
 * negotiated by ALPN and HTTP/1.1 as the fallback (docs/tls.md).
 *
 * @param port the HTTPS port ({@code tls.port}); {@code 0} picks a free port (tests)
 * @param keys where the certificate chain and its private key come from
 * @param hsts the {@code Strict-Transport-Security} value added to every HTTPS response ({@code tls.hsts}),
 *     or empty for none; never added to plain HTTP responses (RFC 6797 section 7.2)
 * @param scanInterval how often the key files are checked for a change ({@code tls.scan-interval}); whole seconds,
 *     {@link Duration#ZERO} for never (a restart then picks up a new certificate)
 * @param allowExpired start (and reload) with a certificate outside its validity period ({@code tls.allow-expired});
 *     off by default, since clients refuse such a certificate and every HTTPS request would fail
 */
public record TlsConfig(int port, Keys keys, Optional<String> hsts, Duration scanInterval, boolean allowExpired) {

    /** What {@code tls.hsts} accepts: {@code max-age=N}, then optionally {@code includeSubDomains} and {@code preload}. */
    private static final Pattern HSTS = Pattern.compile(
            "max-age=\\d{1,10}(\\s*;\\s*includeSubDomains)?(\\s*;\\s*preload)?", Pattern.CASE_INSENSITIVE);

    /** One year, the value HSTS preload lists ask for. */
    public static final String DEFAULT_HSTS = "max-age=31536000";

    public TlsConfig {
        requireNonNull(keys, "keys is null");
        requireNonNull(hsts, "hsts is null");
        requireNonNull(scanInterval, "scanInterval is null");
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("tls.port : " + port + " (expected: 0..65535)");
        }
        hsts.ifPresent(value -> {
            if (!HSTS.matcher(value).matches()) {
                throw new IllegalArgumentException("tls.hsts : '" + value + "' (expected: off, or max-age=SECONDS "
                        + "optionally followed by '; includeSubDomains' and '; preload', e.g. " + DEFAULT_HSTS + ")");
            }
        });
        if (scanInterval.isNegative() || scanInterval.toNanos() % 1_000_000_000L != 0) {
            throw new IllegalArgumentException("tls.scan-interval : " + scanInterval
                    + " (expected: whole seconds, or 0s for no reload)");
        }
    }

    /** {@code tls.hsts} as written: {@code off} (or empty) for none, else the field value. */
    public static Optional<String> hsts(String setting) {
        String value = setting.trim();
        return value.isEmpty() || value.equalsIgnoreCase("off") ? Optional.empty() : Optional.of(value);
    }

    /** Where the certificate chain and private key are read from; the files are read again on a change. */
    public sealed interface Keys permits KeyStoreFile, PemFiles {}

    /**
     * A PKCS#12 keystore ({@code tls.keystore}) holding one private key and its certificate chain.
     *
     * @param password the store's (and key's) password ({@code tls.keystore-password}, or the
     *     {@code CDN_TLS_KEYSTORE_PASSWORD} environment variable); never shown by {@link #toString()}
     */
    public record KeyStoreFile(Path path, String password) implements Keys {
        public KeyStoreFile {
            requireNonNull(path, "path is null");
            requireNonNull(password, "password is null");
        }

        @Override
        public String toString() {
            return "KeyStoreFile[" + path + "]";
        }
    }

    /**
     * PEM files: the certificate chain, leaf first ({@code tls.certificate}), and its unencrypted private key
     * ({@code tls.private-key}: PKCS#8 {@code PRIVATE KEY}, PKCS#1 {@code RSA PRIVATE KEY} or
     * {@code EC PRIVATE KEY}), as certbot and most ACME clients write them.
     */
    public record PemFiles(Path certificate, Path privateKey) implements Keys {
        public PemFiles {
            requireNonNull(certificate, "certificate is null");
            requireNonNull(privateKey, "privateKey is null");
        }
    }
}
