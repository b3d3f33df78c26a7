package io.blueorigin.cdn.runtime;

/**
 * A node cannot start because of something the operator must change: a setting, a busy port, a missing
 * directory. The message says what and, where it can, which key to change. The launcher prints it without
 * a stack trace and exits with status 2.
 */
public class StartupException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public StartupException(String message) {
        super(message);
    }

    public StartupException(String message, Throwable cause) {
        super(message, cause);
    }
}
