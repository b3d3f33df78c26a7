package io.blueorigin.cdn.admin.console;

import java.util.List;

/** One cell of a {@link Block.Table}. */
public sealed interface Cell {
    record Text(String text) implements Cell {}

    /** Preformatted text (URLs, patterns, JSON). */
    record Code(String text) implements Cell {}

    record Link(String text, String href) implements Cell {}

    /**
     * A button posting to {@code action} (with the CSRF token); {@code confirm} non-empty: a field the user
     * must fill with exactly that text first (typed confirmation).
     */
    record Action(String label, String action, String confirm) implements Cell {}

    /** Several actions side by side. */
    record Actions(List<Action> actions) implements Cell {
        public Actions {
            actions = List.copyOf(actions);
        }
    }

    static Cell text(Object value) {
        return new Text(value == null ? "" : String.valueOf(value));
    }
}
