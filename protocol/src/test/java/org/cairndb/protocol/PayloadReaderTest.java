package org.cairndb.protocol;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Lengths read from the wire are checked without overflow, before anything is allocated. */
class PayloadReaderTest {
    /**
     * Regression: {@code need} computed {@code pos + n}, which wraps for a length near 2^31, so a
     * 28-byte HELLO announcing a 2 GiB string passed the check and the server allocated it.
     */
    @Test
    void lengthNearTwoGiB_isRefusedNotAllocated() {
        byte[] payload = new PayloadWriter()
                .i32(Protocol.MAGIC)
                .i32(Protocol.VERSION)
                .i32(Integer.MAX_VALUE)
                .i32(0)
                .toBytes();
        PayloadReader r = new PayloadReader(payload, Op.HELLO);
        r.i32();
        r.i32();
        assertThatThrownBy(r::str)
                .isInstanceOf(ProtocolException.class)
                .hasMessageContaining(
                        "HELLO payload: byte array at byte offset 12 needs 2147483647 bytes but only 4 remain");
    }
}
