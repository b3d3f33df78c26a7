/**
 * The admin control plane: node registry, invalidation log and its propagation, API tokens, the JSON API
 * and (later) the HTML console, over PostgreSQL. Admin processes are stateless: any number can run over
 * one database, which is the source of truth.
 */
@NullMarked
package io.blueorigin.cdn.admin;

import org.jspecify.annotations.NullMarked;
