package io.blueorigin.cdn.httpcache.range;

import static java.util.Objects.requireNonNull;

import io.blueorigin.cdn.httpcache.range.RangeDecision.Action;
import io.blueorigin.cdn.httpcache.range.RangeDecision.Reason;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Decides how to answer a request that may carry {@code Range} from a whole representation we hold
 * (RFC 9110 §14.2, §13.2.2 step 5; RFC 9111 §3.3-3.4 is why we always hold the whole representation).
 *
 * <p>The order of the checks, each one's outcome a {@link Reason}:
 * <ol>
 *   <li>no {@code Range} → FULL (an {@code If-Range} alone is ignored, §13.1.5);</li>
 *   <li>not GET → FULL (§14.2: "A server MUST ignore a Range header field received with a request method
 *       that is unrecognized or for which range handling is not defined"; for HEAD that gives 200 fields);</li>
 *   <li>not a 200, or length unknown → FULL;</li>
 *   <li>the field is invalid, of another unit, or has more than {@code maxRanges} specs → FULL;</li>
 *   <li>{@code If-Range} present and false → FULL (§13.1.5);</li>
 *   <li>no spec is satisfiable → UNSATISFIABLE (416 {@code bytes *}{@code /len}, §15.5.17), except a
 *       non-zero suffix-range on an empty representation → FULL (see {@link Reason#EMPTY_REPRESENTATION});</li>
 *   <li>the satisfiable ranges are coalesced: overlapping or adjacent ranges become one (§14.2 lets a
 *       server coalesce ranges that overlap or are separated by a gap smaller than a part's overhead; we
 *       coalesce gaps of zero bytes only, so a client gets no byte it did not ask for). The parts keep the
 *       request's order, a coalesced part placed where its earliest spec was (§14.6, §15.3.7.2 "SHOULD
 *       send the parts in the same order"). One part → PARTIAL (§15.3.7.2: never a multipart for one
 *       range); more → MULTIPART.</li>
 * </ol>
 *
 * <p>Cost: the field is parsed in one pass and stopped after {@code maxRanges} specs; coalescing sorts at
 * most that many ranges. Thread-safe and immutable.
 */
public final class RangePolicy {
    /** Default most range-specs accepted in one field; more and the field is ignored (nginx's {@code max_ranges} in spirit). */
    public static final int DEFAULT_MAX_RANGES = 100;

    private final int maxRanges;

    /** @param maxRanges the most range-specs in one {@code Range} field; a field with more is ignored */
    public RangePolicy(int maxRanges) {
        if (maxRanges < 1) {
            throw new IllegalArgumentException("maxRanges : " + maxRanges + " (expected: >= 1)");
        }
        this.maxRanges = maxRanges;
    }

    public RangePolicy() {
        this(DEFAULT_MAX_RANGES);
    }

    public int maxRanges() {
        return maxRanges;
    }

    /**
     * The answer to a request for {@code representation}.
     *
     * @param method the request method
     * @param range the request's {@code Range} field lines (empty: none; several: invalid, the field is a singleton)
     * @param ifRange the request's {@code If-Range} field lines
     * @param representation the whole response we would send without {@code Range}
     */
    public RangeDecision decide(String method, List<String> range, List<String> ifRange, Representation representation) {
        requireNonNull(method, "method is null");
        requireNonNull(representation, "representation is null");
        long length = representation.length();
        if (range.isEmpty()) {
            return RangeDecision.full(Reason.NO_RANGE, length);
        }
        if (!method.equals("GET")) {
            return RangeDecision.full(Reason.NOT_GET, length);
        }
        if (representation.status() != 200) {
            return RangeDecision.full(Reason.NOT_200, length);
        }
        if (length < 0) {
            return RangeDecision.full(Reason.UNKNOWN_LENGTH, length);
        }
        if (range.size() != 1) {
            return RangeDecision.full(Reason.INVALID_RANGE, length);
        }
        RangeHeader.Parsed parsed = RangeHeader.parse(range.get(0), maxRanges);
        switch (parsed.outcome()) {
            case INVALID:
                return RangeDecision.full(Reason.INVALID_RANGE, length);
            case OTHER_UNIT:
                return RangeDecision.full(Reason.OTHER_UNIT, length);
            case TOO_MANY:
                return RangeDecision.full(Reason.TOO_MANY_RANGES, length);
            case VALID:
                break;
        }
        if (!ifRange.isEmpty() && !IfRange.holds(ifRange, representation.etag(), representation.lastModifiedMillis(),
                representation.dateMillis())) {
            return RangeDecision.full(Reason.IF_RANGE_FAILED, length);
        }
        List<ByteRange> parts = coalesce(parsed.specs(), length);
        if (parts.isEmpty()) {
            boolean nonZeroSuffix = parsed.specs().stream().anyMatch(s -> s.isSuffix() && s.last() > 0);
            return length == 0 && nonZeroSuffix
                    ? RangeDecision.full(Reason.EMPTY_REPRESENTATION, length)
                    : new RangeDecision(Action.UNSATISFIABLE, Reason.NOT_SATISFIABLE, List.of(), length);
        }
        return parts.size() == 1
                ? new RangeDecision(Action.PARTIAL, Reason.SINGLE_RANGE, parts, length)
                : new RangeDecision(Action.MULTIPART, Reason.MULTIPLE_RANGES, parts, length);
    }

    /** A resolved range and the position of the earliest spec it came from. */
    private record Ordered(ByteRange range, int order) {}

    /**
     * The satisfiable ranges of {@code specs}, overlapping and adjacent ones merged, in the order of their
     * earliest spec. Empty when none is satisfiable.
     */
    static List<ByteRange> coalesce(List<RangeSpec> specs, long length) {
        List<Ordered> resolved = new ArrayList<>(specs.size());
        for (int i = 0; i < specs.size(); i++) {
            Optional<ByteRange> r = specs.get(i).resolve(length);
            if (r.isPresent()) {
                resolved.add(new Ordered(r.get(), i));
            }
        }
        resolved.sort(Comparator.comparingLong((Ordered o) -> o.range().first()));
        List<Ordered> merged = new ArrayList<>();
        for (Ordered o : resolved) {
            Ordered last = merged.isEmpty() ? null : merged.get(merged.size() - 1);
            // last() < length <= Long.MAX_VALUE, so last() + 1 cannot overflow
            if (last != null && o.range().first() <= last.range().last() + 1) {
                ByteRange union = new ByteRange(last.range().first(), Math.max(last.range().last(), o.range().last()));
                merged.set(merged.size() - 1, new Ordered(union, Math.min(last.order(), o.order())));
            } else {
                merged.add(o);
            }
        }
        merged.sort(Comparator.comparingInt(Ordered::order));
        List<ByteRange> out = new ArrayList<>(merged.size());
        for (Ordered o : merged) {
            out.add(o.range());
        }
        return out;
    }
}
