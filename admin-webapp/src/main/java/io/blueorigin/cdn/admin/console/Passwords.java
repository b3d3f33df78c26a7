package io.blueorigin.cdn.admin.console;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * Password hashes of console users: Argon2id (RFC 9106) from BouncyCastle, stored as PHC strings
 * ({@code $argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>}, base64 without padding) so the parameters travel
 * with each hash and old hashes still verify after the defaults change.
 *
 * <p>Defaults are OWASP's minimum for Argon2id: 19 MiB of memory, 2 passes, 1 lane; a 16-byte random salt and a
 * 32-byte hash. One hash costs about 19 MiB and tens of milliseconds of one core: callers bound how many run at
 * once ({@link LoginGate}), so a login flood cannot take the admin's heap or CPU.
 *
 * <p>Passwords: 12 to 200 characters ({@link #check}); no composition rules (NIST SP 800-63B).
 */
public final class Passwords {
    public static final int MIN_LENGTH = 12;
    public static final int MAX_LENGTH = 200;
    static final int MEMORY_KIB = 19_456;
    static final int ITERATIONS = 2;
    static final int LANES = 1;
    private static final int SALT_BYTES = 16;
    private static final int HASH_BYTES = 32;
    private static final Pattern PHC = Pattern.compile(
            "\\$argon2id\\$v=19\\$m=(\\d{1,7}),t=(\\d{1,2}),p=(\\d{1,2})\\$([A-Za-z0-9+/]{11,64})\\$([A-Za-z0-9+/]{22,128})");
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder ENCODER = Base64.getEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getDecoder();
    /** Verified when the user does not exist, so a login takes as long for an unknown name as for a known one. */
    private static final String DUMMY = hash("not a password of anyone: it equalises the time of a failed login");

    private Passwords() {}

    /** Why {@code password} is not acceptable for a new user, if it is not. */
    public static Optional<String> check(String password) {
        if (password.length() < MIN_LENGTH) {
            return Optional.of("at least " + MIN_LENGTH + " characters (got " + password.length() + ")");
        }
        if (password.length() > MAX_LENGTH) {
            return Optional.of("at most " + MAX_LENGTH + " characters");
        }
        if (password.isBlank()) {
            return Optional.of("not only spaces");
        }
        return Optional.empty();
    }

    /** A new PHC string for {@code password}, with a fresh salt and the default parameters. */
    public static String hash(String password) {
        byte[] salt = new byte[SALT_BYTES];
        RANDOM.nextBytes(salt);
        byte[] hash = argon2(password, salt, MEMORY_KIB, ITERATIONS, LANES, HASH_BYTES);
        return "$argon2id$v=19$m=" + MEMORY_KIB + ",t=" + ITERATIONS + ",p=" + LANES + "$" + ENCODER.encodeToString(salt)
                + "$" + ENCODER.encodeToString(hash);
    }

    /**
     * Whether {@code password} matches {@code phc} (constant-time comparison). A malformed stored hash, or
     * parameters beyond what this class would produce times 4 (a tampered row asking for gigabytes), never
     * match.
     */
    public static boolean verify(String password, String phc) {
        Matcher m = PHC.matcher(phc);
        if (!m.matches()) {
            return false;
        }
        int memory = Integer.parseInt(m.group(1));
        int iterations = Integer.parseInt(m.group(2));
        int lanes = Integer.parseInt(m.group(3));
        if (memory < 8 || memory > 4 * MEMORY_KIB || iterations < 1 || iterations > 4 * ITERATIONS || lanes < 1
                || lanes > 4) {
            return false;
        }
        byte[] salt;
        byte[] expected;
        try {
            salt = DECODER.decode(m.group(4));
            expected = DECODER.decode(m.group(5));
        } catch (IllegalArgumentException e) {
            return false;
        }
        byte[] actual = argon2(password, salt, memory, iterations, lanes, expected.length);
        return MessageDigest.isEqual(actual, expected);
    }

    /** Spends the time of one verification and fails: for a user name that does not exist. */
    public static boolean verifyNobody(String password) {
        verify(password, DUMMY);
        return false;
    }

    private static byte[] argon2(String password, byte[] salt, int memoryKib, int iterations, int lanes, int length) {
        Argon2Parameters parameters = new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                .withVersion(Argon2Parameters.ARGON2_VERSION_13)
                .withSalt(salt)
                .withMemoryAsKB(memoryKib)
                .withIterations(iterations)
                .withParallelism(lanes)
                .build();
        Argon2BytesGenerator generator = new Argon2BytesGenerator();
        generator.init(parameters);
        byte[] out = new byte[length];
        generator.generateBytes(password.getBytes(StandardCharsets.UTF_8), out);
        return out;
    }
}
