package org.cairndb.protocol;

/** Constants both sides agree on. */
public final class Protocol {
    private Protocol() {}

    /** Bumped on any incompatible change of frames or payloads; checked in HELLO. */
    public static final int VERSION = 1;

    /** Default largest frame (after the length prefix) either side accepts: 64 MiB. */
    public static final int DEFAULT_MAX_FRAME = 64 << 20;

    /** The first four payload bytes of HELLO: "CAIR", so a stray client is recognised at once. */
    public static final int MAGIC = 0x43414952;
}
