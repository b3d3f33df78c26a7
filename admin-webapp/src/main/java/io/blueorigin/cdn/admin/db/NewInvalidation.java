package io.blueorigin.cdn.admin.db;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;

/**
 * An invalidation to append to the log, already validated by the API. Invariant: {@code urls} is non-empty
 * exactly for {@link InvalidationKind#PURGE}, {@code tags} exactly for {@link InvalidationKind#PURGE_TAGS},
 * {@code ban} present exactly for {@link InvalidationKind#BAN}; a ban is never soft.
 */
public record NewInvalidation(InvalidationKind kind, boolean soft, List<PurgeUrl> urls, List<String> tags,
        Optional<BanRule> ban) {

    public NewInvalidation {
        requireNonNull(kind, "kind is null");
        urls = List.copyOf(urls);
        tags = List.copyOf(tags);
        requireNonNull(ban, "ban is null");
        if ((kind == InvalidationKind.PURGE) == urls.isEmpty()
                || (kind == InvalidationKind.PURGE_TAGS) == tags.isEmpty()
                || (kind == InvalidationKind.BAN) != ban.isPresent()
                || (kind == InvalidationKind.BAN && soft)) {
            throw new IllegalArgumentException("inconsistent " + kind.label() + ": urls=" + urls.size()
                    + " tags=" + tags.size() + " ban=" + ban.isPresent() + " soft=" + soft);
        }
    }

    public static NewInvalidation purge(List<PurgeUrl> urls, boolean soft) {
        return new NewInvalidation(InvalidationKind.PURGE, soft, urls, List.of(), Optional.empty());
    }

    public static NewInvalidation purgeTags(List<String> tags, boolean soft) {
        return new NewInvalidation(InvalidationKind.PURGE_TAGS, soft, List.of(), tags, Optional.empty());
    }

    public static NewInvalidation ban(BanRule ban) {
        return new NewInvalidation(InvalidationKind.BAN, false, List.of(), List.of(), Optional.of(ban));
    }

    public static NewInvalidation purgeAll(boolean soft) {
        return new NewInvalidation(InvalidationKind.PURGE_ALL, soft, List.of(), List.of(), Optional.empty());
    }
}
