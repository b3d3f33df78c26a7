package io.blueorigin.cdn.runtime.metrics;

import java.util.List;

/** The {@code code} label of request counters: an HTTP status's class, {@code 1xx} to {@code 5xx}. */
public final class StatusClass {
    /** The label values, in index order. */
    public static final List<String> LABELS = List.of("1xx", "2xx", "3xx", "4xx", "5xx");

    private StatusClass() {}

    /** Index into {@link #LABELS} of {@code status}; out-of-range statuses fall into the nearest class. */
    public static int index(int status) {
        return Math.min(LABELS.size() - 1, Math.max(0, status / 100 - 1));
    }
}
