package org.cairndb.storage.spi;

/**
 * Optional marker of a {@link org.cairndb.storage.Storage} whose reads (load, loadBefore,
 * loadSerial, a view's load) never block: they touch memory only, take no lock a committer
 * holds for long and do no I/O. The Cairn server then answers them on the connection's event
 * loop instead of handing them to a worker thread, which saves two thread hand-offs per
 * load (about half of a loopback round trip). A storage that reads from disk or a database
 * must not implement it.
 */
public interface NonBlockingReads {}
