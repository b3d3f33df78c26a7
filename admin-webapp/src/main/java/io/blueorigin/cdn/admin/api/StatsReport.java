package io.blueorigin.cdn.admin.api;

import static java.util.Objects.requireNonNull;

import io.blueorigin.cdn.admin.db.Node;
import io.blueorigin.cdn.admin.db.NodeBreakdownTraffic;
import io.blueorigin.cdn.admin.db.NodeBreakdownTraffic.Dimension;
import io.blueorigin.cdn.admin.db.NodeSiteTraffic;
import io.blueorigin.cdn.admin.db.NodeTraffic;
import io.blueorigin.cdn.runtime.Role;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The figures of {@code GET /api/v1/stats}, combined from each node's per-bucket sums
 * ({@link io.blueorigin.cdn.admin.db.NodeStats#traffic}). Pure: no clock, no database.
 *
 * <ul>
 *   <li>a node: the sum of its buckets; every registered node has a line, zeros when it reported nothing;
 *   <li>a tier ({@code edge}, {@code shield}): the sum of its nodes;
 *   <li>the cluster: the edge tier (what clients saw), except {@code bytesUpstream}, which is the shield
 *       tier's (what reached the origin) when a shield reported traffic in the window ({@code steps > 0}),
 *       else the edge tier's;
 *   <li>the series: the cluster's figures per bucket, with the upstream tier chosen once for the window,
 *       so the buckets add up to the cluster's figures (as long as nothing saturates);
 *   <li>a site label: its requests and hits per tier over the window (nodes' {@code traffic.sites}),
 *       the edge tier's as its own figures, like the cluster;
 *   <li>a content-type or URL-pattern label: its requests, hits and bytes served per tier over the window (nodes'
 *       {@code traffic.contentTypes}, {@code traffic.urlPatterns}), the edge tier's as its own figures.
 * </ul>
 *
 * @param nodes one line per registered node, in the order given
 * @param tiers edge and shield, in that order
 * @param upstreamTier whose {@code bytesUpstream} the cluster and the series report
 * @param series one element per bucket, oldest first
 * @param sites per site label, the most requested first, at most {@link #MAX_SITES}
 * @param sitesOmitted labels with traffic in the window left out of {@code sites} by the cap
 * @param byContentType per content-type label
 * @param byUrlPattern per URL-pattern label
 * @param tierSeries per tier (edge, shield), its own figures per bucket, oldest first (the console's per-tier charts)
 */
record StatsReport(StatsWindow window, Instant from, Instant to, List<NodeLine> nodes, Map<Role, Traffic> tiers,
        Role upstreamTier, Traffic cluster, List<Traffic> series, List<LabelLine> sites, int sitesOmitted,
        Breakdown byContentType, Breakdown byUrlPattern, Map<Role, List<Traffic>> tierSeries) {

    /** Most site labels one answer lists (nodes send at most 100 site names, {@code other} and {@code none} each). */
    static final int MAX_SITES = 200;

    /**
     * Most labels one breakdown lists: nodes send at most 13 content-type labels and 33 URL-pattern labels (admin
     * stores at most 64 per heartbeat); more only across differently configured nodes.
     */
    static final int MAX_BREAKDOWN_LABELS = 100;

    /** The roles that serve traffic, in the order the answer lists them. */
    static final List<Role> TIERS = List.of(Role.EDGE, Role.SHIELD);

    /** A node and its figures. */
    record NodeLine(Node node, Traffic traffic) {
        NodeLine {
            requireNonNull(node, "node is null");
            requireNonNull(traffic, "traffic is null");
        }
    }

    /**
     * A label's figures per tier (sums over the tier's registered nodes): a site label (only {@code steps},
     * {@code requests} and {@code hits} are set, site steps carry no bytes), or a breakdown label (also
     * {@code bytesServed}; {@code bytesUpstream} is 0, nothing upstream is broken down).
     */
    record LabelLine(String label, Map<Role, Traffic> tiers) {
        /** The most requested at the edge first, then at the shield (all tiers), then by label. */
        static final Comparator<LabelLine> ORDER = Comparator.comparingLong((LabelLine line) -> line.traffic().requests())
                .reversed().thenComparing(Comparator.comparingLong(LabelLine::total).reversed())
                .thenComparing(LabelLine::label);

        LabelLine {
            requireNonNull(label, "label is null");
            tiers = Collections.unmodifiableMap(new EnumMap<>(tiers));
            if (!tiers.keySet().containsAll(TIERS)) {
                throw new IllegalArgumentException("tiers missing: " + tiers.keySet());
            }
        }

        /** What clients saw: the edge tier's figures, as for the cluster. */
        Traffic traffic() {
            return tiers.get(Role.EDGE);
        }

        private long total() {
            return tiers.values().stream().mapToLong(Traffic::requests).reduce(0, (a, b) -> a + b < 0 ? Long.MAX_VALUE : a + b);
        }
    }

    /**
     * One dimension's labels, the most requested at the edge first (then at the shield, then by label), at most
     * {@link #MAX_BREAKDOWN_LABELS}; {@code omitted} counts the labels with traffic left out by the cap.
     */
    record Breakdown(List<LabelLine> lines, int omitted) {
        static final Breakdown NONE = new Breakdown(List.of(), 0);

        Breakdown {
            lines = List.copyOf(lines);
            if (omitted < 0) {
                throw new IllegalArgumentException("omitted < 0: " + omitted);
            }
        }

        /** The dimension's lines from every node's sums (sums of nodes not in {@code byId} or not serving are ignored). */
        static Breakdown of(Dimension dimension, Map<Long, Node> byId, List<NodeBreakdownTraffic> sums) {
            Map<String, Map<Role, Traffic>> perLabel = new TreeMap<>();
            for (NodeBreakdownTraffic sum : sums) {
                Node node = byId.get(sum.nodeId());
                if (sum.dimension() != dimension || node == null || !TIERS.contains(node.role())) {
                    continue;
                }
                perLabel.computeIfAbsent(sum.label(), label -> noTraffic()).merge(node.role(),
                        new Traffic(sum.steps(), sum.requests(), sum.hits(), sum.bytesServed(), 0), Traffic::plus);
            }
            List<LabelLine> lines = perLabel.entrySet().stream().map(e -> new LabelLine(e.getKey(), e.getValue()))
                    .sorted(LabelLine.ORDER).toList();
            int omitted = Math.max(0, lines.size() - MAX_BREAKDOWN_LABELS);
            return new Breakdown(lines.subList(0, lines.size() - omitted), omitted);
        }
    }

    StatsReport {
        requireNonNull(window, "window is null");
        requireNonNull(from, "from is null");
        requireNonNull(to, "to is null");
        requireNonNull(upstreamTier, "upstreamTier is null");
        requireNonNull(cluster, "cluster is null");
        nodes = List.copyOf(nodes);
        tiers = Collections.unmodifiableMap(new EnumMap<>(tiers));
        series = List.copyOf(series);
        sites = List.copyOf(sites);
        if (sitesOmitted < 0) {
            throw new IllegalArgumentException("sitesOmitted < 0: " + sitesOmitted);
        }
        if (series.isEmpty()) {
            throw new IllegalArgumentException("no buckets");
        }
        requireNonNull(byContentType, "byContentType is null");
        requireNonNull(byUrlPattern, "byUrlPattern is null");
        Map<Role, List<Traffic>> copy = new EnumMap<>(Role.class);
        tierSeries.forEach((role, points) -> copy.put(role, List.copyOf(points)));
        tierSeries = Collections.unmodifiableMap(copy);
    }

    /**
     * Combines {@code sums} over the window of {@code window.length()} ending at {@code to}, split into
     * {@code buckets} buckets; sums of nodes not in {@code nodes} or of buckets out of range are ignored.
     */
    static StatsReport of(StatsWindow window, Instant to, int buckets, List<Node> nodes, List<NodeTraffic> sums) {
        return of(window, to, buckets, nodes, sums, List.of(), Optional.empty());
    }

    /**
     * As {@link #of(StatsWindow, Instant, int, List, List)}, with per-site sums: each label's figures per tier,
     * summed over the tier's registered nodes, ordered by edge requests, then shield requests (most first),
     * then label, cut at {@link #MAX_SITES}. With {@code site}, only that label is listed, with zeros when no
     * node reported it.
     */
    static StatsReport of(StatsWindow window, Instant to, int buckets, List<Node> nodes, List<NodeTraffic> sums,
            List<NodeSiteTraffic> siteSums, Optional<String> site) {
        return of(window, to, buckets, nodes, sums, siteSums, site, List.of());
    }

    /**
     * As {@link #of(StatsWindow, Instant, int, List, List, List, Optional)}, with the breakdown sums by content type
     * and URL pattern: each label's figures per tier, summed over the tier's registered nodes, ordered and cut as
     * {@link Breakdown} says. {@code site} does not restrict them (nodes do not break their sites down).
     */
    static StatsReport of(StatsWindow window, Instant to, int buckets, List<Node> nodes, List<NodeTraffic> sums,
            List<NodeSiteTraffic> siteSums, Optional<String> site, List<NodeBreakdownTraffic> breakdownSums) {
        if (buckets < 1) {
            throw new IllegalArgumentException("buckets < 1: " + buckets);
        }
        Map<Long, Node> byId = new HashMap<>();
        nodes.forEach(node -> byId.put(node.id(), node));
        Map<Long, Traffic> perNode = new HashMap<>();
        Map<Role, List<Traffic>> perBucket = new EnumMap<>(Role.class);
        for (Role tier : TIERS) {
            perBucket.put(tier, new ArrayList<>(Collections.nCopies(buckets, Traffic.NONE)));
        }
        for (NodeTraffic sum : sums) {
            Node node = byId.get(sum.nodeId());
            if (node == null || sum.bucket() >= buckets || !perBucket.containsKey(node.role())) {
                continue;
            }
            Traffic traffic = new Traffic(sum.steps(), sum.requests(), sum.hits(), sum.bytesServed(), sum.bytesUpstream());
            perNode.merge(node.id(), traffic, Traffic::plus);
            perBucket.get(node.role()).set(sum.bucket(), perBucket.get(node.role()).get(sum.bucket()).plus(traffic));
        }
        List<NodeLine> lines = new ArrayList<>();
        Map<Role, Traffic> tiers = new EnumMap<>(Role.class);
        TIERS.forEach(tier -> tiers.put(tier, Traffic.NONE));
        for (Node node : nodes) {
            Traffic traffic = perNode.getOrDefault(node.id(), Traffic.NONE);
            lines.add(new NodeLine(node, traffic));
            tiers.computeIfPresent(node.role(), (role, total) -> total.plus(traffic));
        }
        Role upstreamTier = tiers.get(Role.SHIELD).steps() > 0 ? Role.SHIELD : Role.EDGE;
        Traffic cluster = tiers.get(Role.EDGE).withBytesUpstream(tiers.get(upstreamTier).bytesUpstream());
        List<Traffic> series = new ArrayList<>(buckets);
        for (int i = 0; i < buckets; i++) {
            series.add(perBucket.get(Role.EDGE).get(i)
                    .withBytesUpstream(perBucket.get(upstreamTier).get(i).bytesUpstream()));
        }
        Map<String, Map<Role, Traffic>> perSite = new TreeMap<>();
        site.ifPresent(label -> perSite.put(label, noTraffic()));
        for (NodeSiteTraffic sum : siteSums) {
            Node node = byId.get(sum.nodeId());
            if (node == null || !perBucket.containsKey(node.role()) || site.filter(s -> !s.equals(sum.site())).isPresent()) {
                continue;
            }
            perSite.computeIfAbsent(sum.site(), label -> noTraffic())
                    .merge(node.role(), new Traffic(sum.steps(), sum.requests(), sum.hits(), 0, 0), Traffic::plus);
        }
        List<LabelLine> sites = perSite.entrySet().stream().map(e -> new LabelLine(e.getKey(), e.getValue()))
                .sorted(LabelLine.ORDER).toList();
        int omitted = Math.max(0, sites.size() - MAX_SITES);
        return new StatsReport(window, to.minus(window.length()), to, lines, tiers, upstreamTier, cluster, series,
                sites.subList(0, sites.size() - omitted), omitted, Breakdown.of(Dimension.CONTENT_TYPE, byId, breakdownSums),
                Breakdown.of(Dimension.URL_PATTERN, byId, breakdownSums), perBucket);
    }

    private static Map<Role, Traffic> noTraffic() {
        Map<Role, Traffic> tiers = new EnumMap<>(Role.class);
        TIERS.forEach(tier -> tiers.put(tier, Traffic.NONE));
        return tiers;
    }

    /** Where bucket {@code i} starts; it holds the steps whose later row is in {@code (start, start + step]}. */
    Instant bucketStart(int i) {
        return from.plus(bucketLength().multipliedBy(i));
    }

    /** The length of one bucket: the window divided by the number of buckets. */
    Duration bucketLength() {
        return window.length().dividedBy(series.size());
    }
}
