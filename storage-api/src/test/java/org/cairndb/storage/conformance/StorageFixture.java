package org.cairndb.storage.conformance;

import java.util.function.Supplier;
import org.cairndb.storage.Storage;

/**
 * How the conformance kit gets storages to test: the one thing a storage module supplies.
 *
 * <p>The kit asks its contract's {@link StorageContract#fixture()} for a fixture once per
 * test, calls {@link #open()} (usually once, sometimes more: two independent storages for a
 * copy test) and closes the fixture after the test, after closing every storage it opened.
 *
 * <p>Only {@link #open()} is required. The optional abilities below unlock more tests; a
 * fixture that lacks one makes those tests skip visibly (reported as skipped, with the reason).
 * <ul>
 * <li>{@link #persistent()} / {@link #reopen}: the data survives a close and reopen
 *     (mem:/path, postgres://...).</li>
 * <li>{@link #canOpenPeer()} / {@link #openPeer}: a second, independent storage object on the
 *     same data, as another process would open it (postgres://, cairn://).</li>
 * <li>{@link #canOpenReadOnly()} / {@link #openReadOnly}: a read-only storage on the same data.</li>
 * </ul>
 */
public interface StorageFixture extends AutoCloseable {

    /** A new, EMPTY storage, independent of every other storage this fixture opened. */
    Storage open();

    /** True if {@link #reopen} works: the data outlives the storage object. */
    default boolean persistent() {
        return false;
    }

    /**
     * Closes {@code storage} if it is still open and opens its data again.
     *
     * @throws UnsupportedOperationException unless {@link #persistent()}
     */
    default Storage reopen(Storage storage) {
        throw new UnsupportedOperationException("fixture " + this + " is not persistent");
    }

    /** True if {@link #openPeer} works. */
    default boolean canOpenPeer() {
        return false;
    }

    /**
     * A second storage object on the same data as {@code storage}, both open at once, as
     * another process would open it (it learns of the other's commits at sync).
     */
    default Storage openPeer(Storage storage) {
        throw new UnsupportedOperationException("fixture " + this + " cannot open a peer");
    }

    /** True if {@link #openReadOnly} works. */
    default boolean canOpenReadOnly() {
        return false;
    }

    /**
     * A read-only storage on the data of {@code storage}. The fixture may close
     * {@code storage} first (then the test does not use it again).
     */
    default Storage openReadOnly(Storage storage) {
        throw new UnsupportedOperationException("fixture " + this + " cannot open read-only");
    }

    /** Releases what the fixture holds (files, databases). Storages are closed before. */
    @Override
    default void close() {}

    /** A fixture for a non-persistent storage: each {@link #open()} calls {@code factory}. */
    static StorageFixture of(String name, Supplier<? extends Storage> factory) {
        return new StorageFixture() {
            @Override
            public Storage open() {
                return factory.get();
            }

            @Override
            public String toString() {
                return name;
            }
        };
    }
}
