package org.cairndb.storage.conflict;

import org.jspecify.annotations.Nullable;

/**
 * Merges two concurrent changes of one object. Implementations are found with
 * {@link java.util.ServiceLoader} (register in
 * {@code META-INF/services/org.cairndb.storage.conflict.ConflictResolver}) or added to a
 * {@link ResolverRegistry} by hand. Storages call them inside vote, under the commit lock,
 * with the committed data read from the storage.
 */
public interface ConflictResolver {

    /** True if this resolver may try records of {@code className} (from the record header). */
    boolean handles(String className);

    /**
     * Merges {@code mine} (the state this transaction wants to write, based on
     * {@code ancestor}) with {@code committed} (what another transaction committed meanwhile).
     *
     * @param oid       the object
     * @param className from the record header
     * @param ancestor  the revision both changes started from, or null when it is not
     *                  available (the storage dropped it, or the object is new)
     * @param committed the current committed record
     * @param mine      the record this transaction stored
     * @return the merged record, or null when the changes cannot be merged (a conflict)
     */
    byte @Nullable [] resolve(long oid, String className, byte @Nullable [] ancestor, byte[] committed, byte[] mine);
}
