package org.cairndb.protocol;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import org.junit.jupiter.api.Test;

/** Lengths read from the wire are checked without overflow, before anything is allocated. */
class PayloadReaderTest {
    /**
     * Regression: {@code need} computed {@code pos + n}, which wraps for a length near 2^31, so a
     * 28-byte HELLO announcing a 2 GiB string passed the check and the server allocated it.
     */
    @Test
    void lengthNearTwoGiB_isRefusedNotAllocated() {
        byte[] payload = new PayloadWriter().i32(Protocol.MAGIC).i32(Protocol.VERSION).i32(Integer.MAX_VALUE).i32(0).toBytes();
        PayloadReader r = new PayloadReader(payload, Op.HELLO);
        r.i32();
        r.i32();
        assertThatThrownBy(r::str).isInstanceOf(ProtocolException.class)
                .hasMessageContaining("HELLO payload: byte array at byte offset 12 needs 2147483647 bytes but only 4 remain");
    }

    @Test
    void handshakeDecoder_refusesABigFrameBeforeAuthentication_andAcceptsItAfter() {
        EmbeddedChannel ch = new EmbeddedChannel(new FrameDecoder(1 << 20, 1024));
        assertThatThrownBy(() -> ch.writeInbound(Unpooled.buffer().writeInt(4096)))
                .isInstanceOf(DecoderException.class).hasMessageContaining("before its HELLO");
        FrameDecoder d = new FrameDecoder(1 << 20, 1024);
        EmbeddedChannel ok = new EmbeddedChannel(d);
        d.authenticated();
        ok.writeInbound(Unpooled.buffer().writeInt(4096));
        assertThatThrownBy(() -> new EmbeddedChannel(new FrameDecoder(1 << 20)).writeInbound(Unpooled.buffer().writeInt(0x16030100)))
                .isInstanceOf(DecoderException.class).hasMessageContaining("the other side speaks TLS and this side plain TCP");
    }
}
