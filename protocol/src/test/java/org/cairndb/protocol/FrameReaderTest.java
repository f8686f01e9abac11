package org.cairndb.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The blocking reader of the client: same layout and checks as the Netty decoder, any split of the bytes. */
class FrameReaderTest {

    private static byte[] bytes(Frame... frames) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Frame f : frames) FrameCodec.write(f, out);
        return out.toByteArray();
    }

    /** Gives one byte per read, and throws a read timeout once before byte {@code timeoutAt}. */
    private static InputStream trickle(byte[] b, int timeoutAt) {
        return new InputStream() {
            int pos;
            boolean timedOut;

            @Override
            public int read() {
                throw new UnsupportedOperationException();
            }

            @Override
            public int read(byte[] dst, int off, int len) throws IOException {
                if (pos == timeoutAt && !timedOut) {
                    timedOut = true;
                    throw new SocketTimeoutException("Read timed out");
                }
                if (pos == b.length) return -1;
                dst[off] = b[pos++];
                return 1;
            }
        };
    }

    @Test
    void read_oneByteAtATimeWithATimeoutInsideAFrame_resumesWhereItStopped() throws IOException {
        Frame a = new PayloadWriter().i64(42).str("x").frame(7, Op.LOAD);
        Frame b = new Frame(8, Op.PING, Frame.EMPTY);
        FrameReader r = new FrameReader(trickle(bytes(a, b), 24), 1024);
        Frame x = r.read();
        assertThat(x.requestId()).isEqualTo(7);
        assertThat(x.reader().i64()).isEqualTo(42);
        assertThatThrownBy(r::read).isInstanceOf(SocketTimeoutException.class); // two bytes into the second frame
        Frame y = r.read();
        assertThat(y.op()).isEqualTo(Op.PING);
        assertThat(y.requestId()).isEqualTo(8);
        assertThatThrownBy(r::read).isInstanceOf(EOFException.class).hasMessageContaining("closed by the peer");
    }

    @Test
    void read_framesLargerThanTheBuffer_arriveWhole() throws IOException {
        byte[] big = new byte[200_000];
        Arrays.fill(big, (byte) 3);
        Frame f = new PayloadWriter().bytes(big).frame(9, Op.RESULT);
        FrameReader r =
                new FrameReader(new java.io.ByteArrayInputStream(bytes(f, new Frame(10, Op.PING, null))), 1 << 20);
        assertThat(r.read().reader().bytes()).isEqualTo(big);
        assertThat(r.read().requestId()).isEqualTo(10);
    }

    @Test
    void read_oversizeLength_isRefusedBeforeTheBody() {
        byte[] header = {0, 0, 0x10, 0, 0, 0, 0, 1, 2}; // length 1 MiB, more than the 1,000 allowed
        FrameReader r = new FrameReader(new java.io.ByteArrayInputStream(header), 1000);
        assertThatThrownBy(r::read)
                .isInstanceOf(ProtocolException.class)
                .hasMessageContaining("exceeds the maximum frame size 1000");
    }

    @Test
    void read_unknownOp_namesTheCodeAndRequest() {
        byte[] frame = {0, 0, 0, 5, 0, 0, 0, 3, (byte) 200};
        FrameReader r = new FrameReader(new java.io.ByteArrayInputStream(frame), 1000);
        assertThatThrownBy(r::read)
                .isInstanceOf(ProtocolException.class)
                .hasMessageContaining("unknown op code 200")
                .hasMessageContaining("request id 3");
    }

    @Test
    void read_peerClosesInsideAFrame_saysHowMuchArrived() {
        byte[] cut = Arrays.copyOf(new byte[] {0, 0, 0, 13, 0, 0, 0, 1, 2}, 9);
        FrameReader r = new FrameReader(new java.io.ByteArrayInputStream(cut), 1000);
        assertThatThrownBy(r::read)
                .isInstanceOf(EOFException.class)
                .hasMessageContaining("inside a frame (9 of 17 bytes");
    }
}
