package org.cairndb.client;

/** Where a {@link Persistent} object stands with respect to its connection and storage. */
public enum PersistentState {
    /** Not (yet) stored: no oid, no connection. It becomes stored when added or reached from a stored object. */
    TRANSIENT,
    /** Has an oid and a connection, but its fields are not loaded; the first access loads them. */
    GHOST,
    /** Loaded and unchanged since. */
    UP_TO_DATE,
    /** Changed (or new) in the current transaction; written at commit. */
    CHANGED
}
