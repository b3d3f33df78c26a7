package io.blueorigin.cdn.httpcache.range;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * What to send for a request that may carry {@code Range}: the outcome of {@link RangePolicy#decide}.
 *
 * <p>Invariants: {@link Action#FULL} and {@link Action#UNSATISFIABLE} carry no ranges; {@link Action#PARTIAL}
 * exactly one; {@link Action#MULTIPART} two or more, disjoint and not adjacent.
 *
 * @param action what to send
 * @param reason why, for logs and tests
 * @param ranges the parts to send, in the order to send them
 * @param completeLength the representation's length (for {@code Content-Range}); -1 when unknown (FULL only)
 */
public record RangeDecision(Action action, Reason reason, List<ByteRange> ranges, long completeLength) {

    public RangeDecision {
        requireNonNull(action, "action is null");
        requireNonNull(reason, "reason is null");
        ranges = List.copyOf(ranges);
        int expected = switch (action) {
            case FULL, UNSATISFIABLE -> 0;
            case PARTIAL -> 1;
            case MULTIPART -> Math.max(2, ranges.size());
        };
        if (ranges.size() != expected) {
            throw new IllegalArgumentException(action + " with " + ranges.size() + " ranges");
        }
    }

    /** The closed set of answers (RFC 9110 §14, §15.3.7, §15.5.17). */
    public enum Action {
        /** Ignore {@code Range}: send the representation as it is (200, or whatever its status is). */
        FULL,
        /** 206 with {@code Content-Range: bytes first-last/length} and that part only. */
        PARTIAL,
        /** 206 {@code multipart/byteranges} (see {@link MultipartByteranges}). */
        MULTIPART,
        /** 416 with {@code Content-Range: bytes *}{@code /length} and no range. */
        UNSATISFIABLE
    }

    /** Why. */
    public enum Reason {
        /** No {@code Range} field. */
        NO_RANGE,
        /** §9.3.2, §14.2: only GET has ranges; a HEAD answers as a GET without them would (200 fields). */
        NOT_GET,
        /** §14.2: ranges apply to a 200 representation only. */
        NOT_200,
        /** The length is not known yet, so a range cannot be resolved or described. */
        UNKNOWN_LENGTH,
        /** §14.1.2, §14.2: the field is invalid (syntax, reversed int-range, empty set, several lines). */
        INVALID_RANGE,
        /** §14.1: a range unit other than {@code bytes}. */
        OTHER_UNIT,
        /** §14.2: more range-specs than {@link RangePolicy} allows. */
        TOO_MANY_RANGES,
        /** §13.1.5: the If-Range validator does not strongly match the representation. */
        IF_RANGE_FAILED,
        /**
         * §14.2 "MAY ignore a Range header field when the selected representation has no content": a non-zero
         * suffix-range is satisfiable on a zero-length representation (§14.1.2), but there is no byte to send
         * and no {@code Content-Range} to describe none.
         */
        EMPTY_REPRESENTATION,
        /** One range is sent (one was asked, or several coalesced into one). */
        SINGLE_RANGE,
        /** Several disjoint ranges are sent. */
        MULTIPLE_RANGES,
        /** §14.1.2: no range-spec selects a byte of the representation. */
        NOT_SATISFIABLE
    }

    static RangeDecision full(Reason reason, long completeLength) {
        return new RangeDecision(Action.FULL, reason, List.of(), completeLength);
    }
}
