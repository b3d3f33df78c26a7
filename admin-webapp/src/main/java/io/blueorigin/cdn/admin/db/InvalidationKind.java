package io.blueorigin.cdn.admin.db;

import java.util.Locale;

/** What an invalidation log entry does; stored in {@code invalidations.kind} and sent to nodes by label. */
public enum InvalidationKind {
    /** Every variant of each URL. */
    PURGE,
    /** Every object carrying one of the surrogate keys. */
    PURGE_TAGS,
    /** Objects stored before the ban whose URL matches its pattern, until the ban expires. */
    BAN,
    /** Everything. */
    PURGE_ALL,
    /** A site created or replaced: nodes put it in their site table. */
    SITE_PUT,
    /** A site deleted: nodes drop it and purge all its objects. */
    SITE_REMOVE,
    /** A site's signed-URL keyring changed: nodes replace that site's keyring with the one it carries. */
    KEYS_PUT,
    /** An earlier ban lifted: nodes stop screening with it once its sweep is done (what it removed stays removed). */
    BAN_LIFT;

    /** {@code purge}, {@code purge_tags}, {@code ban}, {@code purge_all}, {@code site_put}, {@code site_remove},
     * {@code keys_put}, {@code ban_lift}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    static InvalidationKind fromLabel(String label) {
        return valueOf(label.toUpperCase(Locale.ROOT));
    }

    /** Whether this is a change of the site table or of a site's keys rather than an invalidation. */
    public boolean isSiteChange() {
        return this == SITE_PUT || this == SITE_REMOVE || this == KEYS_PUT;
    }
}
