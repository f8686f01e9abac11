package org.cairndb.protocol;

/**
 * Every frame kind of the Cairn protocol, by its one-byte code. Requests go client → server
 * and are answered by exactly one {@link #RESULT} or {@link #ERROR} frame with the same
 * request id, except the streamed transaction ops ({@link #BEGIN}, {@link #STORE},
 * {@link #DELETE}, {@link #CHECK_CURRENT}, {@link #ABORT}) and the closing ops ({@link #ITERATE_CLOSE},
 * {@link #VIEW_CLOSE}), which get no answer: their
 * errors surface at {@link #VOTE}. {@link #INVALIDATE} is pushed by the server with request
 * id 0; {@link #RING} goes on a doorbell connection only. See docs/protocol.md for each payload.
 */
public enum Op {
    HELLO(1, true),
    LOAD(2, true),
    LOAD_BEFORE(3, true),
    LOAD_SERIAL(4, true),
    NEW_OIDS(5, true),
    LAST_TID(6, true),
    BEGIN(7, false),
    STORE(8, false),
    DELETE(9, false),
    CHECK_CURRENT(10, false),
    UNDO(11, true),
    VOTE(12, true),
    FINISH(13, true),
    ABORT(14, false),
    ITERATE(15, true),
    ITERATE_NEXT(16, true),
    ITERATE_CLOSE(17, false),
    HISTORY(18, true),
    PACK(19, true),
    RESTORE(20, true),
    OBJECT_COUNT(21, true),
    SIZE_IN_BYTES(22, true),
    STATUS(23, true),
    PING(24, true),
    OPEN_VIEW(25, true),
    VIEW_LOAD(26, true),
    VIEW_SYNC(27, true),
    VIEW_CLOSE(28, false),
    /** VOTE with a client-chosen token by which {@link #OUTCOME} can later ask whether it committed. */
    VOTE_TOKEN(29, true),
    /** Did the transaction of this token commit? Asked after a connection was lost during FINISH. */
    OUTCOME(30, true),
    /** Asks for a doorbell token: the key of a second connection on which the server rings when a push arrives while this client awaits nothing. */
    DOORBELL_OPEN(31, true),
    /** The first frame of a doorbell connection: attaches it, by its token, to the connection that opened it. */
    DOORBELL(32, true),
    /** Many whole transactions restored in one request (import and copy over the protocol); the server applies them with its storage's bulk path. */
    RESTORE_BATCH(33, true),
    /** Shared fragment tier: the value of a key, with its dependencies and a tid it is valid at. */
    CACHE_GET(34, true),
    /** Shared fragment tier: a blind write of a value with its dependencies, refused if already stale. */
    CACHE_SET(35, true),
    /** Shared fragment tier: forgets a key, a tag or a whole cache. */
    CACHE_INVALIDATE(36, true),

    RESULT(64, false),
    ERROR(65, false),
    INVALIDATE(66, false),
    /** Server → client on a doorbell connection: frames with request id 0 written on the main connection so far. */
    RING(67, false);

    private static final Op[] BY_CODE = new Op[128];

    static {
        for (Op op : values()) BY_CODE[op.code] = op;
    }

    public final byte code;
    /** True when the server answers this request with RESULT or ERROR. */
    public final boolean answered;

    Op(int code, boolean answered) {
        this.code = (byte) code;
        this.answered = answered;
    }

    /** The op with this code, or null if the code is unknown. */
    public static Op of(byte code) {
        return code >= 0 ? BY_CODE[code] : null;
    }

    public boolean isRequest() {
        return code < RESULT.code;
    }
}
