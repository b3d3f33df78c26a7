package io.blueorigin.cdn.storage;

/**
 * The store cannot open: a disk directory that is missing, unwritable, full, in use, or holding another
 * program's files. The message names the setting and what to do; the node stops at start with it.
 */
public final class StoreOpenException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public StoreOpenException(String message) {
        super(message);
    }

    public StoreOpenException(String message, Throwable cause) {
        super(message, cause);
    }
}
