package io.blueorigin.cdn.admin.report;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.Writer;
import java.util.List;

/**
 * Writes CSV as RFC 4180 defines it, one record at a time to a {@link Writer} (nothing is buffered here, so an export
 * of any length holds one record): fields separated by commas, records ended by CRLF, a field quoted when it holds a
 * comma, a double quote, CR or LF, with its double quotes doubled.
 *
 * <p>Spreadsheet formula injection (OWASP "CSV Injection"): a field a spreadsheet would read as a formula, one that
 * starts with {@code =}, {@code +}, {@code -}, {@code @}, TAB or CR, gets a leading {@code '} so that it is shown as
 * text. Report cells hold what API clients sent (URLs, tags, ban patterns, token names), so such a field can reach
 * an operator's spreadsheet. The price: a negative number is exported as {@code '-5}; the console's numbers are
 * counts and milliseconds, never negative, except a stale object's TTL. Not thread-safe (one per export).
 */
public final class Csv {
    private final Writer out;

    /** A writer of records to {@code out} (not closed here; flushed by {@link #flush}). */
    public Csv(Writer out) {
        this.out = requireNonNull(out, "out is null");
    }

    /** Writes one record: {@code fields} (null as empty), then CRLF. */
    public Csv record(List<String> fields) throws IOException {
        for (int i = 0; i < fields.size(); i++) {
            if (i > 0) {
                out.write(',');
            }
            String field = fields.get(i);
            out.write(field(field == null ? "" : field));
        }
        out.write("\r\n");
        return this;
    }

    /** Writes one record of {@code fields}. */
    public Csv record(String... fields) throws IOException {
        return record(java.util.Arrays.asList(fields));
    }

    public void flush() throws IOException {
        out.flush();
    }

    /** One field as written: neutralised if a spreadsheet would read a formula, then quoted if needed. */
    static String field(String value) {
        String text = isFormula(value) ? "'" + value : value;
        if (text.indexOf(',') < 0 && text.indexOf('"') < 0 && text.indexOf('\r') < 0 && text.indexOf('\n') < 0) {
            return text;
        }
        return '"' + text.replace("\"", "\"\"") + '"';
    }

    private static boolean isFormula(String value) {
        if (value.isEmpty()) {
            return false;
        }
        char first = value.charAt(0);
        return first == '=' || first == '+' || first == '-' || first == '@' || first == '\t' || first == '\r';
    }
}
