package io.blueorigin.cdn.storage.rocks;

import io.blueorigin.cdn.httpcache.CachedResponse;
import io.blueorigin.cdn.httpcache.EntityTag;
import io.blueorigin.cdn.httpcache.Field;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.zip.CRC32C;

/**
 * Byte layouts of the disk tier's RocksDB records. All integers are big-endian; strings are a u32 length
 * and UTF-8 bytes.
 *
 * <pre>
 * column family "meta": one record per stored object (variant)
 *   key    primaryKey UTF-8 | 0x00 | varyKey UTF-8
 *   value  'B' 'O' | version u8 = 1 | crc32c u32 of everything after it |
 *          generation u64 | storedAt u64 | bodyLength u64 | chunkSize u32 | chunkCount u32 |
 *          status u16 | requestTime u64 | responseTime u64 | correctedInitialAge u64 | freshnessLifetime u64 |
 *          staleWhileRevalidate u64 | staleIfError u64 | flags u8 (1 mustRevalidate, 2 sharedMaxAge, 4 noCache,
 *          8 has etag, 16 etag weak) | [etag string] | lastModified u64 | date u64 | contentLength u64 |
 *          varyKey string | varyFields u32 count, strings | surrogateKeys u32 count, strings |
 *          fields u32 count, (name string, value string)
 *
 * column family "extents": where each chunk of the body is in the body file ({@link BodyFile}), in chunks of
 * chunkSize bytes (the last one shorter); written with the meta record, in its batch
 *   key    generation u64 | index u32
 *   value  offset u64 (bytes into the file, a multiple of 512) | length u32 | crc32c u32 of the key, then the bytes
 *
 * column family "chunks": bodies written before the body file (2026-12-04), read until they are evicted
 *   key    generation u64 | index u32
 *   value  crc32c u32 of the key, then the bytes | bytes
 *          (chunks written before 2026-12-04 have the crc32c of the bytes alone; still accepted on read)
 *
 * column family "tags": surrogate-key index, written and deleted in the same batches as "meta"
 *   key    tag UTF-8 | 0x00 | meta key
 *   value  empty
 *
 * column family "pending": objects whose chunks were being written into "chunks" by a version before the body
 * file (what remains at open belongs to writes a crash interrupted, and its chunks are deleted); a body file
 * write needs none, since its extents are written only with its meta record
 *   key    generation u64
 *   value  meta key
 * </pre>
 *
 * The generation is a random 64-bit id per written object, so a new version's chunks never overwrite
 * those of the version readers may still be reading.
 *
 * <p>A chunk's checksum covers its key too, so a read that lands on another chunk's value (a damaged index
 * block pointing elsewhere) is refused like a damaged value. That makes the tier's own checksum the whole
 * check on a chunk read, and the tier reads chunks without RocksDB's checksum verification: the
 * rocksdbjni build is portable and computes CRC32C in software (about 0.8 ms of CPU per MiB here), where
 * {@link CRC32C} uses the processor's instruction.
 */
final class RecordCodec {
    private static final byte MAGIC_0 = 'B';
    private static final byte MAGIC_1 = 'O';
    private static final byte VERSION = 1;

    private RecordCodec() {}

    /** What a meta record holds besides the response. */
    record Header(long generation, long storedAtMillis, long bodyLength, int chunkSize, int chunkCount) {}

    /** A decoded meta record. */
    record Decoded(Header header, CachedResponse response) {}

    static byte[] metaKey(String primaryKey, String varyKey) {
        byte[] p = primaryKey.getBytes(StandardCharsets.UTF_8);
        byte[] v = varyKey.getBytes(StandardCharsets.UTF_8);
        byte[] key = new byte[p.length + 1 + v.length];
        System.arraycopy(p, 0, key, 0, p.length);
        System.arraycopy(v, 0, key, p.length + 1, v.length);
        return key;
    }

    /** Prefix of every meta key of {@code primaryKey}. */
    static byte[] metaPrefix(String primaryKey) {
        byte[] p = primaryKey.getBytes(StandardCharsets.UTF_8);
        byte[] prefix = new byte[p.length + 1];
        System.arraycopy(p, 0, prefix, 0, p.length);
        return prefix;
    }

    /** The primary key part of a meta key. */
    static String primaryOf(byte[] metaKey) {
        int zero = indexOf(metaKey, (byte) 0);
        return new String(metaKey, 0, zero < 0 ? metaKey.length : zero, StandardCharsets.UTF_8);
    }

    static byte[] chunkKey(long generation, int index) {
        return ByteBuffer.allocate(12).putLong(generation).putInt(index).array();
    }

    static byte[] generationKey(long generation) {
        return ByteBuffer.allocate(8).putLong(generation).array();
    }

    static byte[] tagKey(String tag, byte[] metaKey) {
        byte[] t = tag.getBytes(StandardCharsets.UTF_8);
        byte[] key = new byte[t.length + 1 + metaKey.length];
        System.arraycopy(t, 0, key, 0, t.length);
        System.arraycopy(metaKey, 0, key, t.length + 1, metaKey.length);
        return key;
    }

    static byte[] tagPrefix(String tag) {
        byte[] t = tag.getBytes(StandardCharsets.UTF_8);
        byte[] prefix = new byte[t.length + 1];
        System.arraycopy(t, 0, prefix, 0, t.length);
        return prefix;
    }

    /** The meta key a tag key points to. */
    static byte[] metaKeyOfTag(byte[] tagKey) {
        int zero = indexOf(tagKey, (byte) 0);
        byte[] out = new byte[tagKey.length - zero - 1];
        System.arraycopy(tagKey, zero + 1, out, 0, out.length);
        return out;
    }

    private static int indexOf(byte[] bytes, byte b) {
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == b) {
                return i;
            }
        }
        return -1;
    }

    static byte[] extentValue(BodyFile.Extent extent) {
        return ByteBuffer.allocate(16).putLong(extent.offset()).putInt(extent.length()).putInt(extent.crc()).array();
    }

    /** The extent an "extents" value names, or empty when the value is not 16 bytes (damaged). */
    static Optional<BodyFile.Extent> extent(byte[] value) {
        if (value.length != 16) {
            return Optional.empty();
        }
        ByteBuffer b = ByteBuffer.wrap(value);
        long offset = b.getLong();
        int length = b.getInt();
        int crc = b.getInt();
        if (offset < 0 || offset % BodyFile.BLOCK != 0 || length < 0) {
            return Optional.empty();
        }
        return Optional.of(new BodyFile.Extent(offset, length, crc));
    }

    /** The checksum of a chunk under {@code key} (a {@link #chunkKey}): CRC32C of the key, then the bytes. */
    static int chunkCrc(byte[] key, byte[] bytes, int offset, int length) {
        CRC32C crc = new CRC32C();
        crc.update(key);
        crc.update(bytes, offset, length);
        return (int) crc.getValue();
    }

    /**
     * The bytes of the value read under {@code key} (a {@link #chunkKey}), or empty when its checksum does not
     * match that key and those bytes (corrupt, or another chunk's value).
     */
    static Optional<ByteBuffer> chunkBytes(byte[] key, byte[] value) {
        if (value.length < 4) {
            return Optional.empty();
        }
        int stored = ByteBuffer.wrap(value).getInt();
        if (chunkCrc(key, value, 4, value.length - 4) != stored) {
            CRC32C crc = new CRC32C(); // the layout before 2026-12-04: the bytes alone
            crc.update(value, 4, value.length - 4);
            if ((int) crc.getValue() != stored) {
                return Optional.empty();
            }
        }
        return Optional.of(ByteBuffer.wrap(value, 4, value.length - 4).slice());
    }

    static byte[] encodeMeta(Header h, CachedResponse r) {
        Writer w = new Writer();
        w.u64(h.generation()).u64(h.storedAtMillis()).u64(h.bodyLength()).u32(h.chunkSize()).u32(h.chunkCount());
        w.u16(r.status()).u64(r.requestTimeMillis()).u64(r.responseTimeMillis()).u64(r.correctedInitialAgeMillis())
                .u64(r.freshnessLifetimeMillis()).u64(r.staleWhileRevalidateMillis()).u64(r.staleIfErrorMillis());
        int flags = (r.mustRevalidate() ? 1 : 0) | (r.sharedMaxAge() ? 2 : 0) | (r.noCache() ? 4 : 0)
                | (r.etag().isPresent() ? 8 : 0) | (r.etag().map(EntityTag::weak).orElse(false) ? 16 : 0);
        w.u8(flags);
        r.etag().ifPresent(tag -> w.string(tag.opaque()));
        w.u64(r.lastModifiedMillis()).u64(r.dateMillis()).u64(r.contentLength()).string(r.varyKey());
        w.strings(r.varyFields()).strings(r.surrogateKeys());
        w.u32(r.fields().size());
        for (Field f : r.fields()) {
            w.string(f.name()).string(f.value());
        }
        byte[] body = w.toByteArray();
        CRC32C crc = new CRC32C();
        crc.update(body);
        return ByteBuffer.allocate(7 + body.length).put(MAGIC_0).put(MAGIC_1).put(VERSION).putInt((int) crc.getValue())
                .put(body).array();
    }

    /** Decodes a meta record; empty when it is corrupt (bad magic, version, checksum, or truncated). */
    static Optional<Decoded> decodeMeta(byte[] value) {
        try {
            if (value.length < 7 || value[0] != MAGIC_0 || value[1] != MAGIC_1 || value[2] != VERSION) {
                return Optional.empty();
            }
            CRC32C crc = new CRC32C();
            crc.update(value, 7, value.length - 7);
            if ((int) crc.getValue() != ByteBuffer.wrap(value, 3, 4).getInt()) {
                return Optional.empty();
            }
            ByteBuffer b = ByteBuffer.wrap(value, 7, value.length - 7);
            Header h = new Header(b.getLong(), b.getLong(), b.getLong(), b.getInt(), b.getInt());
            int status = b.getShort() & 0xFFFF;
            long requestTime = b.getLong();
            long responseTime = b.getLong();
            long initialAge = b.getLong();
            long lifetime = b.getLong();
            long swr = b.getLong();
            long sie = b.getLong();
            int flags = b.get() & 0xFF;
            Optional<EntityTag> etag = (flags & 8) != 0 ? Optional.of(new EntityTag(string(b), (flags & 16) != 0)) : Optional.empty();
            long lastModified = b.getLong();
            long date = b.getLong();
            long contentLength = b.getLong();
            String varyKey = string(b);
            List<String> varyFields = strings(b);
            List<String> surrogateKeys = strings(b);
            int n = b.getInt();
            if (n < 0 || n > 10_000) {
                return Optional.empty();
            }
            List<Field> fields = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                fields.add(new Field(string(b), string(b)));
            }
            if (b.hasRemaining()) {
                return Optional.empty();
            }
            CachedResponse r = new CachedResponse(status, fields, requestTime, responseTime, initialAge, lifetime, swr, sie,
                    (flags & 1) != 0, (flags & 2) != 0, (flags & 4) != 0, etag, lastModified, date, varyFields, varyKey,
                    surrogateKeys, contentLength);
            return Optional.of(new Decoded(h, r));
        } catch (RuntimeException e) {
            return Optional.empty(); // truncated or malformed: corrupt
        }
    }

    private static String string(ByteBuffer b) {
        int n = b.getInt();
        if (n < 0 || n > b.remaining()) {
            throw new IllegalArgumentException("bad string length " + n);
        }
        String s = new String(b.array(), b.arrayOffset() + b.position(), n, StandardCharsets.UTF_8);
        b.position(b.position() + n);
        return s;
    }

    private static List<String> strings(ByteBuffer b) {
        int n = b.getInt();
        if (n < 0 || n > 10_000) {
            throw new IllegalArgumentException("bad count " + n);
        }
        List<String> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(string(b));
        }
        return out;
    }

    /** A growable big-endian writer. */
    private static final class Writer {
        private ByteBuffer buf = ByteBuffer.allocate(512);

        private void ensure(int n) {
            if (buf.remaining() < n) {
                ByteBuffer bigger = ByteBuffer.allocate(Math.max(buf.capacity() * 2, buf.position() + n + 64));
                buf.flip();
                bigger.put(buf);
                buf = bigger;
            }
        }

        Writer u8(int v) {
            ensure(1);
            buf.put((byte) v);
            return this;
        }

        Writer u16(int v) {
            ensure(2);
            buf.putShort((short) v);
            return this;
        }

        Writer u32(int v) {
            ensure(4);
            buf.putInt(v);
            return this;
        }

        Writer u64(long v) {
            ensure(8);
            buf.putLong(v);
            return this;
        }

        Writer string(String s) {
            byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
            ensure(4 + bytes.length);
            buf.putInt(bytes.length).put(bytes);
            return this;
        }

        Writer strings(List<String> list) {
            u32(list.size());
            list.forEach(this::string);
            return this;
        }

        byte[] toByteArray() {
            byte[] out = new byte[buf.position()];
            buf.flip();
            buf.get(out);
            return out;
        }
    }
}
