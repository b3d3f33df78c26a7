package io.blueorigin.cdn.proxy.encoding;

import io.blueorigin.cdn.httpcache.CachedResponse;
import io.blueorigin.cdn.httpcache.EntityTag;
import io.blueorigin.cdn.httpcache.Field;
import io.blueorigin.cdn.httpcache.FieldLookup;
import io.blueorigin.cdn.httpcache.VaryKey;
import io.blueorigin.cdn.httpcache.encoding.AcceptEncoding;
import io.blueorigin.cdn.httpcache.encoding.Coding;
import io.blueorigin.cdn.httpcache.encoding.EncodedEtags;
import io.blueorigin.cdn.storage.StoredObject;
import io.blueorigin.cdn.storage.Variants;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * Where the edge keeps the compressed copies of a stored response, and how a request finds them.
 *
 * <h2>Design note: compress once, store next to the identity variant</h2>
 *
 * <p><b>Keying.</b> An encoded copy is one more variant of the same primary key, under
 * {@code Vary: Accept-Encoding} (plus whatever the identity response varies on). The edge normalises the
 * request's {@code Accept-Encoding} to the coding it negotiated ({@link AcceptEncoding#negotiate}) before it
 * computes any secondary key ({@link AcceptEncoding#normalized}), for storing and for selecting alike, so a
 * URL holds at most three such variants ({@code br}, {@code gzip}, {@code identity}) per value of its other
 * {@code Vary} fields, whatever clients send. {@code Variants.select} and {@code VaryKey} are used unchanged.
 *
 * <p><b>Lookup</b> ({@link #selectFor}), for a request that negotiated coding C:
 * <ol>
 *   <li>The variant the normalised request selects: C's copy made here ({@link #ENCODED_HERE}) only while
 *       fresh; what the origin sent compressed for requests that negotiate C (revalidated upstream as any
 *       stored response); or a response stored without {@code Vary}.</li>
 *   <li>Else the identity variant (the one {@code Variants.select} picks for the request with
 *       {@code Accept-Encoding: identity}). It is served as identity, with {@code Vary: Accept-Encoding} when its
 *       type is compressible (added when its header section is prepared, {@code ProxyCache.prepare}), which is
 *       correct for any client; after a fresh hit the exchange asks {@link Compressor} for C's copy, which later
 *       requests hit.</li>
 *   <li>Else nothing: the usual miss, fetched with {@code Accept-Encoding} set to C (the fetcher already sends
 *       the normalised coding upstream), stored as the origin sends it.</li>
 * </ol>
 *
 * <p><b>Never revalidated.</b> An encoded copy has no upstream counterpart: its ETag is derived
 * ({@link EncodedEtags}), so a conditional request upstream with it would never match. When it is stale it is
 * skipped (step 2 serves or revalidates the identity one) and a fresh identity is compressed again. It
 * copies the identity's freshness data (request and response times, age, lifetime, stale windows), so both
 * expire together; its tags, so a tag purge removes both; and its response time, so a ban (judged on key
 * and response time) reaches both.
 *
 * <p><b>An origin that compresses</b> ({@code Content-Encoding} set) is stored and served as it sent it:
 * {@link io.blueorigin.cdn.httpcache.encoding.CompressionPolicy#eligible} says ALREADY_ENCODED and nothing is
 * made from it.
 *
 * <p><b>Ranges</b> apply to the variant sent: an encoded copy is a complete stored object with its own
 * length and its own strong ETag, so {@code Range} and {@code If-Range} work on its bytes as on any other.
 */
public final class EncodedVariants {
    /**
     * Marks a variant this edge made (value: the coding), so selection can tell it from one the origin sent
     * compressed: ours are never revalidated upstream. A client-facing node may drop it from responses.
     */
    public static final String ENCODED_HERE = "X-Edge-Encoded";
    /** Fields describing the identity bytes that would be false for the encoded ones. */
    private static final List<String> NOT_COPIED = List.of("content-length", "content-encoding", "etag", "vary",
            "content-md5", "digest", "content-digest", "repr-digest", ENCODED_HERE.toLowerCase(Locale.ROOT));

    private EncodedVariants() {}

    /**
     * What a request that negotiated a coding gets from the stored variants.
     *
     * @param object the variant to serve, or null: a miss
     * @param compressible when {@code object} is the identity variant although another coding was negotiated:
     *     the identity variant to compress in the background (the exchange checks the policy), else null
     */
    public record Selection(@Nullable StoredObject object, @Nullable StoredObject compressible) {
        static final Selection MISS = new Selection(null, null);
    }

    /**
     * Selects the variant to serve (see the class comment).
     *
     * @param variants the stored variants of the request's primary key
     * @param request the request's fields as received
     * @param coding the coding negotiated for it
     * @param nowMillis the time, for the freshness of encoded copies
     */
    public static Selection selectFor(Variants variants, FieldLookup request, Coding coding, long nowMillis) {
        if (variants.isEmpty()) {
            return Selection.MISS;
        }
        // the variant the normalised request selects: C's copy, what the origin sent compressed for requests that
        // negotiate C (e.g. gzip for a client that prefers br), or a response stored without Vary
        StoredObject found = variants.select(AcceptEncoding.normalized(request, coding));
        if (found != null && isEncodedHere(found.response()) && !found.response().isFresh(nowMillis)) {
            found = null; // a stale copy of ours is never revalidated: the identity one is
        }
        if (found == null && coding != Coding.IDENTITY) {
            found = identityVariant(variants, request);
        }
        if (found == null) {
            return Selection.MISS;
        }
        boolean compressible = coding != Coding.IDENTITY && codingOf(found.response()) == Coding.IDENTITY
                && !isEncodedHere(found.response());
        return new Selection(found, compressible ? found : null);
    }

    /** The identity variant for {@code request}: selected with {@code Accept-Encoding: identity}, uncoded. */
    public static @Nullable StoredObject identityVariant(Variants variants, FieldLookup request) {
        FieldLookup asIdentity = AcceptEncoding.normalized(request, Coding.IDENTITY);
        for (StoredObject o : variants.all()) {
            CachedResponse r = o.response();
            if (codingOf(r) == Coding.IDENTITY && !isEncodedHere(r) && matches(r, asIdentity)) {
                return o;
            }
        }
        return null;
    }

    private static boolean matches(CachedResponse r, FieldLookup request) {
        return r.varyFields().isEmpty() ? r.varyKey().isEmpty() : VaryKey.of(r.varyFields(), request).equals(r.varyKey());
    }

    /** Whether {@code response} is a copy this edge encoded. */
    public static boolean isEncodedHere(CachedResponse response) {
        return response.lookup().has(ENCODED_HERE);
    }

    /**
     * The content coding of a stored response: identity without {@code Content-Encoding} (or with
     * {@code identity}); null for one this node does not produce or a list of several codings.
     */
    public static @Nullable Coding codingOf(CachedResponse response) {
        List<String> values = response.lookup().values("Content-Encoding");
        Coding found = Coding.IDENTITY;
        for (String value : values) {
            for (String member : value.split(",", -1)) {
                if (member.isBlank()) {
                    continue;
                }
                Optional<Coding> c = Coding.of(member);
                if (c.isEmpty() || (found != Coding.IDENTITY && c.get() != Coding.IDENTITY)) {
                    return null;
                }
                if (c.get() != Coding.IDENTITY) {
                    found = c.get();
                }
            }
        }
        return found;
    }

    /**
     * The secondary key the {@code coding} copy of {@code identity} is stored under, for the request that
     * selected it: the identity's {@code Vary} fields plus {@code accept-encoding}, read from
     * {@code request} normalised to {@code coding}. Computed on the request's thread (the request's fields do
     * not outlive it).
     */
    public static String encodedVaryKey(CachedResponse identity, FieldLookup request, Coding coding) {
        return VaryKey.of(encodedVaryFields(identity), AcceptEncoding.normalized(request, coding));
    }

    static List<String> encodedVaryFields(CachedResponse identity) {
        TreeSet<String> names = new TreeSet<>(identity.varyFields());
        names.add("accept-encoding");
        return List.copyOf(names);
    }

    /**
     * The stored metadata of the {@code coding} copy of {@code identity}, whose body is {@code length} bytes:
     * {@code Content-Encoding} and {@link #ENCODED_HERE} added, {@code Content-Length} the new length, the
     * ETag derived (dropped if the identity's is invalid), {@code Vary} with {@code Accept-Encoding}, digests
     * of the identity bytes dropped; freshness, times and tags those of the identity.
     */
    public static CachedResponse encodedResponse(CachedResponse identity, Coding coding, String varyKey, long length) {
        List<Field> fields = new ArrayList<>(identity.fields().size() + 4);
        List<String> vary = new ArrayList<>();
        String etag = null;
        for (Field f : identity.fields()) {
            String name = f.name().toLowerCase(Locale.ROOT);
            if (name.equals("vary")) {
                vary.add(f.value());
            } else if (name.equals("etag")) {
                etag = f.value();
            } else if (!NOT_COPIED.contains(name)) {
                fields.add(f);
            }
        }
        fields.add(new Field("Content-Encoding", coding.token()));
        fields.add(new Field("Content-Length", Long.toString(length)));
        Optional<String> derived = etag == null ? Optional.empty() : EncodedEtags.derive(etag, coding);
        derived.ifPresent(t -> fields.add(new Field("ETag", t)));
        fields.add(new Field("Vary", varyOnAcceptEncoding(vary)));
        fields.add(new Field(ENCODED_HERE, coding.token()));
        Optional<EntityTag> tag = derived.flatMap(EntityTag::parse);
        return new CachedResponse(identity.status(), fields, identity.requestTimeMillis(), identity.responseTimeMillis(),
                identity.correctedInitialAgeMillis(), identity.freshnessLifetimeMillis(),
                identity.staleWhileRevalidateMillis(), identity.staleIfErrorMillis(), identity.mustRevalidate(),
                identity.sharedMaxAge(), identity.noCache(), tag, identity.lastModifiedMillis(), identity.dateMillis(),
                encodedVaryFields(identity), varyKey, identity.surrogateKeys(), length);
    }

    /**
     * The {@code Vary} value to send with a compressible response served in identity form, or an encoded one:
     * the stored {@code Vary} lines joined, with {@code Accept-Encoding} added unless listed (or {@code *}).
     */
    public static String varyOnAcceptEncoding(List<String> varyLines) {
        StringBuilder out = new StringBuilder();
        boolean listed = false;
        for (String line : varyLines) {
            for (String member : line.split(",", -1)) {
                String m = member.trim();
                if (m.isEmpty()) {
                    continue;
                }
                listed |= m.equalsIgnoreCase("accept-encoding") || m.equals("*");
                out.append(out.isEmpty() ? "" : ", ").append(m);
            }
        }
        if (!listed) {
            out.append(out.isEmpty() ? "" : ", ").append("Accept-Encoding");
        }
        return out.toString();
    }
}
