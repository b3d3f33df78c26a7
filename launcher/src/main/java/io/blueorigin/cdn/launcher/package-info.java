/**
 * The {@code blue-origin} command: one fat jar that runs any node ({@code edge}, {@code shield},
 * {@code admin}, {@code origin}) from a YAML file and flags, or the whole demo topology with an embedded
 * PostgreSQL ({@code demo}). It parses and validates configuration, starts nodes, and stops them cleanly on
 * SIGTERM or Ctrl-C. Start-up errors are printed as one line naming what to change, with exit status 2.
 */
@NullMarked
package io.blueorigin.cdn.launcher;

import org.jspecify.annotations.NullMarked;
