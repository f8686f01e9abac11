package org.cairndb.client.serial;

import org.cairndb.client.Persistent;

/**
 * How the codec turns references between persistent objects into oids and back. A
 * connection implements it (assigning oids to new objects reached from stored ones, and
 * handing out ghosts from its identity map); conflict resolution implements it with
 * detached placeholders that compare by oid.
 */
public interface References {

    /** The oid to write for a field that holds {@code target}. */
    long oidOf(Persistent target);

    /** The object to put in a field that held a reference to {@code oid} of class {@code type}. */
    Persistent resolve(long oid, Class<? extends Persistent> type);
}
