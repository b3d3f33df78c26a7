package io.blueorigin.cdn.router;

import java.nio.charset.StandardCharsets;

/**
 * Weighted rendezvous (highest random weight) hashing: every (client key, edge) pair gets a score, and the
 * highest-scoring edge of a set wins.
 *
 * <p>The score is {@code weight / -ln(u)} with {@code u} a uniform hash of the pair in (0, 1): then
 * {@code -ln(u) / weight} is exponential with rate {@code weight}, and the smallest of independent
 * exponentials is edge i with probability {@code w_i / sum(w)} (Schindelhauer and Schomaker, "Weighted
 * distributed hash tables", 2005; the same construction as Resch's "logarithmic method"). So:
 * <ul>
 *   <li>a client keeps its edge while the set does not change (the score depends only on the pair);</li>
 *   <li>when an edge leaves, only its clients move, and they spread over the others by weight (each
 *       client's runner-up is independent of the departed edge);</li>
 *   <li>the hash is fixed (FNV-1a then the MurmurHash3 finaliser over the UTF-8 bytes), so every router
 *       replica and every restart makes the same choice.</li>
 * </ul>
 */
final class Rendezvous {
    private static final long FNV_OFFSET = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;

    private Rendezvous() {
    }

    /** The score of {@code edge} for {@code clientKey}: positive and finite; higher wins. */
    static double score(String clientKey, EdgeCandidate edge) {
        long h = hash(clientKey, edge.name());
        // 53 random bits, offset by half a step: u in (0, 1), so -ln(u) is positive and finite
        double u = ((h >>> 11) + 0.5) * 0x1.0p-53;
        return edge.weight() / -Math.log(u);
    }

    static long hash(String clientKey, String edgeName) {
        long h = FNV_OFFSET;
        h = fnv(h, clientKey.getBytes(StandardCharsets.UTF_8));
        h = (h ^ 0xff) * FNV_PRIME; // 0xff never occurs in UTF-8: "ab"+"c" and "a"+"bc" differ
        h = fnv(h, edgeName.getBytes(StandardCharsets.UTF_8));
        return fmix64(h);
    }

    private static long fnv(long h, byte[] bytes) {
        for (byte b : bytes) {
            h = (h ^ (b & 0xff)) * FNV_PRIME;
        }
        return h;
    }

    /** MurmurHash3's 64-bit finaliser: every input bit affects every output bit. */
    private static long fmix64(long h) {
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h;
    }
}
