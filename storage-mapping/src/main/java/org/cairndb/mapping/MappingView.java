package org.cairndb.mapping;

import org.cairndb.storage.Invalidations;
import org.cairndb.storage.Loaded;
import org.cairndb.storage.StorageClosedException;
import org.cairndb.storage.StorageView;
import org.cairndb.storage.Tid;
import org.cairndb.storage.spi.ViewRegistry;

/** A snapshot of a {@link MappingStorage}: its ticket keeps the older revisions it reads. */
final class MappingView implements StorageView {
    private final MappingStorage storage;
    private ViewRegistry.Ticket ticket;
    private boolean closed;

    MappingView(MappingStorage storage) {
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
        return storage.loadAt(oid, ticket.tid(), false);
    }

    @Override
    public Invalidations sync() {
        requireOpen();
        ViewRegistry.Ticket old = ticket;
        ViewRegistry.Ticket fresh = storage.views().register(storage::publishedTid);
        Invalidations inv = storage.recent().between(old.tid(), fresh.tid());
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
        if (closed) throw new StorageClosedException("view at tid " + Tid.hex(ticket.tid()) + " of storage '" + storage.name() + "'");
        storage.checkOpen();
    }
}
