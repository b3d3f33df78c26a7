package io.blueorigin.cdn.proxy.site;

import static java.util.Objects.requireNonNull;

import io.blueorigin.cdn.httpcache.CachePolicy;
import io.blueorigin.cdn.httpcache.CachePolicyConfig;
import io.blueorigin.cdn.httpcache.site.Site;
import io.blueorigin.cdn.httpcache.site.SiteTable;
import io.blueorigin.cdn.proxy.ProxyConfig;
import io.blueorigin.cdn.proxy.control.SiteDirectory;
import io.blueorigin.cdn.proxy.control.SiteKeyrings;
import io.blueorigin.cdn.proxy.upstream.Upstreams;
import io.blueorigin.cdn.runtime.Role;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which site serves a request, and the one owner of the node's site table.
 *
 * <p>A request's host (the {@code Host} field, or the authority of an absolute-form target) selects the site
 * claiming it ({@link SiteTable#select}); a host no site claims goes to the node's default site, the one named
 * {@code cache.site}, if the table has it. With no sites at all, the node serves every host as its own site
 * {@code cache.site} from {@code upstream.url}, as a single-site node always did. Otherwise an unclaimed host
 * gets null: a 421 (Misdirected Request), so a fleet serving many sites never answers for a host it was not
 * told about.
 *
 * <p>Invariant: {@link #routing} is replaced whole, in one volatile write, after the new table was built and
 * checked; a request reads it once, so it sees the old sites or the new, never a mix. Changes are serialized
 * ({@code synchronized replace}); each is persisted ({@link SiteTableFile}) after it took effect, so a node
 * restarted while admin is down serves with the table it had.
 */
public final class SiteRouter implements SiteDirectory {
    private static final Logger LOG = LoggerFactory.getLogger(SiteRouter.class);
    /** Sites that get their own {@code site} label in metrics; the rest share {@value #OTHER_LABEL}. */
    public static final int MAX_LABELLED_SITES = 100;
    static final String OTHER_LABEL = "other";

    private final ProxyConfig config;
    private final Upstreams nodeUpstreams;
    private final LongSupplier clock;
    private final @Nullable SiteTableFile file;
    /** The sites' signed-URL keys, kept beside the table. */
    private final SiteKeyrings keyrings;
    /** The node's own default site, made from its configuration; used when the table has no site named {@code cache.site}. */
    private final ServedSite builtIn;
    private volatile Routing routing;

    /** One table's sites, ready for requests. */
    private record Routing(SiteTable table, Map<String, ServedSite> byName, @Nullable ServedSite fallback) {}

    /**
     * @param nodeUpstreams the node's configured upstreams (an edge's shields, a shield's origin)
     * @param file where the table is kept between runs, or null (no disk tier)
     */
    public SiteRouter(ProxyConfig config, Upstreams nodeUpstreams, LongSupplier clock, @Nullable SiteTableFile file) {
        this.config = requireNonNull(config, "config is null");
        this.nodeUpstreams = requireNonNull(nodeUpstreams, "nodeUpstreams is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.file = file;
        this.keyrings = new SiteKeyrings(file == null ? null : file.directory(), config.control().enabled());
        this.builtIn = new ServedSite(config.cache().site(), null, new CachePolicy(config.cache().policy()), nodeUpstreams,
                config.cache().site());
        SiteTable initial = config.sites();
        if (file != null && config.control().enabled()) {
            SiteTable kept = file.load();
            if (kept != null) {
                LOG.info("{}: serving with the site table kept from its last run, {}, until admin answers",
                        config.identity().name(), kept);
                initial = kept;
            }
        }
        this.routing = build(initial, Map.of());
    }

    /** The site serving {@code host}, or null (421: no site claims it and the node has no default site). */
    public @Nullable ServedSite route(@Nullable String host) {
        Routing r = routing;
        Site claimed = r.table.select(host);
        return claimed != null ? r.byName.get(claimed.name()) : r.fallback;
    }

    /** The site called {@code name} here now (a shield told by an edge), or null. */
    public @Nullable ServedSite named(String name) {
        Routing r = routing;
        ServedSite s = r.byName.get(name);
        return s != null ? s : builtIn.name().equals(name) && r.fallback == builtIn ? builtIn : null;
    }

    /** Every site served now, the default one included. */
    public List<ServedSite> all() {
        Routing r = routing;
        List<ServedSite> out = new ArrayList<>(r.byName.values());
        if (r.fallback == builtIn) {
            out.add(builtIn);
        }
        return out;
    }

    @Override
    public @Nullable String siteFor(@Nullable String host) {
        ServedSite s = route(host);
        return s == null ? null : s.name();
    }

    @Override
    public boolean has(String site) {
        return named(site) != null;
    }

    @Override
    public SiteKeyrings keyrings() {
        return keyrings;
    }

    @Override
    public SiteTable table() {
        return routing.table;
    }

    @Override
    public synchronized void replace(SiteTable table) {
        Routing next = build(table, routing.byName);
        routing = next;
        LOG.info("{}: now serving {}", config.identity().name(), table);
        if (file != null) {
            file.save(table);
        }
    }

    /** The sites of {@code table}; a site whose definition did not change keeps its {@link ServedSite} (breaker state). */
    private Routing build(SiteTable table, Map<String, ServedSite> previous) {
        boolean shield = config.identity().role() == Role.SHIELD;
        CachePolicyConfig base = config.cache().policy();
        Map<String, ServedSite> byName = new HashMap<>();
        int labelled = 0;
        for (Site site : table.sites()) {
            String label = labelled++ < MAX_LABELLED_SITES ? site.name() : OTHER_LABEL;
            ServedSite old = previous.get(site.name());
            if (old != null && site.equals(old.definition()) && old.metricsLabel().equals(label)) {
                byName.put(site.name(), old);
                continue;
            }
            // a shield, or an edge with no shield tier (upstream.to-origins), fetches from the site's own origins
            Upstreams upstreams = shield || config.upstream().toOrigins()
                    ? Upstreams.ofOrigins(site.origins(), config.upstream(), clock)
                    : nodeUpstreams.withSiteFallback(site.origins().get(0), config.upstream());
            byName.put(site.name(), new ServedSite(site.name(), site, new CachePolicy(site.caching().applyTo(base, shield)),
                    upstreams, label));
        }
        ServedSite fallback = table.size() == 0 ? builtIn : byName.get(config.cache().site());
        return new Routing(table, Map.copyOf(byName), fallback);
    }

    @Override
    public String toString() {
        return routing.table.toString();
    }
}
