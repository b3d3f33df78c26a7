package io.blueorigin.cdn.httpcache.range;

import static org.assertj.core.api.Assertions.assertThat;

import io.blueorigin.cdn.httpcache.range.RangeHeader.Outcome;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link RangeHeader}: what the parser returns beyond the decision table, and that its work is bounded. */
class RangeHeaderTest {

    @Test
    void specsComeBackInFieldOrderWithTheirKinds() {
        RangeHeader.Parsed p = RangeHeader.parse("bytes=0-499, 9500-,-500", 100);
        assertThat(p.outcome()).isEqualTo(Outcome.VALID);
        assertThat(p.specs()).containsExactly(RangeSpec.from(0, 499), RangeSpec.startingAt(9500), RangeSpec.suffix(500));
        assertThat(p.specs()).extracting(RangeSpec::toString).containsExactly("0-499", "9500-", "-500");
    }

    @Test
    void numbersBeyondALongSaturate() {
        RangeHeader.Parsed p = RangeHeader.parse("bytes=5-99999999999999999999,-99999999999999999999", 100);
        assertThat(p.specs()).containsExactly(RangeSpec.from(5, Long.MAX_VALUE), RangeSpec.suffix(Long.MAX_VALUE));
    }

    @Test
    void parsingStopsAtTheFirstSpecPastTheLimit() {
        String value = "bytes=" + "0-0,".repeat(16_384); // 64 KiB
        RangeHeader.Parsed p = RangeHeader.parse(value, 100);
        assertThat(p.outcome()).isEqualTo(Outcome.TOO_MANY);
        assertThat(p.stoppedAt()).as("stopped after 100 specs of 4 characters").isEqualTo("bytes=".length() + 100 * 4);
    }

    @Test
    void aHugeFieldIsReadInOnePassWhenAllowed() {
        String value = "bytes=" + "0-0,".repeat(16_384);
        RangeHeader.Parsed p = RangeHeader.parse(value, Integer.MAX_VALUE);
        assertThat(p.outcome()).isEqualTo(Outcome.VALID);
        assertThat(p.specs()).hasSize(16_384);
        assertThat(RangePolicy.coalesce(p.specs(), 10)).containsExactly(new ByteRange(0, 0));
    }

    @Test
    void aHugeNumberIsComparedWithoutBigArithmetic() {
        String digits = "9".repeat(60_000);
        assertThat(RangeHeader.parse("bytes=" + digits + "-" + digits, 100).outcome()).isEqualTo(Outcome.VALID);
        assertThat(RangeHeader.parse("bytes=" + digits + "-0" + digits, 100).outcome()).as("leading zero").isEqualTo(Outcome.VALID);
        assertThat(RangeHeader.parse("bytes=" + digits + "-" + digits.substring(1), 100).outcome()).isEqualTo(Outcome.INVALID);
        assertThat(RangeHeader.parse("bytes=" + digits + "-" + digits.substring(1) + "8", 100).outcome()).isEqualTo(Outcome.INVALID);
    }

    @Test
    void invalidFieldsSayWhereTheyWentWrong() {
        assertThat(RangeHeader.parse("bytes=0-1,x", 100)).isEqualTo(new RangeHeader.Parsed(Outcome.INVALID, List.of(), 10));
        assertThat(RangeHeader.parse("pages=1", 100).outcome()).isEqualTo(Outcome.OTHER_UNIT);
        assertThat(RangeHeader.parse("=0-1", 100).outcome()).isEqualTo(Outcome.INVALID);
    }
}
