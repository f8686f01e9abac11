package org.cairndb.protocol;

/**
 * One protocol frame: {@code length:int32 | requestId:int32 | op:int8 | payload}, where
 * length counts the bytes after itself (5 + payload length). All integers big-endian.
 *
 * @param requestId chosen by the client per request (answers carry it back); 0 for pushes
 * @param op        what the frame is
 * @param payload   op-specific bytes, see {@link PayloadWriter} and docs/protocol.md
 */
public record Frame(int requestId, Op op, byte[] payload) {
    /** Bytes of length prefix, request id and op. */
    public static final int HEADER_BYTES = 9;

    public Frame {
        if (payload == null) payload = EMPTY;
    }

    public static final byte[] EMPTY = new byte[0];

    public PayloadReader reader() {
        return new PayloadReader(payload, op);
    }

    @Override
    public String toString() {
        return "Frame[id=" + requestId + " " + op + " " + payload.length + " bytes]";
    }
}
