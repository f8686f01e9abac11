package org.cairndb.protocol;

/**
 * The RESULT payload answering HELLO: {@code version:i32 storageName:str capabilities:i32
 * lastTid:i64 all:bool oids:i64[] readOnly:bool}. {@code all} true: drop the whole cache;
 * otherwise {@code oids} changed after the client's {@code lastTid} (docs/protocol.md,
 * "Handshake"). Written by the server, read by the client, here once.
 *
 * @param capabilities a bit per {@link org.cairndb.storage.Capability} ({@link Messages#capabilityBits})
 */
public record HelloAnswer(
        int version, String storageName, int capabilities, long lastTid, boolean all, long[] oids, boolean readOnly) {

    /** The answer to an admin HELLO (no storage): STATUS and PING only. */
    public static HelloAnswer admin() {
        return new HelloAnswer(Protocol.VERSION, "", 0, 0, false, new long[0], true);
    }

    public void write(PayloadWriter w) {
        w.i32(version)
                .str(storageName)
                .i32(capabilities)
                .i64(lastTid)
                .bool(all)
                .longs(oids)
                .bool(readOnly);
    }

    /** This answer as the RESULT frame of request {@code requestId}. */
    public Frame frame(int requestId) {
        PayloadWriter w = new PayloadWriter(64 + oids.length * 8);
        write(w);
        return w.frame(requestId, Op.RESULT);
    }

    /** Reads the whole payload of the RESULT answering HELLO. */
    public static HelloAnswer read(Frame f) {
        PayloadReader r = new PayloadReader(f.payload(), Op.HELLO);
        HelloAnswer a = new HelloAnswer(r.i32(), r.str(), r.i32(), r.i64(), r.bool(), r.longs(), r.bool());
        r.end();
        return a;
    }
}
