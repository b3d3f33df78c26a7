package io.blueorigin.cdn.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RequestIdsTest {
    @Test
    void aGeneratedIdIsSixteenLowerCaseHexDigitsMostSignificantFirst() {
        assertThat(RequestIds.hex(0x0123456789abcdefL)).isEqualTo("0123456789abcdef");
        assertThat(RequestIds.hex(0L)).isEqualTo("0000000000000000");
        assertThat(RequestIds.hex(-1L)).isEqualTo("ffffffffffffffff");
        assertThat(RequestIds.hex(0xA5L)).isEqualTo("00000000000000a5");
        for (int i = 0; i < 100; i++) {
            String id = RequestIds.generate();
            assertThat(id).matches("[0-9a-f]{16}");
            assertThat(RequestIds.isUsable(id)).isTrue();
        }
    }

    @Test
    void aSaneIncomingIdIsKeptAndAnInsaneOneReplaced() {
        assertThat(RequestIds.acceptOrGenerate("abc-123")).isEqualTo("abc-123");
        assertThat(RequestIds.acceptOrGenerate("a b")).matches("[0-9a-f]{16}");
        assertThat(RequestIds.acceptOrGenerate(null)).matches("[0-9a-f]{16}");
        assertThat(RequestIds.acceptOrGenerate("x".repeat(RequestIds.MAX_LENGTH + 1))).matches("[0-9a-f]{16}");
    }
}
