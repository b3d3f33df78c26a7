package io.blueorigin.cdn.admin.console;

import static java.util.Objects.requireNonNull;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What a console page is made of, in order. Pages build blocks from the API's own views; the templates
 * ({@code src/main/jte}) render each kind one way, so every table, form and chart of the console looks and
 * behaves alike (labels tied to inputs, errors next to their field, captions on tables).
 */
public sealed interface Block {
    /** A paragraph of text; {@code role} is {@code status} or {@code alert} for announcements, else empty. */
    record Text(String text, String role) implements Block {
        public Text {
            requireNonNull(text, "text is null");
            requireNonNull(role, "role is null");
        }

        public static Text of(String text) {
            return new Text(text, "");
        }
    }

    /** A section heading (h2). */
    record Heading(String text) implements Block {}

    /**
     * A table. {@code id}: the element id (the live status script finds its rows by {@code data-key}).
     * {@code rowKeys}: one key per row (or empty).
     */
    record Table(String id, String caption, List<String> headers, List<List<Cell>> rows, List<String> rowKeys,
            String empty) implements Block {
        public Table {
            headers = List.copyOf(headers);
            rows = List.copyOf(rows);
            rowKeys = List.copyOf(rowKeys);
        }

        public static Table of(String caption, List<String> headers, List<List<Cell>> rows, String empty) {
            return new Table("", caption, headers, rows, List.of(), empty);
        }

        public String rowKey(int row) {
            return row < rowKeys.size() ? rowKeys.get(row) : "";
        }
    }

    /**
     * A form. {@code method} GET (filters, lookups: no CSRF token needed, nothing changes) or POST (always with
     * the session's CSRF token). {@code error}: a message for the whole form (e.g. the API's 409).
     */
    record Form(String id, String legend, String method, String action, List<Field> fields, String submit,
            @Nullable String error) implements Block {
        public Form {
            fields = List.copyOf(fields);
        }

        public boolean isPost() {
            return method.equals("post");
        }
    }

    /**
     * A chart drawn by {@code console.js} with uPlot from the JSON in {@code data} ({@code {"x": [...], "series":
     * [{"label": ..., "values": [...]}]}}); the table beside it holds the same figures for readers without
     * JavaScript or a screen.
     */
    record Chart(String id, String title, String unit, String data) implements Block {}

    /** A secret shown once (a new token's), with what to do with it. */
    record Secret(String label, String value, String advice) implements Block {}

    /**
     * Marks the page live: {@code console.js} polls {@code url} (JSON of the API's invalidation status) every
     * second and updates the table {@code tableId} and {@code text} (the progress, as rendered) until nothing is
     * pending.
     */
    record Live(String url, String tableId, String text) implements Block {}

    /** A row of links (paging, exports). */
    record Links(List<Cell.Link> links) implements Block {
        public Links {
            links = List.copyOf(links);
        }
    }
}
