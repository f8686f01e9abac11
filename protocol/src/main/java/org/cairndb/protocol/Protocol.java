package org.cairndb.protocol;

/** Constants both sides agree on. */
public final class Protocol {
    private Protocol() {}

    /** Bumped on any incompatible change of frames or payloads; checked in HELLO. */
    public static final int VERSION = 1;

    /** Default largest frame (after the length prefix) either side accepts: 64 MiB. */
    public static final int DEFAULT_MAX_FRAME = 64 << 20;

    /**
     * Largest frame a server accepts before the connection has authenticated (HELLO or
     * DOORBELL): a HELLO is well under 1 KiB; an unauthenticated peer cannot make the server
     * buffer more than this.
     */
    public static final int MAX_HANDSHAKE_FRAME = 8 << 10;

    /** Most oids one NEW_OIDS request may ask for; more is refused (MISUSE) before any is allocated. */
    public static final int MAX_NEW_OIDS = 1 << 16;

    /** The first four payload bytes of HELLO: "CAIR", so a stray client is recognised at once. */
    public static final int MAGIC = 0x43414952;
}
