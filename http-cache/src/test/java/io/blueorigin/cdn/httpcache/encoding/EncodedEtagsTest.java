package io.blueorigin.cdn.httpcache.encoding;

import static org.assertj.core.api.Assertions.assertThat;

import io.blueorigin.cdn.httpcache.EntityTag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EncodedEtagsTest {

    @ParameterizedTest(name = "{0} as {1}")
    @CsvSource(delimiter = '#', quoteCharacter = '`', textBlock = """
        `"abc"`     # BR       # `"abc-br"`
        `"abc"`     # GZIP     # `"abc-gzip"`
        `W/"abc"`   # BR       # `W/"abc-br"`
        `W/"abc"`   # GZIP     # `W/"abc-gzip"`
        `""`        # BR       # `"-br"`
        `"abc"`     # IDENTITY # `"abc"`
        ` "abc" `   # BR       # `"abc-br"`
        """)
    void derivesTheVariantsTag(String identity, Coding coding, String expected) {
        assertThat(EncodedEtags.derive(identity, coding)).contains(expected);
    }

    @Test
    void anInvalidTagHasNoDerivedTag() {
        assertThat(EncodedEtags.derive("abc", Coding.BR)).isEmpty();
        assertThat(EncodedEtags.derive("\"a\"b\"", Coding.GZIP)).isEmpty();
    }

    @Test
    void theDerivedTagNeverMatchesTheIdentityOneStrongly() {
        EntityTag identity = new EntityTag("v1", false);
        EntityTag br = EncodedEtags.derive(identity, Coding.BR);
        assertThat(br.strongMatches(identity)).isFalse();
        assertThat(br.weakMatches(identity)).isFalse();
        assertThat(br.strongMatches(EncodedEtags.derive(identity, Coding.BR))).isTrue();
        assertThat(EncodedEtags.derive(EntityTag.ANY, Coding.BR)).isEqualTo(EntityTag.ANY);
    }
}
