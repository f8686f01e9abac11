package org.cairndb.storage.spi;

import org.cairndb.storage.Invalidations;
import org.cairndb.storage.Loaded;
import org.cairndb.storage.StorageClosedException;
import org.cairndb.storage.StorageView;
import org.cairndb.storage.Tid;

/**
 * A snapshot of an in-memory MVCC storage (temp:, mem:): a {@link ViewRegistry} ticket pins
 * the tid it reads at, so the storage keeps the older revisions the snapshot needs until the
 * ticket is released. The storage supplies the reads through a {@link Source}.
 *
 * <p>One view is used by one thread at a time (the {@link StorageView} contract), so the
 * ticket needs no synchronisation of its own.
 */
public final class SnapshotView implements StorageView {

    /** What a snapshot needs from its storage; the storage keeps these methods off its public surface. */
    public interface Source {
        String name();

        /** The last published tid, without the open check (a view registering while a close races). */
        long publishedTid();

        ViewRegistry views();

        /** The revision of {@code oid} visible at {@code tid} (no newer revision is followed). */
        Loaded loadAt(long oid, long tid);

        /** The oids changed by transactions in ({@code fromTid}, {@code toTid}]. */
        Invalidations changedBetween(long fromTid, long toTid);

        /** The ticket is no longer needed: the storage may drop revisions only it kept. */
        void released(ViewRegistry.Ticket ticket);

        /** Throws {@link StorageClosedException} once the storage is closed. */
        void checkOpen();
    }

    private final Source storage;
    private ViewRegistry.Ticket ticket;
    private boolean closed;

    public SnapshotView(Source storage) {
        this.storage = storage;
        this.ticket = storage.views().register(storage::publishedTid);
    }

    @Override
    public long tid() {
        return ticket.tid();
    }

    @Override
    public Loaded load(long oid) {
        requireOpen();
        return storage.loadAt(oid, ticket.tid());
    }

    @Override
    public Invalidations sync() {
        requireOpen();
        ViewRegistry.Ticket old = ticket;
        ViewRegistry.Ticket fresh = storage.views().register(storage::publishedTid);
        Invalidations inv = storage.changedBetween(old.tid(), fresh.tid());
        ticket = fresh;
        storage.released(old);
        return inv;
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        storage.released(ticket);
    }

    private void requireOpen() {
        if (closed)
            throw new StorageClosedException(
                    "view at tid " + Tid.hex(ticket.tid()) + " of storage '" + storage.name() + "'");
        storage.checkOpen();
    }
}
