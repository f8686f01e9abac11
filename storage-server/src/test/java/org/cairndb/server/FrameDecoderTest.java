package org.cairndb.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import org.cairndb.protocol.ErrorCodec;
import org.cairndb.protocol.Frame;
import org.cairndb.protocol.Op;
import org.cairndb.protocol.PayloadWriter;
import org.cairndb.protocol.ProtocolException;
import org.junit.jupiter.api.Test;

/** The decoder's state machine, fed one byte at a time as Netty's codec tests do. */
class FrameDecoderTest {

    private static ByteBuf encoded(Frame f) {
        ByteBuf b = Unpooled.buffer();
        FrameEncoder.encode(f, b);
        return b;
    }

    @Test
    void decode_oneByteAtATime_yieldsTheFrames() {
        EmbeddedChannel ch = new EmbeddedChannel(new FrameDecoder(1024));
        Frame a = new PayloadWriter().i64(42).str("x").frame(7, Op.LOAD);
        Frame b = new Frame(8, Op.PING, Frame.EMPTY);
        ByteBuf all = Unpooled.wrappedBuffer(encoded(a), encoded(b));
        while (all.isReadable()) ch.writeInbound(all.readRetainedSlice(1));
        Frame x = ch.readInbound();
        Frame y = ch.readInbound();
        assertThat(x.requestId()).isEqualTo(7);
        assertThat(x.op()).isEqualTo(Op.LOAD);
        assertThat(x.reader().i64()).isEqualTo(42);
        assertThat(y.op()).isEqualTo(Op.PING);
        assertThat(y.payload()).isEmpty();
        assertThat((Object) ch.readInbound()).isNull();
    }

    @Test
    void ping_isNineBytes_asDocumented() {
        ByteBuf b = encoded(new Frame(7, Op.PING, Frame.EMPTY));
        byte[] bytes = new byte[b.readableBytes()];
        b.readBytes(bytes);
        assertThat(bytes).containsExactly(0, 0, 0, 5, 0, 0, 0, 7, 24);
    }

    @Test
    void decode_oversizeLength_refusedBeforeBuffering() {
        EmbeddedChannel ch = new EmbeddedChannel(new FrameDecoder(100));
        assertThatThrownBy(() -> ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {0, 0, 1, 0})))
                .isInstanceOf(DecoderException.class)
                .hasMessageContaining("frame length 256 exceeds the maximum frame size 100");
    }

    @Test
    void decode_unknownOp_namesTheCode() {
        EmbeddedChannel ch = new EmbeddedChannel(new FrameDecoder(100));
        assertThatThrownBy(() -> ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {0, 0, 0, 5, 0, 0, 0, 3, 99})))
                .isInstanceOf(DecoderException.class)
                .hasMessageContaining("unknown op code 99")
                .hasMessageContaining("request id 3");
    }

    @Test
    void decode_lengthTooSmall_refused() {
        EmbeddedChannel ch = new EmbeddedChannel(new FrameDecoder(100));
        assertThatThrownBy(() -> ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {0, 0, 0, 2})))
                .isInstanceOf(DecoderException.class)
                .hasMessageContaining("frame length 2 is too small");
    }

    @Test
    void reader_truncatedPayload_namesOffset() {
        Frame f = new Frame(1, Op.LOAD, new byte[] {1, 2, 3});
        assertThatThrownBy(() -> f.reader().i64())
                .isInstanceOf(ProtocolException.class)
                .hasMessageContaining("LOAD payload: int64 at byte offset 0 needs 8 bytes but only 3 remain");
    }

    @Test
    void errorCodec_roundTripsConflict() {
        var e = new org.cairndb.storage.ConflictException(5, "a.B", 1, 2);
        RuntimeException back = ErrorCodec.decode(ErrorCodec.encode(3, e), "here");
        assertThat(back)
                .isInstanceOf(org.cairndb.storage.ConflictException.class)
                .hasMessage(e.getMessage());
        var c = (org.cairndb.storage.ConflictException) back;
        assertThat(c.oid()).isEqualTo(5);
        assertThat(c.className()).isEqualTo("a.B");
    }

    @Test
    void handshakeDecoder_refusesABigFrameBeforeAuthentication_andAcceptsItAfter() {
        EmbeddedChannel ch = new EmbeddedChannel(new FrameDecoder(1 << 20, 1024));
        assertThatThrownBy(() -> ch.writeInbound(Unpooled.buffer().writeInt(4096)))
                .isInstanceOf(DecoderException.class)
                .hasMessageContaining("before its HELLO");
        FrameDecoder d = new FrameDecoder(1 << 20, 1024);
        EmbeddedChannel ok = new EmbeddedChannel(d);
        d.authenticated();
        ok.writeInbound(Unpooled.buffer().writeInt(4096));
        assertThatThrownBy(() -> new EmbeddedChannel(new FrameDecoder(1 << 20))
                        .writeInbound(Unpooled.buffer().writeInt(0x16030100)))
                .isInstanceOf(DecoderException.class)
                .hasMessageContaining("the other side speaks TLS and this side plain TCP");
    }
}
