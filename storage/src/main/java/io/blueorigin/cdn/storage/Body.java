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
}
