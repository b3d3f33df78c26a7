package io.blueorigin.cdn.admin.api;

import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/** The windows {@code GET /api/v1/stats?window=} offers, each ending now. */
enum StatsWindow {
    FIVE_MINUTES("5m", Duration.ofMinutes(5)),
    FIFTEEN_MINUTES("15m", Duration.ofMinutes(15)),
    ONE_HOUR("1h", Duration.ofHours(1)),
    SIX_HOURS("6h", Duration.ofHours(6)),
    ONE_DAY("24h", Duration.ofHours(24)),
    SEVEN_DAYS("7d", Duration.ofDays(7));

    /** Without {@code window=}. */
    static final StatsWindow DEFAULT = ONE_HOUR;

    private final String label;
    private final Duration length;

    StatsWindow(String label, Duration length) {
        this.label = label;
        this.length = length;
    }

    /** As in the query and the answer: {@code 1h}. */
    String label() {
        return label;
    }

    Duration length() {
        return length;
    }

    static Optional<StatsWindow> fromLabel(String label) {
        return Arrays.stream(values()).filter(w -> w.label.equals(label)).findFirst();
    }

    /** Every label, shortest window first: {@code 5m, 15m, 1h, 6h, 24h, 7d}. */
    static String labels() {
        return Arrays.stream(values()).map(StatsWindow::label).collect(Collectors.joining(", "));
    }
}
