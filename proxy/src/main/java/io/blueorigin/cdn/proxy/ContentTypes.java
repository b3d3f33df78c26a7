package io.blueorigin.cdn.proxy;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The content-type labels of the traffic breakdown ({@code traffic.contentTypes} of the heartbeat,
 * {@code byContentType} of admin's {@code GET /api/v1/stats}): a response's {@code Content-Type}, without
 * parameters and case-insensitively, folded into a fixed list of {@link #LABELS}. The list is fixed here, so
 * what origins send can never add a label (cardinality bounded by code, not by traffic).
 *
 * <p>{@link #index} runs on every request: it reads the header value in place (no substring, no lower-casing,
 * no allocation) and looks at no more than the media type before the first {@code ;}.
 */
final class ContentTypes {
    static final int HTML = 0;
    static final int CSS = 1;
    static final int JAVASCRIPT = 2;
    static final int JSON = 3;
    static final int XML = 4;
    static final int TEXT = 5;
    static final int IMAGE = 6;
    static final int VIDEO = 7;
    static final int AUDIO = 8;
    static final int FONT = 9;
    static final int BINARY = 10;
    static final int OTHER = 11;
    static final int NONE = 12;

    /**
     * The labels, by index: {@code text/html} (also {@code application/xhtml+xml}); {@code text/css};
     * {@code application/javascript} (also {@code text/javascript}, {@code text/x-javascript},
     * {@code application/x-javascript}, the ecmascript types); {@code application/json} (also any {@code +json}); {@code application/xml} (also
     * {@code text/xml}, any {@code +xml}); {@code text/*} (other text); {@code image/*}; {@code video/*} (also the
     * HLS and DASH manifests, as the {@code video} content class of the metrics); {@code audio/*}; {@code font/*}
     * (also {@code application/font-*}, {@code application/x-font-*}, {@code application/vnd.ms-fontobject});
     * {@code application/octet-stream}; {@code other} (any other type, or a value that is no media type);
     * {@code none} (no {@code Content-Type}, or an empty one).
     */
    static final List<String> LABELS = List.of("text/html", "text/css", "application/javascript", "application/json",
            "application/xml", "text/*", "image/*", "video/*", "audio/*", "font/*", "application/octet-stream", "other",
            "none");

    /** Longer media types (type/subtype, RFC 6838 allows 127 characters each) are no media type: {@code other}. */
    private static final int MAX_MEDIA_TYPE = 255;

    private ContentTypes() {}

    /** The label index of a {@code Content-Type} field value; {@code null} for a response without one. */
    static int index(@Nullable String value) {
        if (value == null) {
            return NONE;
        }
        int start = 0;
        int end = value.indexOf(';');
        if (end < 0) {
            end = value.length();
        }
        while (start < end && isWhitespace(value.charAt(start))) {
            start++;
        }
        while (end > start && isWhitespace(value.charAt(end - 1))) {
            end--;
        }
        if (start == end) {
            return NONE;
        }
        if (end - start > MAX_MEDIA_TYPE) {
            return OTHER;
        }
        int slash = value.indexOf('/', start);
        if (slash <= start || slash >= end - 1) {
            return OTHER;
        }
        int sub = slash + 1;
        if (is(value, start, slash, "text")) {
            if (is(value, sub, end, "html")) {
                return HTML;
            }
            if (is(value, sub, end, "css")) {
                return CSS;
            }
            if (is(value, sub, end, "javascript") || is(value, sub, end, "x-javascript") || is(value, sub, end, "ecmascript")) {
                return JAVASCRIPT;
            }
            return is(value, sub, end, "xml") ? XML : TEXT;
        }
        if (is(value, start, slash, "image")) {
            return IMAGE;
        }
        if (is(value, start, slash, "video")) {
            return VIDEO;
        }
        if (is(value, start, slash, "audio")) {
            return AUDIO;
        }
        if (is(value, start, slash, "font")) {
            return FONT;
        }
        if (is(value, start, slash, "application")) {
            return application(value, sub, end);
        }
        return OTHER;
    }

    private static int application(String value, int sub, int end) {
        if (is(value, sub, end, "xhtml+xml")) {
            return HTML;
        }
        if (is(value, sub, end, "javascript") || is(value, sub, end, "x-javascript") || is(value, sub, end, "ecmascript")) {
            return JAVASCRIPT;
        }
        if (is(value, sub, end, "vnd.apple.mpegurl") || is(value, sub, end, "x-mpegurl")
                || is(value, sub, end, "dash+xml")) {
            return VIDEO;
        }
        if (is(value, sub, end, "json") || endsWith(value, sub, end, "+json")) {
            return JSON;
        }
        if (is(value, sub, end, "xml") || endsWith(value, sub, end, "+xml")) {
            return XML;
        }
        if (is(value, sub, end, "octet-stream")) {
            return BINARY;
        }
        if (startsWith(value, sub, end, "font-") || startsWith(value, sub, end, "x-font-")
                || is(value, sub, end, "vnd.ms-fontobject")) {
            return FONT;
        }
        return OTHER;
    }

    /** Whether {@code value[from, to)} is {@code lower}, ignoring case. */
    private static boolean is(String value, int from, int to, String lower) {
        return to - from == lower.length() && value.regionMatches(true, from, lower, 0, lower.length());
    }

    private static boolean endsWith(String value, int from, int to, String lower) {
        return to - from > lower.length() && value.regionMatches(true, to - lower.length(), lower, 0, lower.length());
    }

    private static boolean startsWith(String value, int from, int to, String lower) {
        return to - from > lower.length() && value.regionMatches(true, from, lower, 0, lower.length());
    }

    /** HTTP's optional whitespace (RFC 9110 5.6.3). */
    private static boolean isWhitespace(char c) {
        return c == ' ' || c == '\t';
    }
}
