package io.blueorigin.cdn.httpcache.encoding;

import io.blueorigin.cdn.httpcache.EntityTag;
import java.util.Optional;

/**
 * The entity tag of an encoded variant, derived from its identity variant's: the coding's token appended to
 * the opaque tag, weakness kept ({@code "abc"} becomes {@code "abc-br"}, {@code W/"abc"} becomes
 * {@code W/"abc-br"}).
 *
 * <p>Why: a strong validator names exact bytes (RFC 9110 §8.8.3), and the encoded variant's bytes differ from
 * the identity one's, so the two may not share a strong tag; otherwise a range request with {@code If-Range}
 * could splice bytes of both. A weak tag could stay, but deriving it too keeps one rule and lets a
 * conditional request name the variant it holds. Apache's mod_deflate uses the same suffix scheme
 * ({@code -gzip}).
 *
 * <p>Collisions: an origin whose own tags end in {@code -br} could mint {@code "abc-br"} for another
 * representation of the same URL; the variant still matches only within its own {@code Vary} key, so a
 * conditional request compares tags of one coding's variants only.
 */
public final class EncodedEtags {
    private EncodedEtags() {}

    /** The tag of {@code identity}'s {@code coding} variant; {@code identity} itself for {@link Coding#IDENTITY}. */
    public static EntityTag derive(EntityTag identity, Coding coding) {
        if (coding == Coding.IDENTITY || identity == EntityTag.ANY) {
            return identity;
        }
        return new EntityTag(identity.opaque() + "-" + coding.token(), identity.weak());
    }

    /**
     * The {@code ETag} field value of the encoded variant, from the identity variant's field value; empty when
     * that is not one valid entity-tag (the encoded variant is then sent without an ETag).
     */
    public static Optional<String> derive(String identityFieldValue, Coding coding) {
        return EntityTag.parse(identityFieldValue).map(t -> derive(t, coding).toString());
    }
}
