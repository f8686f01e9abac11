package org.cairndb.temp;

import org.cairndb.storage.Invalidations;
import org.cairndb.storage.Loaded;
import org.cairndb.storage.StorageClosedException;
import org.cairndb.storage.StorageView;
import org.cairndb.storage.spi.ViewRegistry;

/** A snapshot of a {@link TemporaryStorage}: its ticket keeps the revisions it reads. */
final class TempView implements StorageView {
    private final TemporaryStorage storage;
    private ViewRegistry.Ticket ticket;
    private boolean closed;

    TempView(TemporaryStorage storage) {
        this.storage = storage;
        this.ticket = storage.views().register(storage::lastTid);
    }

    @Override
    public long tid() {
        return ticket.tid();
    }

    @Override
    public Loaded load(long oid) {
        requireOpen();
        return storage.loadAt(oid, ticket.tid(), false);
    }

    @Override
    public Invalidations sync() {
        requireOpen();
        ViewRegistry.Ticket old = ticket;
        ViewRegistry.Ticket fresh = storage.views().register(storage::lastTid);
        Invalidations inv = storage.changedBetween(old.tid(), fresh.tid());
        ticket = fresh;
        storage.viewReleased(old);
        return inv;
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        storage.viewReleased(ticket);
    }

    private void requireOpen() {
        if (closed) throw new StorageClosedException("view at tid " + org.cairndb.storage.Tid.hex(ticket.tid()) + " of storage '" + storage.name() + "'");
        storage.checkOpen();
    }
}
