package io.blueorigin.cdn.admin.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringWriter;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import java.util.stream.Stream;
import static org.junit.jupiter.params.provider.Arguments.arguments;
import org.junit.jupiter.api.Test;

/** RFC 4180 quoting and OWASP formula neutralising, field by field, and records ended by CRLF. */
class CsvTest {

    /** Each value, and the field as written. */
    static Stream<Arguments> fields() {
        return Stream.of(
                arguments("plain", "plain"),
                arguments("/item/1?x=1", "/item/1?x=1"),
                arguments("", ""),
                arguments("a,b", "\"a,b\""),
                arguments("say \"hi\"", "\"say \"\"hi\"\"\""),
                arguments("line1\nline2", "\"line1\nline2\""),
                arguments("=HYPERLINK(\"x\")", "\"'=HYPERLINK(\"\"x\"\")\""),
                arguments("+1", "'+1"),
                arguments("-2", "'-2"),
                arguments("@SUM(A1)", "'@SUM(A1)"),
                arguments("=1+2,3", "\"'=1+2,3\""),
                arguments("\tcmd", "'\tcmd"),
                arguments("\rcmd", "\"'\rcmd\""),
                arguments("x\ry", "\"x\ry\""),
                arguments("a=b", "a=b"),
                arguments("1-2", "1-2"));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("fields")
    void fields(String value, String written) {
        assertThat(Csv.field(value)).isEqualTo(written);
    }

    @Test
    void recordsAreCommaSeparatedAndEndWithCrlfAndNullIsEmpty() throws IOException {
        StringWriter out = new StringWriter();
        Csv csv = new Csv(out);
        csv.record("id", "target").record(Arrays.asList("7", null)).record(List.of("8", "a,b"));
        csv.flush();
        assertThat(out.toString()).isEqualTo("id,target\r\n7,\r\n8,\"a,b\"\r\n");
    }
}
