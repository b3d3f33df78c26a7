package io.blueorigin.cdn.admin.db;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * An entry to append to the log, already validated by the API. Invariant: {@code urls} is non-empty exactly
 * for {@link InvalidationKind#PURGE}, {@code tags} exactly for {@link InvalidationKind#PURGE_TAGS},
 * {@code ban} present exactly for {@link InvalidationKind#BAN}, {@code definition} exactly for
 * {@link InvalidationKind#SITE_PUT} and {@link InvalidationKind#KEYS_PUT}, {@code liftedBan} exactly for
 * {@link InvalidationKind#BAN_LIFT}; a ban, a lift and a site change are never soft; a site change always names its
 * site, a lift never does (it applies where its ban did).
 *
 * @param site the one site an invalidation applies to (empty: every site); for a site change, the site's name
 * @param definition the site definition of a {@code site_put}, as {@code Site.toMap()} wrote it; the keyring of a
 *     {@code keys_put}, {@code {"keys": [...]}} ({@code SigningKeys.keyringJson})
 * @param liftedBan the id of the ban a {@code ban_lift} lifts
 */
public record NewInvalidation(InvalidationKind kind, boolean soft, List<PurgeUrl> urls, List<String> tags,
        Optional<BanRule> ban, Optional<String> site, Optional<Map<String, Object>> definition, OptionalLong liftedBan) {

    public NewInvalidation {
        requireNonNull(kind, "kind is null");
        urls = List.copyOf(urls);
        tags = List.copyOf(tags);
        requireNonNull(ban, "ban is null");
        requireNonNull(site, "site is null");
        requireNonNull(definition, "definition is null");
        requireNonNull(liftedBan, "liftedBan is null");
        if ((kind == InvalidationKind.PURGE) == urls.isEmpty()
                || (kind == InvalidationKind.PURGE_TAGS) == tags.isEmpty()
                || (kind == InvalidationKind.BAN) != ban.isPresent()
                || (kind == InvalidationKind.SITE_PUT || kind == InvalidationKind.KEYS_PUT) != definition.isPresent()
                || (kind.isSiteChange() && (site.isEmpty() || soft))
                || (kind == InvalidationKind.BAN && soft)
                || (kind == InvalidationKind.BAN_LIFT) != liftedBan.isPresent()
                || (kind == InvalidationKind.BAN_LIFT && (soft || site.isPresent()))) {
            throw new IllegalArgumentException("inconsistent " + kind.label() + ": urls=" + urls.size()
                    + " tags=" + tags.size() + " ban=" + ban.isPresent() + " site=" + site.isPresent()
                    + " definition=" + definition.isPresent() + " liftedBan=" + liftedBan.isPresent() + " soft=" + soft);
        }
    }

    public static NewInvalidation purge(List<PurgeUrl> urls, boolean soft, Optional<String> site) {
        return new NewInvalidation(InvalidationKind.PURGE, soft, urls, List.of(), Optional.empty(), site, Optional.empty(),
                OptionalLong.empty());
    }

    public static NewInvalidation purgeTags(List<String> tags, boolean soft, Optional<String> site) {
        return new NewInvalidation(InvalidationKind.PURGE_TAGS, soft, List.of(), tags, Optional.empty(), site,
                Optional.empty(), OptionalLong.empty());
    }

    public static NewInvalidation ban(BanRule ban, Optional<String> site) {
        return new NewInvalidation(InvalidationKind.BAN, false, List.of(), List.of(), Optional.of(ban), site,
                Optional.empty(), OptionalLong.empty());
    }

    public static NewInvalidation purgeAll(boolean soft, Optional<String> site) {
        return new NewInvalidation(InvalidationKind.PURGE_ALL, soft, List.of(), List.of(), Optional.empty(), site,
                Optional.empty(), OptionalLong.empty());
    }

    /** Site {@code name} created or replaced by {@code definition} ({@code Site.toMap()}). */
    public static NewInvalidation sitePut(String name, Map<String, Object> definition) {
        return new NewInvalidation(InvalidationKind.SITE_PUT, false, List.of(), List.of(), Optional.empty(),
                Optional.of(name), Optional.of(definition), OptionalLong.empty());
    }

    /** The signed-URL keyring of site {@code name} is now {@code keyring} ({@code {"keys": [...]}}). */
    public static NewInvalidation keysPut(String name, Map<String, Object> keyring) {
        return new NewInvalidation(InvalidationKind.KEYS_PUT, false, List.of(), List.of(), Optional.empty(),
                Optional.of(name), Optional.of(keyring), OptionalLong.empty());
    }

    /** Site {@code name} deleted. */
    public static NewInvalidation siteRemove(String name) {
        return new NewInvalidation(InvalidationKind.SITE_REMOVE, false, List.of(), List.of(), Optional.empty(),
                Optional.of(name), Optional.empty(), OptionalLong.empty());
    }

    /** Ban {@code banId} lifted: nodes drop it from their screen once its sweep is done. */
    public static NewInvalidation banLift(long banId) {
        return new NewInvalidation(InvalidationKind.BAN_LIFT, false, List.of(), List.of(), Optional.empty(),
                Optional.empty(), Optional.empty(), OptionalLong.of(banId));
    }
}
