package io.blueorigin.cdn.httpcache.site;


import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * Every site a node (or admin) knows, at one version, and which site a request's host belongs to. Immutable:
 * a node swaps the whole table in one reference write, so a request sees the old table or the new one,
 * never a mix.
 *
 * <p>Invariant (checked by every constructor path): one host belongs to at most one site. Two exact names
 * never repeat; an exact name never falls under another site's wildcard; a wildcard domain is claimed once.
 * Lookup is two hash probes: the exact name, then the wildcard of its parent domain.
 *
 * @see Site
 */
public final class SiteTable {
    /** Most sites one table holds. */
    public static final int MAX_SITES = 1000;

    public static final SiteTable EMPTY = new SiteTable(0, new TreeMap<>());

    private final long version;
    private final TreeMap<String, Site> byName;
    private final Map<String, Site> exact = new HashMap<>();
    private final Map<String, Site> wildcard = new HashMap<>();

    private SiteTable(long version, TreeMap<String, Site> byName) {
        this(version, byName, byName.values());
    }

    /**
     * @param order the sites of {@code byName} in the order their hosts are claimed: a host claimed twice is
     *     refused at the later site, the message naming the earlier one (the site that already had it)
     */
    private SiteTable(long version, TreeMap<String, Site> byName, Collection<Site> order) {
        this.version = version;
        this.byName = byName;
        for (Site site : order) {
            for (int i = 0; i < site.hosts().size(); i++) {
                HostPattern p = site.hosts().get(i);
                Site other = claimant(p);
                if (other != null && !other.name().equals(site.name())) {
                    throw new HostTaken(site, i, other);
                }
                (p.wildcard() ? wildcard : exact).put(p.domain(), site);
            }
        }
    }

    /**
     * A site claims a host another site already has. Says which (the refused site and its host, the holder and
     * its host), so that callers that know where each site came from (a YAML list, an API path) can point there.
     */
    public static final class HostTaken extends SiteException {
        private static final long serialVersionUID = 1L;

        private final String site;
        private final int hostIndex;
        private final HostPattern host;
        private final String holder;
        private final int holderHostIndex;
        private final HostPattern held;

        HostTaken(Site site, int hostIndex, Site holder) {
            this(site, hostIndex, holder, indexOfOverlap(holder, site.hosts().get(hostIndex)));
        }

        private HostTaken(Site site, int hostIndex, Site holder, int holderHostIndex) {
            super("hosts[" + hostIndex + "]", message(site.hosts().get(hostIndex), holder, holder.hosts().get(holderHostIndex)));
            this.site = site.name();
            this.hostIndex = hostIndex;
            this.host = site.hosts().get(hostIndex);
            this.holder = holder.name();
            this.holderHostIndex = holderHostIndex;
            this.held = holder.hosts().get(holderHostIndex);
        }

        private static String message(HostPattern host, Site holder, HostPattern held) {
            return "'" + host + "' is already claimed by site '" + holder.name() + "'"
                    + (held.equals(host) ? "" : " (as '" + held + "')")
                    + "; a host belongs to one site at most (remove it there first)";
        }

        private static int indexOfOverlap(Site holder, HostPattern host) {
            for (int j = 0; j < holder.hosts().size(); j++) {
                if (holder.hosts().get(j).overlaps(host)) {
                    return j;
                }
            }
            throw new IllegalStateException(holder.name() + " claims no host overlapping " + host);
        }

        /** The refused site's name. */
        public String site() {
            return site;
        }

        /** The index of the refused host in its site's {@code hosts}. */
        public int hostIndex() {
            return hostIndex;
        }

        public HostPattern host() {
            return host;
        }

        /** The name of the site that has the host. */
        public String holder() {
            return holder;
        }

        /** The index of the overlapping host in the holder's {@code hosts}. */
        public int holderHostIndex() {
            return holderHostIndex;
        }

        public HostPattern held() {
            return held;
        }
    }

    /** The site that claims a host {@code p} overlaps, if any. Linear in the wildcards for a wildcard. */
    private @Nullable Site claimant(HostPattern p) {
        if (!p.wildcard()) {
            Site s = exact.get(p.domain());
            return s != null ? s : wildcard.get(parent(p.domain()));
        }
        Site s = wildcard.get(p.domain());
        if (s != null) {
            return s;
        }
        for (Map.Entry<String, Site> e : exact.entrySet()) {
            if (p.matches(e.getKey())) {
                return e.getValue();
            }
        }
        return null;
    }

    /**
     * @param sites in the order their hosts are claimed: a host claimed twice is refused ({@link HostTaken}) at the
     *     later site
     * @throws SiteException when two sites share a name or claim the same host, or there are too many
     */
    public static SiteTable of(long version, Collection<Site> sites) {
        if (sites.size() > MAX_SITES) {
            throw new SiteException("sites", "at most " + MAX_SITES + " sites");
        }
        TreeMap<String, Site> byName = new TreeMap<>();
        for (Site s : sites) {
            if (byName.put(s.name(), s) != null) {
                throw new SiteException("name", "site '" + s.name() + "' is defined twice");
            }
        }
        return new SiteTable(version, byName, sites);
    }

    /** This table with {@code site} added or replaced (by name), at {@code newVersion}. */
    public SiteTable with(long newVersion, Site site) {
        TreeMap<String, Site> copy = new TreeMap<>(byName);
        copy.put(site.name(), site);
        if (copy.size() > MAX_SITES) {
            throw new SiteException("name", "at most " + MAX_SITES + " sites; remove one first");
        }
        // the others first, so that a host they claim is refused at the new site, naming the one that has it
        List<Site> order = new ArrayList<>(byName.values());
        order.remove(byName.get(site.name()));
        order.add(site);
        return new SiteTable(newVersion, copy, order);
    }

    /** This table without the site {@code name} (if it had it), at {@code newVersion}. */
    public SiteTable without(long newVersion, String name) {
        TreeMap<String, Site> copy = new TreeMap<>(byName);
        copy.remove(name);
        return new SiteTable(newVersion, copy);
    }

    /**
     * The site claiming {@code host}, a {@code Host} field value or URI authority host: case-insensitive, a
     * port and a trailing dot ignored. Null when no site claims it.
     */
    public @Nullable Site select(@Nullable String host) {
        if (host == null || host.isEmpty() || exact.isEmpty() && wildcard.isEmpty()) {
            return null;
        }
        String h = normalizeHost(host);
        Site s = exact.get(h);
        return s != null ? s : wildcard.isEmpty() ? null : wildcard.get(parent(h));
    }

    /** A host without port and trailing dot, lower case ({@code [::1]:80} → {@code [::1]}). */
    public static String normalizeHost(String host) {
        String h = host;
        int colon = h.lastIndexOf(':');
        if (colon >= 0 && h.indexOf(']') < colon) {
            h = h.substring(0, colon);
        }
        if (h.endsWith(".")) {
            h = h.substring(0, h.length() - 1);
        }
        return HostPattern.asciiLowerCase(h);
    }

    private static String parent(String host) {
        int dot = host.indexOf('.');
        return dot < 0 ? "" : host.substring(dot + 1);
    }

    public @Nullable Site get(String name) {
        return byName.get(name);
    }

    /** The sites, by name. */
    public List<Site> sites() {
        return new ArrayList<>(byName.values());
    }

    public int size() {
        return byName.size();
    }

    /** The log position of the last change in this table (0: none). */
    public long version() {
        return version;
    }

    @Override
    public String toString() {
        return "sites v" + version + " " + byName.keySet();
    }
}
