package io.blueorigin.cdn.admin.api;

/** Numeric ids in paths ({@code /invalidations/42}, {@code /tokens/3}). */
final class Ids {
    private Ids() {}

    /** A positive id, or a 404 (a path that is not an id names no resource). */
    static long parse(String what, String segment) throws ApiException {
        try {
            long id = Long.parseLong(segment);
            if (id > 0 && segment.chars().allMatch(c -> c >= '0' && c <= '9')) {
                return id;
            }
        } catch (NumberFormatException e) {
            // not a number: fall through
        }
        throw ApiException.notFound("no " + what + " " + Text.quote(segment) + " (ids are positive integers)");
    }
}
