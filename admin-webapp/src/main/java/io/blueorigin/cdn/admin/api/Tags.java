package io.blueorigin.cdn.admin.api;

/**
 * Surrogate keys as the API accepts them: 1-{@value #MAX_LENGTH} visible ASCII characters, no spaces (a
 * {@code Surrogate-Key} field separates keys by spaces) and no commas.
 */
final class Tags {
    /** Longest tag. */
    static final int MAX_LENGTH = 256;

    private Tags() {}

    /** {@code tag}, or a 400 whose message starts with {@code field}. */
    static String check(String field, String tag) throws ApiException {
        if (tag.isEmpty() || tag.length() > MAX_LENGTH) {
            throw ApiException.badRequest(field + ": " + tag.length() + " characters (expected 1-" + MAX_LENGTH + ")");
        }
        for (int i = 0; i < tag.length(); i++) {
            char c = tag.charAt(i);
            if (c <= 0x20 || c >= 0x7f || c == ',') {
                throw ApiException.badRequest(field + ": " + Text.quote(tag) + " has "
                        + (c == ' ' ? "a space" : c == ',' ? "a comma" : String.format("character U+%04X", (int) c))
                        + " at position " + i + " (expected visible ASCII without spaces or commas)");
            }
        }
        return tag;
    }
}
