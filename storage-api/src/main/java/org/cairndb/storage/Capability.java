package org.cairndb.storage;

/** What a storage can do beyond the basic contract. Ask {@link Storage#capabilities()}. */
public enum Capability {
    /** Keeps old revisions: loadBefore for any tid after the last pack, history(oid) with more than one entry. */
    HISTORY,
    /** Transactions can be undone ({@link StorageTransaction#undo}). */
    UNDO,
    /** Several processes may commit at the same time (PostgreSQL). */
    MULTI_WRITER,
    /** A committed transaction survives a crash of the process (or machine). */
    DURABLE,
    /** Write conflicts are given to the resolver registry before they are reported. */
    CONFLICT_RESOLUTION,
    /** pack(...) removes old revisions and unreachable objects. */
    PACK,
    /** The storage refuses every write. */
    READ_ONLY
}
