/**
 * Node configuration: the catalogue of every key ({@link io.blueorigin.cdn.config.Settings}), the
 * YAML loader that flattens a file into dotted keys and rejects unknown ones, and the mapping of validated
 * values into each component's immutable config record. Every error names the file, the key, the value and
 * what was expected.
 */
@NullMarked
package io.blueorigin.cdn.config;

import org.jspecify.annotations.NullMarked;
