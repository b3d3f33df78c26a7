package io.blueorigin.cdn.storage;

/** The bytes of a stored (or arriving) response, readable by any number of concurrent readers. */
public interface Body {

    /** The total length when known (complete, or announced by {@code Content-Length}); -1 otherwise. */
    long length();

    /** A new reader starting at byte {@code from}. */
    BodyReader reader(long from);

    default BodyReader reader() {
        return reader(0);
    }

    /**
     * A new reader starting at byte {@code from}, for a caller that reads no further than byte {@code end}
     * (exclusive), such as a {@link BodySlice}: a body that reads ahead (the disk tier) then reads no chunk
     * past {@code end}. Only a hint: the reader may still hand out bytes at or past {@code end}, and the
     * caller trims them.
     */
    default BodyReader reader(long from, long end) {
        return reader(from);
    }
}
