package io.blueorigin.cdn.config;

import io.blueorigin.cdn.runtime.StartupException;

/**
 * A configuration the node cannot start with. The message names where the value came from (file or flag),
 * the key, the value and what was expected, e.g.
 * {@code edge.yaml: server.port : 'eighty' (expected: a port number 0..65535)}.
 */
public final class ConfigException extends StartupException {
    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
        super(message);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
