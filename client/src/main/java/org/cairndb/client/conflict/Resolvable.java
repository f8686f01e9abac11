package org.cairndb.client.conflict;

import org.cairndb.client.Persistent;

/**
 * Implemented by a persistent class whose concurrent changes can be merged. When two
 * transactions change one object, the storage (at vote, under its commit lock) decodes the
 * three states and calls {@code resolve} on a fresh instance holding {@code mine}'s state.
 *
 * <p>References to other persistent objects inside the states are placeholders that
 * compare by oid ({@code ==} and {@code equals} work; their state cannot be read).
 * Resolution must be deterministic and must not create new persistent objects.
 *
 * <pre>{@code
 * public class Tally extends Persistent implements Resolvable<Tally> {
 *     private long hits;
 *     public Tally resolve(Tally ancestor, Tally committed, Tally mine) {
 *         if (ancestor == null) return null;
 *         committed.hits += mine.hits - ancestor.hits;   // both increments count
 *         return committed;
 *     }
 * }
 * }</pre>
 *
 * @param <T> the class itself
 */
public interface Resolvable<T extends Persistent> {

    /**
     * Merges two concurrent changes.
     *
     * @param ancestor  the state both started from, or null when the storage no longer has it
     * @param committed the state another transaction committed meanwhile
     * @param mine      the state this transaction wants to write
     * @return the merged state (it may be one of the arguments, changed), or null when the
     *         changes cannot be merged: the commit then fails with a ConflictException
     */
    T resolve(T ancestor, T committed, T mine);
}
