package org.cairndb.testkit;

/**
 * What an operation promises about concurrent use; the kit checks the promise.
 *
 * <ul>
 * <li>{@link #COMMUTATIVE}: any number of transactions may do it at once and every one
 *     commits (counter increments, adding to a set). On a storage that resolves conflicts,
 *     no {@link org.cairndb.storage.ConflictException} may reach the application when all
 *     concurrent writers did only commutative operations.</li>
 * <li>{@link #MERGEABLE}: concurrent transactions usually merge (puts of different keys),
 *     but may conflict (puts of one key). Whatever happens, the result must be serializable.</li>
 * <li>{@link #NON_MERGEABLE}: a transaction doing it must conflict with every concurrent
 *     transaction that wrote the same object (setting a value, clearing a list), and leave no
 *     trace when it does.</li>
 * </ul>
 */
public enum OpKind {
    COMMUTATIVE,
    MERGEABLE,
    NON_MERGEABLE
}
