package org.cairndb.postgres;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.cairndb.storage.CloseableIterator;
import org.cairndb.storage.Revision;
import org.cairndb.storage.TransactionMetadata;
import org.cairndb.storage.TransactionRecord;

/**
 * Iteration over committed transactions in tid order, a page of transactions at a time: one
 * query for the page's transaction rows, one for all their revisions (by tid range). No
 * cursor stays open between pages, so a long export holds no snapshot and no connection
 * while its consumer writes elsewhere. Revisions come back in the order the transaction
 * wrote them (the log row keeps that order), with their data, no-data revisions as null and
 * backpointers with their data_tid.
 */
final class PgIterator implements CloseableIterator<TransactionRecord> {
    private static final int PAGE = 200;
    private final PostgresStorage s;
    private final long toTid;
    private long nextFrom;
    private boolean exhausted;
    private final ArrayDeque<TransactionRecord> page = new ArrayDeque<>();

    PgIterator(PostgresStorage s, long fromTid, long toTid) {
        this.s = s;
        this.nextFrom = fromTid;
        this.toTid = toTid;
    }

    @Override
    public boolean hasNext() {
        if (page.isEmpty() && !exhausted) fill();
        return !page.isEmpty();
    }

    @Override
    public TransactionRecord next() {
        if (!hasNext()) throw new NoSuchElementException("no more transactions in storage '" + s.name() + "'");
        return page.removeFirst();
    }

    private record Txn(long tid, boolean packed, TransactionMetadata md, long[] oids) {}

    private void fill() {
        s.requireOpen();
        Sql sql = s.layout().sql;
        try (Connection c = s.cx().get()) {
            // A page is read at a safe horizon (PgHorizon): no tid it yields can be followed by
            // a smaller one committing later, which the next page (from last + 1) would skip.
            List<Txn> txns = s.horizon().read(c, nextFrom - 1, new PgHorizon.Snapshot<List<Txn>>() {
                @Override
                public List<Txn> take(Connection cc) throws SQLException {
                    return page(cc, sql);
                }

                @Override
                public long max(List<Txn> r) {
                    return r.isEmpty() ? 0 : r.get(r.size() - 1).tid();
                }
            });
            if (txns.size() < PAGE) exhausted = true;
            if (txns.isEmpty()) {
                c.commit();
                return;
            }
            long first = txns.get(0).tid();
            long last = txns.get(txns.size() - 1).tid();
            Map<Long, Map<Long, Revision>> byTid = new HashMap<>();
            try (PreparedStatement ps = c.prepareStatement(sql.get("revisions_in_range"))) {
                ps.setLong(1, first);
                ps.setLong(2, last);
                ps.setFetchSize(1000);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        long oid = rs.getLong(1);
                        long tid = rs.getLong(2);
                        byTid.computeIfAbsent(tid, k -> new HashMap<>())
                                .put(oid, new Revision(oid, tid, rs.getBytes(3), rs.getLong(4)));
                    }
                }
            }
            c.commit();
            for (Txn t : txns) {
                Map<Long, Revision> revs = byTid.getOrDefault(t.tid(), Map.of());
                List<Revision> ordered = new ArrayList<>(revs.size());
                for (long oid : t.oids()) {
                    Revision r = revs.get(oid);
                    if (r != null) ordered.add(r);
                }
                page.addLast(new TransactionRecord(t.tid(), t.packed(), t.md(), ordered));
            }
            if (last == Long.MAX_VALUE) exhausted = true;
            else nextFrom = last + 1;
        } catch (SQLException e) {
            throw PgErrors.translate(s.name(), "iterating transactions from " + nextFrom, e);
        }
    }

    private List<Txn> page(Connection c, Sql sql) throws SQLException {
        List<Txn> txns = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql.get("txn_page"))) {
            Sql.bindCycling(ps, sql.get("txn_page"), nextFrom, toTid, PAGE);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    txns.add(new Txn(
                            rs.getLong(1),
                            rs.getBoolean(2),
                            new TransactionMetadata(
                                    new String(rs.getBytes(3), StandardCharsets.UTF_8),
                                    new String(rs.getBytes(4), StandardCharsets.UTF_8),
                                    rs.getBytes(5)),
                            PostgresStorage.toLongs(rs.getArray(6))));
                }
            }
        }
        return txns;
    }

    @Override
    public void close() {
        exhausted = true;
        page.clear();
    }
}
