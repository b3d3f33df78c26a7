package io.blueorigin.cdn.admin.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.blueorigin.cdn.admin.db.Node;
import io.blueorigin.cdn.admin.db.NodeBreakdownTraffic;
import io.blueorigin.cdn.admin.db.NodeBreakdownTraffic.Dimension;
import io.blueorigin.cdn.admin.db.NodeSiteTraffic;
import io.blueorigin.cdn.admin.db.NodeTraffic;
import io.blueorigin.cdn.runtime.Role;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

class StatsReportTest {
    private static final Instant TO = Instant.parse("2026-11-25T05:00:00Z");
    private static final Node SHIELD = node(1, "shield-iad", Role.SHIELD);
    private static final Node NYC = node(2, "edge-nyc", Role.EDGE);
    private static final Node LON = node(3, "edge-lon", Role.EDGE);
    private static final Node IDLE = node(4, "edge-idle", Role.EDGE);

    private static Node node(long id, String name, Role role) {
        return new Node(id, name, role, name.substring(name.indexOf('-') + 1), "http://127.0.0.1:8080",
                "http://127.0.0.1:18080", TO.minusSeconds(7200), TO.minusSeconds(5), 0);
    }

    @Test
    void nodesAddUpToTiersAndTheClusterIsTheEdgesWithTheShieldsUpstream() {
        StatsReport report = StatsReport.of(StatsWindow.ONE_HOUR, TO, 60, List.of(SHIELD, NYC, LON, IDLE), List.of(
                new NodeTraffic(1, 10, 2, 100, 50, 20_000, 15_000),
                new NodeTraffic(2, 10, 1, 1000, 900, 90_000, 9000),
                new NodeTraffic(2, 59, 3, 200, 200, 10_000, 0),
                new NodeTraffic(3, 10, 1, 400, 300, 40_000, 50_000),
                new NodeTraffic(99, 10, 1, 7, 7, 7, 7))); // not a registered node: ignored

        assertThat(report.from()).isEqualTo(TO.minus(Duration.ofHours(1)));
        assertThat(report.to()).isEqualTo(TO);
        assertThat(report.nodes()).extracting(StatsReport.NodeLine::node).containsExactly(SHIELD, NYC, LON, IDLE);
        assertThat(report.nodes()).extracting(StatsReport.NodeLine::traffic).containsExactly(
                new Traffic(2, 100, 50, 20_000, 15_000),
                new Traffic(4, 1200, 1100, 100_000, 9000),
                new Traffic(1, 400, 300, 40_000, 50_000),
                Traffic.NONE);
        assertThat(report.tiers()).containsOnlyKeys(Role.EDGE, Role.SHIELD);
        assertThat(report.tiers().get(Role.EDGE)).isEqualTo(new Traffic(5, 1600, 1400, 140_000, 59_000));
        assertThat(report.tiers().get(Role.SHIELD)).isEqualTo(new Traffic(2, 100, 50, 20_000, 15_000));
        assertThat(report.upstreamTier()).isEqualTo(Role.SHIELD);
        assertThat(report.cluster()).isEqualTo(new Traffic(5, 1600, 1400, 140_000, 15_000));
        assertThat(report.cluster().hitRatio()).isEqualTo(OptionalDouble.of(0.875));
        assertThat(report.cluster().bytesSaved()).isEqualTo(125_000);

        assertThat(report.series()).hasSize(60);
        assertThat(report.series().get(10)).isEqualTo(new Traffic(2, 1400, 1200, 130_000, 15_000));
        assertThat(report.series().get(59)).isEqualTo(new Traffic(3, 200, 200, 10_000, 0));
        assertThat(report.series().stream().reduce(Traffic.NONE, Traffic::plus)).isEqualTo(report.cluster());
        assertThat(report.tierSeries()).containsOnlyKeys(Role.EDGE, Role.SHIELD);
        assertThat(report.tierSeries().get(Role.EDGE).get(10)).isEqualTo(new Traffic(2, 1400, 1200, 130_000, 59_000));
        assertThat(report.tierSeries().get(Role.SHIELD).get(10)).isEqualTo(new Traffic(2, 100, 50, 20_000, 15_000));
        for (Role tier : List.of(Role.EDGE, Role.SHIELD)) {
            assertThat(report.tierSeries().get(tier).stream().reduce(Traffic.NONE, Traffic::plus)).as(tier.label())
                    .isEqualTo(report.tiers().get(tier));
        }
        assertThat(report.bucketLength()).isEqualTo(Duration.ofMinutes(1));
        assertThat(report.bucketStart(0)).isEqualTo(report.from());
        assertThat(report.bucketStart(59)).isEqualTo(TO.minus(Duration.ofMinutes(1)));
    }

    @Test
    void withoutShieldStepsTheClusterUpstreamIsTheEdges() {
        StatsReport report = StatsReport.of(StatsWindow.FIVE_MINUTES, TO, 60, List.of(SHIELD, NYC),
                List.of(new NodeTraffic(2, 0, 1, 10, 5, 1000, 1500)));

        assertThat(report.upstreamTier()).isEqualTo(Role.EDGE);
        assertThat(report.cluster()).isEqualTo(new Traffic(1, 10, 5, 1000, 1500));
        assertThat(report.cluster().bytesSaved()).isEqualTo(-500); // reported as is
        assertThat(report.series().get(0).bytesUpstream()).isEqualTo(1500);
        assertThat(report.tiers().get(Role.SHIELD)).isEqualTo(Traffic.NONE);
        assertThat(report.tiers().get(Role.SHIELD).hitRatio()).isEmpty();
        assertThat(report.bucketLength()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void sitesAreSummedPerTierOrderedByEdgeRequestsAndCapped() {
        List<NodeSiteTraffic> sums = new ArrayList<>();
        sums.add(new NodeSiteTraffic(2, "www", 2, 100, 90));
        sums.add(new NodeSiteTraffic(3, "www", 1, 50, 0));
        sums.add(new NodeSiteTraffic(1, "www", 1, 10, 5));
        sums.add(new NodeSiteTraffic(1, "img", 1, 30, 3)); // shield only
        sums.add(new NodeSiteTraffic(99, "ghost", 1, 1000, 1000)); // not a registered node: ignored
        for (int i = 0; i < StatsReport.MAX_SITES + 5; i++) {
            sums.add(new NodeSiteTraffic(4, String.format("s%03d", i), 1, 1, 1));
        }
        StatsReport report = StatsReport.of(StatsWindow.ONE_HOUR, TO, 60, List.of(SHIELD, NYC, LON, IDLE), List.of(),
                sums, Optional.empty());

        assertThat(report.sites()).hasSize(StatsReport.MAX_SITES);
        assertThat(report.sitesOmitted()).isEqualTo(7); // 207 labels
        StatsReport.LabelLine www = report.sites().get(0);
        assertThat(www.label()).isEqualTo("www");
        assertThat(www.traffic()).isEqualTo(new Traffic(3, 150, 90, 0, 0));
        assertThat(www.tiers().get(Role.SHIELD)).isEqualTo(new Traffic(1, 10, 5, 0, 0));
        // one request each at the edge, then by label; img has no edge requests: it is among those cut
        assertThat(report.sites().get(1).label()).isEqualTo("s000");
        assertThat(report.sites().get(StatsReport.MAX_SITES - 1).label()).isEqualTo("s198");
        assertThat(report.sites()).extracting(StatsReport.LabelLine::label).doesNotContain("img", "ghost");

        StatsReport img = StatsReport.of(StatsWindow.ONE_HOUR, TO, 60, List.of(SHIELD, NYC), List.of(), sums,
                Optional.of("img"));
        assertThat(img.sites()).hasSize(1);
        assertThat(img.sites().get(0).traffic()).isEqualTo(Traffic.NONE);
        assertThat(img.sites().get(0).tiers().get(Role.SHIELD)).isEqualTo(new Traffic(1, 30, 3, 0, 0));
        StatsReport none = StatsReport.of(StatsWindow.ONE_HOUR, TO, 60, List.of(SHIELD, NYC), List.of(), sums,
                Optional.of("none"));
        assertThat(none.sites()).extracting(StatsReport.LabelLine::label).containsExactly("none");
        assertThat(none.sites().get(0).tiers()).containsOnlyKeys(Role.EDGE, Role.SHIELD);
        assertThat(none.sitesOmitted()).isZero();
        assertThat(StatsReport.of(StatsWindow.ONE_HOUR, TO, 60, List.of(NYC), List.of()).sites()).isEmpty();
    }

    @Test
    void breakdownsAreSummedPerTierAndDimensionOrderedByEdgeRequestsAndCapped() {
        List<NodeBreakdownTraffic> sums = new ArrayList<>();
        sums.add(new NodeBreakdownTraffic(2, Dimension.CONTENT_TYPE, "image/*", 2, 100, 90, 10_000));
        sums.add(new NodeBreakdownTraffic(3, Dimension.CONTENT_TYPE, "image/*", 1, 50, 0, 5000));
        sums.add(new NodeBreakdownTraffic(1, Dimension.CONTENT_TYPE, "image/*", 1, 10, 5, 1000));
        sums.add(new NodeBreakdownTraffic(2, Dimension.CONTENT_TYPE, "text/html", 1, 0, 0, 70)); // bytes only
        sums.add(new NodeBreakdownTraffic(1, Dimension.URL_PATTERN, "/static/*", 1, 30, 3, 300)); // shield only
        sums.add(new NodeBreakdownTraffic(99, Dimension.URL_PATTERN, "ghost", 1, 1000, 1000, 1)); // not registered
        for (int i = 0; i < StatsReport.MAX_BREAKDOWN_LABELS + 3; i++) {
            sums.add(new NodeBreakdownTraffic(4, Dimension.URL_PATTERN, String.format("/p%03d/*", i), 1, 1, 1, 1));
        }
        StatsReport report = StatsReport.of(StatsWindow.ONE_HOUR, TO, 60, List.of(SHIELD, NYC, LON, IDLE), List.of(),
                List.of(), Optional.empty(), sums);

        StatsReport.Breakdown types = report.byContentType();
        assertThat(types.lines()).extracting(StatsReport.LabelLine::label).containsExactly("image/*", "text/html");
        assertThat(types.lines().get(0).traffic()).isEqualTo(new Traffic(3, 150, 90, 15_000, 0));
        assertThat(types.lines().get(0).tiers().get(Role.SHIELD)).isEqualTo(new Traffic(1, 10, 5, 1000, 0));
        assertThat(types.lines().get(1).traffic()).isEqualTo(new Traffic(1, 0, 0, 70, 0));
        assertThat(types.omitted()).isZero();

        StatsReport.Breakdown patterns = report.byUrlPattern();
        assertThat(patterns.lines()).hasSize(StatsReport.MAX_BREAKDOWN_LABELS);
        assertThat(patterns.omitted()).isEqualTo(4); // 103 patterns and /static/*, which has no edge requests
        assertThat(patterns.lines().get(0).label()).isEqualTo("/p000/*");
        assertThat(patterns.lines()).extracting(StatsReport.LabelLine::label).doesNotContain("/static/*", "ghost");
        assertThat(StatsReport.of(StatsWindow.ONE_HOUR, TO, 60, List.of(NYC), List.of()).byUrlPattern())
                .isEqualTo(StatsReport.Breakdown.NONE);
    }

    @Test
    void sumsSaturateInsteadOfOverflowing() {
        long half = Long.MAX_VALUE / 2 + 1;
        StatsReport report = StatsReport.of(StatsWindow.ONE_HOUR, TO, 60, List.of(NYC, LON), List.of(
                new NodeTraffic(2, 0, 1, half, half, half, 0), new NodeTraffic(3, 0, 1, half, 1, half, 0)));

        assertThat(report.cluster()).isEqualTo(new Traffic(2, Long.MAX_VALUE, half + 1, Long.MAX_VALUE, 0));
        assertThat(report.cluster().bytesSaved()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void inconsistentFiguresAreRefused() {
        assertThatThrownBy(() -> new Traffic(1, 5, 6, 0, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Traffic(1, 5, 1, -1, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void windowsByLabel() {
        assertThat(StatsWindow.labels()).isEqualTo("5m, 15m, 1h, 6h, 24h, 7d");
        assertThat(StatsWindow.fromLabel("24h")).contains(StatsWindow.ONE_DAY);
        assertThat(StatsWindow.fromLabel("1d")).isEmpty();
        assertThat(StatsWindow.DEFAULT.length()).isEqualTo(Duration.ofHours(1));
        for (StatsWindow window : StatsWindow.values()) {
            // every window splits into whole-second buckets, so bucket bounds print exactly
            assertThat(window.length().toMillis() % (StatsApi.BUCKETS * 1000L)).as(window.label()).isZero();
        }
    }
}
