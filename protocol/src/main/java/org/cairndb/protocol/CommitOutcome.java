package org.cairndb.protocol;

/**
 * The answer to {@link Op#OUTCOME}: what became of a transaction whose FINISH answer was
 * lost with its connection. Payload {@code state:u8 tid:i64 message:str}.
 *
 * @param state   {@link #COMMITTED} (tid is the commit tid), {@link #NOT_COMMITTED} or
 *                {@link #UNKNOWN} (the server cannot tell; message says why)
 * @param tid     the commit tid when committed, else 0
 * @param message why the server knows (or does not), for the client's error
 */
public record CommitOutcome(int state, long tid, String message) {
    public static final int COMMITTED = 1;
    public static final int NOT_COMMITTED = 2;
    public static final int UNKNOWN = 3;

    public static CommitOutcome committed(long tid) {
        return new CommitOutcome(COMMITTED, tid, "committed");
    }

    public static CommitOutcome notCommitted(String why) {
        return new CommitOutcome(NOT_COMMITTED, 0, why);
    }

    public static CommitOutcome unknown(String why) {
        return new CommitOutcome(UNKNOWN, 0, why);
    }

    /**
     * The fingerprint of one record a transaction wrote, as OUTCOME carries it: 0 for a
     * revision without data (a delete), else the first 8 bytes of the data's SHA-256 (never 0).
     */
    public static long fingerprint(byte[] data) {
        if (data == null) return 0;
        try {
            byte[] h = java.security.MessageDigest.getInstance("SHA-256").digest(data);
            long f = java.nio.ByteBuffer.wrap(h).getLong();
            return f == 0 ? 1 : f;
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    public PayloadWriter write(PayloadWriter w) {
        return w.u8(state).i64(tid).str(message);
    }

    public static CommitOutcome read(PayloadReader r) {
        int state = r.u8();
        long tid = r.i64();
        String message = r.str();
        r.end();
        if (state < COMMITTED || state > UNKNOWN) {
            throw new ProtocolException("OUTCOME answer: state " + state
                    + " at byte offset 0 (expected 1 committed, 2 not committed, 3 unknown)");
        }
        return new CommitOutcome(state, tid, message == null ? "" : message);
    }
}
