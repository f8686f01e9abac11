package org.cairndb.storage.spi;

/**
 * Optional extension of a {@link org.cairndb.storage.Storage} that commits through a
 * {@link CommitLock}: exposes the lock's statistics so the Cairn server can report commit
 * queue length and lock wait times ({@code cairn status}). A storage without it is reported
 * from the server's own vote timings.
 */
public interface CommitLockStats {
    CommitLock.Stats commitLockStats();
}
