package io.blueorigin.cdn.admin.console;

import static java.util.Objects.requireNonNull;

import io.blueorigin.cdn.admin.api.ApiException;
import io.blueorigin.cdn.admin.api.Operations;
import java.io.IOException;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /console/?window=1h}: nodes by POP and role with health, version (last applied entry) and lag; the
 * fleet's requests, hit ratio and bandwidth (served, from upstream, saved) per tier over the window, as charts
 * drawn from {@code GET /api/v1/stats}'s figures and as tables with the same numbers.
 */
final class OverviewPage {
    private final Operations operations;

    OverviewPage(Operations operations) {
        this.operations = requireNonNull(operations, "operations is null");
    }

    void page(Exchange exchange) throws IOException, SQLException, ApiException, Exchange.BadInput {
        String window = exchange.parameter("window").orElse("1h");
        Map<String, ?> stats = operations.stats(window);
        Page page = new Page("Overview", "").notice(exchange.notice());
        page.add(new Block.Form("window", "Window", "get", "/console/", List.of(Field.select("window", "Show the last",
                window, Operations.statsWindows(), "", null)), "Show", null));
        page.add(nodes(operations.nodes()));
        page.add(new Block.Heading("Traffic over " + stats.get("window") + " (" + stats.get("from") + " to " + stats.get("to") + ")"));
        page.add(tiers(stats));
        page.add(breakdown("By content type", "Content type", stats.get("byContentType")));
        page.add(breakdown("By URL pattern (stats.url-patterns of the edges and shields)", "URL pattern",
                stats.get("byUrlPattern")));
        List<Long> x = new ArrayList<>();
        for (Object o : (List<?>) stats.get("series")) {
            x.add(Instant.parse((String) ((Map<?, ?>) o).get("at")).getEpochSecond());
        }
        for (Map.Entry<String, ?> tier : ((Map<String, ?>) stats.get("tierSeries")).entrySet()) {
            charts(page, tier.getKey(), x, (List<?>) tier.getValue());
        }
        exchange.render(page);
    }

    private static Block nodes(List<Map<String, ?>> nodes) {
        List<Map<String, ?>> sorted = new ArrayList<>(nodes);
        sorted.sort(Comparator.comparing((Map<String, ?> n) -> String.valueOf(n.get("pop")))
                .thenComparing(n -> String.valueOf(n.get("role"))).thenComparing(n -> String.valueOf(n.get("name"))));
        List<List<Cell>> rows = new ArrayList<>();
        for (Map<String, ?> node : sorted) {
            rows.add(List.of(Cell.text(node.get("pop")), Cell.text(node.get("role")), Cell.text(node.get("name")),
                    Cell.text(node.get("state")), Cell.text(node.get("lastApplied")), Cell.text(node.get("lag")),
                    Cell.text(node.get("lastHeartbeatAt"))));
        }
        return Block.Table.of("Nodes by POP and role", List.of("POP", "Role", "Node", "State", "Version (last applied)",
                "Lag (entries)", "Last heartbeat"), rows, "No node has registered yet.");
    }

    private static Block tiers(Map<String, ?> stats) {
        List<List<Cell>> rows = new ArrayList<>();
        Map<String, Object> all = new LinkedHashMap<>((Map<String, ?>) stats.get("tiers"));
        all.put("all (cluster)", stats.get("cluster"));
        for (Map.Entry<String, Object> tier : all.entrySet()) {
            Map<?, ?> t = (Map<?, ?>) tier.getValue();
            Object ratio = t.get("hitRatio");
            rows.add(List.of(Cell.text(tier.getKey()), Cell.text(t.get("requests")), Cell.text(t.get("hits")),
                    Cell.text(percent(ratio)),
                    Cell.text(t.get("bytesServed")), Cell.text(t.get("bytesUpstream")), Cell.text(t.get("bytesSaved"))));
        }
        return Block.Table.of("Per tier", List.of("Tier", "Requests", "Hits", "Hit ratio", "Bytes served",
                "Bytes from upstream", "Bytes saved"), rows, "No traffic.");
    }

    /** Requests and hits, hit ratio, and bandwidth (served, from upstream, saved) of one tier per bucket. */
    private static void charts(Page page, String tier, List<Long> x, List<?> points) {
        List<Object> requests = new ArrayList<>();
        List<Object> hits = new ArrayList<>();
        List<Object> ratio = new ArrayList<>();
        List<Object> served = new ArrayList<>();
        List<Object> upstream = new ArrayList<>();
        List<Object> saved = new ArrayList<>();
        for (Object o : points) {
            Map<?, ?> point = (Map<?, ?>) o;
            long r = ((Number) point.get("requests")).longValue();
            long h = ((Number) point.get("hits")).longValue();
            requests.add(r);
            hits.add(h);
            ratio.add(r == 0 ? null : 100.0 * h / r);
            served.add(point.get("bytesServed"));
            upstream.add(point.get("bytesUpstream"));
            saved.add(point.get("bytesSaved"));
        }
        page.add(new Block.Heading("Tier " + tier + " over time"));
        page.add(new Block.Chart("chart-" + tier + "-requests", tier + ": requests and hits per bucket", "requests",
                chart(x, List.of("requests", "hits"), List.of(requests, hits))));
        page.add(new Block.Chart("chart-" + tier + "-ratio", tier + ": hit ratio", "%", percentChart(x, ratio)));
        page.add(new Block.Chart("chart-" + tier + "-bytes", tier + ": bandwidth served, from upstream and saved", "bytes",
                chart(x, List.of("served", "from upstream", "saved"), List.of(served, upstream, saved))));
    }

    /** A {@code byContentType} or {@code byUrlPattern} list of the stats answer as a table (edge tier first). */
    private static Block breakdown(String caption, String labelHeader, Object lines) {
        List<List<Cell>> rows = new ArrayList<>();
        for (Object o : (List<?>) lines) {
            Map<?, ?> line = (Map<?, ?>) o;
            Object ratio = line.get("hitRatio");
            rows.add(List.of(new Cell.Code(String.valueOf(line.get("label"))), Cell.text(line.get("requests")),
                    Cell.text(line.get("hits")), Cell.text(percent(ratio)), Cell.text(line.get("bytesServed"))));
        }
        return Block.Table.of(caption, List.of(labelHeader, "Requests", "Hits", "Hit ratio", "Bytes served"), rows,
                "No traffic in this window.");
    }

    private static String percent(Object ratio) {
        return ratio == null ? "—" : String.format("%.1f %%", 100 * ((Number) ratio).doubleValue());
    }

    /** A chart of percentages: its y axis is 0..100 whatever the values. */
    private static String percentChart(List<Long> x, List<Object> values) {
        return Json.write(Map.of("x", x, "series", List.of(Map.of("label", "hit ratio", "values", values)),
                "range", List.of(0, 100)));
    }

    private static String chart(List<Long> x, List<String> labels, List<List<Object>> values) {
        List<Map<String, Object>> series = new ArrayList<>();
        for (int i = 0; i < labels.size(); i++) {
            series.add(Map.of("label", labels.get(i), "values", values.get(i)));
        }
        return Json.write(Map.of("x", x, "series", series));
    }
}
