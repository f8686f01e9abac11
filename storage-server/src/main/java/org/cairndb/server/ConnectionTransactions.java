package org.cairndb.server;

import io.netty.channel.Channel;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.cairndb.protocol.CommitOutcome;
import org.cairndb.protocol.ErrorCodec;
import org.cairndb.protocol.Frame;
import org.cairndb.protocol.Message;
import org.cairndb.protocol.Op;
import org.cairndb.protocol.PayloadWriter;
import org.cairndb.protocol.ProtocolException;
import org.cairndb.storage.StorageTransaction;
import org.cairndb.storage.Tid;
import org.cairndb.storage.spi.MvccTransaction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The transactions of one connection logged in to a storage: BEGIN, the streamed ops, UNDO,
 * VOTE/VOTE_TOKEN, FINISH, ABORT, the vote deadline, and OUTCOME. Ops are dispatched on the
 * event loop and run in order on their transaction's serial executor ({@link ServerTxn});
 * votes are admitted in dispatch order through the storage's commit queue ({@link CommitQueue}). Answers go
 * out through the {@link Session}, which counts them ({@link FlowControl}).
 *
 * <p>A transaction belongs to its connection: when it goes, {@link #abortAll} aborts every open
 * one (a voted one releases the commit lock at once). A FINISH that finds the connection gone
 * aborts instead of committing: nobody is left to learn the tid.
 */
final class ConnectionTransactions {
    private static final Logger log = LoggerFactory.getLogger(ConnectionTransactions.class);

    private final Session session;
    private final CairnServer server;
    private final ServerStats stats;
    private final ServedStorage served;
    private final boolean readOnly;
    private final Channel channel;
    private final FlowControl flow;
    private final Map<Long, ServerTxn> txns = new ConcurrentHashMap<>();

    ConnectionTransactions(
            Session session,
            CairnServer server,
            ServedStorage served,
            boolean readOnly,
            Channel channel,
            FlowControl flow) {
        this.session = session;
        this.server = server;
        this.stats = server.stats;
        this.served = served;
        this.readOnly = readOnly;
        this.channel = channel;
        this.flow = flow;
    }

    /** Transactions open on this connection. */
    int open() {
        return txns.size();
    }

    /** The connection went: every open transaction is aborted on its serial executor. */
    void abortAll() {
        for (ServerTxn t : txns.values()) {
            // a vote still queued in the commit queue leaves it now: the next client's vote need not wait for it
            Runnable queued = t.queuedVote;
            if (queued != null) served.commitQueue.cancel(queued);
            t.serial.execute(t::abort);
        }
        txns.clear();
    }

    /** A transaction op (BEGIN..ABORT, VOTE_TOKEN), on the event loop. */
    void dispatch(Frame f, Message m, long start) {
        long txnId = txnId(m);
        int id = f.requestId();
        Op op = f.op();
        if (op == Op.BEGIN) {
            var meta = ((Message.Begin) m).metadata();
            if (txns.containsKey(txnId))
                throw new ProtocolException(
                        "BEGIN of transaction id " + txnId + " which is already open on this connection");
            ServerTxn t = new ServerTxn(txnId, server.txnWorkers);
            txns.put(txnId, t);
            stats.count(op);
            queued(t, () -> t.begin(served, meta, readOnly));
            return;
        }
        ServerTxn t = txns.get(txnId);
        if (t == null) {
            throw new ProtocolException(op + " for unknown transaction id " + txnId
                    + " (send BEGIN first; after FINISH or ABORT the id is gone)");
        }
        switch (op) {
            case STORE -> {
                Message.Store st = (Message.Store) m;
                long oid = st.oid();
                long readTid = st.readTid();
                byte[] data = st.data();
                stats.count(op);
                queued(
                        t,
                        () -> t.streamed(
                                () -> {
                                    if (data == null) t.txn().delete(oid, readTid);
                                    else t.txn().store(oid, readTid, data);
                                },
                                oid,
                                true));
            }
            case DELETE -> {
                Message.Delete d = (Message.Delete) m;
                long oid = d.oid();
                long readTid = d.readTid();
                stats.count(op);
                queued(t, () -> t.streamed(() -> t.txn().delete(oid, readTid), oid, true));
            }
            case CHECK_CURRENT -> {
                Message.CheckCurrent c = (Message.CheckCurrent) m;
                long oid = c.oid();
                long readTid = c.readTid();
                stats.count(op);
                queued(t, () -> t.streamed(() -> t.txn().checkCurrent(oid, readTid), -1, false));
            }
            case UNDO -> {
                long tid = ((Message.Undo) m).tid();
                workOn(t.serial, id, op, start, () -> {
                    long[] oids = t.txn().undo(tid);
                    t.addOids(oids);
                    return new PayloadWriter(4 + oids.length * 8).longs(oids);
                });
            }
            case VOTE, VOTE_TOKEN -> {
                boolean tokened = op == Op.VOTE_TOKEN;
                if (tokened) {
                    Message.VoteToken vt = (Message.VoteToken) m;
                    t.trackOutcome(served.outcomes.register(new CommitOutcomes.Token(vt.tokenHi(), vt.tokenLo())));
                }
                flow.enter();
                // admitted in dispatch order; the vote then runs after the transaction's streamed ops
                Runnable admit = () -> t.serial.execute(() -> {
                    t.admitted(served.commitQueue);
                    session.run(id, op, start, () -> vote(t, tokened));
                });
                t.queuedVote = admit;
                served.commitQueue.enter(admit);
            }
            case FINISH -> {
                finish(t, id, start);
            }
            case ABORT -> {
                t.cancelDeadline();
                stats.count(op);
                txns.remove(txnId);
                queued(t, t::abort);
            }
            default -> throw new ProtocolException("op " + op + " is not a transaction op");
        }
    }

    /** The client's transaction id, which every transaction op carries first. */
    private static long txnId(Message m) {
        if (m instanceof Message.Begin x) return x.txnId();
        if (m instanceof Message.Store x) return x.txnId();
        if (m instanceof Message.Delete x) return x.txnId();
        if (m instanceof Message.CheckCurrent x) return x.txnId();
        if (m instanceof Message.Undo x) return x.txnId();
        if (m instanceof Message.Vote x) return x.txnId();
        if (m instanceof Message.VoteToken x) return x.txnId();
        if (m instanceof Message.Finish x) return x.txnId();
        if (m instanceof Message.Abort x) return x.txnId();
        throw new ProtocolException("op " + m.op() + " is not a transaction op");
    }

    /** The vote; for VOTE_TOKEN the answer starts with the last tid published before it (see {@link #outcome}). */
    private PayloadWriter vote(ServerTxn t, boolean tokened) {
        StorageTransaction txn;
        try {
            if (session.isClosed())
                throw new org.cairndb.storage.StorageClosedException("connection of this transaction");
            txn = t.txn();
        } catch (RuntimeException e) {
            t.abort();
            txns.remove(t.id);
            throw e;
        }
        served.votesInProgress.incrementAndGet();
        long v0 = System.nanoTime();
        Map<Long, byte[]> resolved;
        try {
            resolved = txn.vote();
        } catch (RuntimeException e) {
            t.leaveCommitQueue(); // the storage aborted it: nothing holds the lock any more
            t.notCommitted("its vote failed: " + e.getMessage());
            txns.remove(t.id);
            throw e;
        } finally {
            served.voteLatency.record(System.nanoTime() - v0);
            served.votesInProgress.decrementAndGet();
        }
        if (session.isClosed()) {
            // the client went away while we waited for the lock: give the lock back at once
            t.abort();
            txns.remove(t.id);
        } else {
            t.voted();
            startVoteDeadline(t);
        }
        PayloadWriter w = new PayloadWriter();
        // with the commit lock held (single writer) nothing commits until this transaction
        // ends, and on any storage its tid will be greater than this. An MVCC storage names
        // the commit it follows, which under group commit may not be published yet: so the
        // "first commit after" rule of OUTCOME stays exact (FirstCommitCheck)
        if (tokened) w.i64(txn instanceof MvccTransaction m ? m.votedAfterTid() : served.lastPublished());
        w.i32(resolved.size());
        for (Map.Entry<Long, byte[]> e : resolved.entrySet()) w.i64(e.getKey()).bytes(e.getValue());
        return w;
    }

    /**
     * From a successful vote the transaction may hold the commit lock until FINISH or ABORT. A
     * client that votes and then goes silent (or only pings) would hold it for everybody; so a
     * timer (the event loop's scheduler, nothing polls) aborts the transaction after
     * {@code --vote-timeout}. The abort runs on the transaction's serial executor, so a FINISH
     * dispatched before the timer fired still commits; a FINISH after it gets a RETRYABLE error
     * saying it was not committed.
     */
    private void startVoteDeadline(ServerTxn t) {
        long ms = server.config.voteTimeout.toMillis();
        if (ms <= 0) return;
        t.deadline = channel.eventLoop()
                .schedule(
                        () -> t.serial.execute(() -> {
                            String why = "transaction aborted by the server: no FINISH came within " + ms
                                    + " ms of its vote (--vote-timeout),"
                                    + " so its commit lock was released for others; it was NOT committed; retry it";
                            if (!t.expiredBy(why)) return;
                            stats.voteDeadlinesExpired.increment();
                            log.info("{}: {}", channel.remoteAddress(), why);
                        }),
                        ms,
                        TimeUnit.MILLISECONDS);
    }

    private void finish(ServerTxn t, int id, long start) {
        flow.enter();
        t.cancelDeadline();
        t.serial.execute(() -> {
            Frame reply;
            try {
                if (session.isClosed()) {
                    // the client is gone: nobody waits for this commit; free the lock at once
                    throw new org.cairndb.storage.StorageClosedException("connection of transaction " + t.id
                            + " (it closed before FINISH ran; the transaction is aborted)");
                }
                t.checkNotExpired();
                StorageTransaction txn = t.txn();
                // the next queued vote may start once the storage's commit lock is free, while this
                // commit waits for its journal force: so commits arriving together share one force
                if (txn instanceof MvccTransaction m) m.onCommitLockReleased(t::leaveCommitQueue);
                long tid = txn.finish();
                // storages that do not tell listeners still get their invalidations out
                served.publish(tid, t.oids());
                t.committed(tid); // after the pushes: an OUTCOME answer follows the invalidation
                served.commits.increment();
                reply = new PayloadWriter(8).i64(tid).frame(id, Op.RESULT);
                t.leaveCommitQueue();
            } catch (Throwable e) {
                t.abort();
                reply = ErrorCodec.encode(id, e);
            }
            txns.remove(t.id);
            // the pushes to the other clients are queued (before this answer on every connection), not
            // written: a client that does not read its socket never delays anybody's commit
            session.answer(reply, Op.FINISH, start);
        });
    }

    /**
     * OUTCOME: what became of the transaction of {@code token}. Answered when its outcome is
     * settled if this server tracks it (it may still be finishing); otherwise from the
     * storage: no commit after the vote's last tid proves it did not commit (its tid would be
     * greater); else nobody can tell, and the answer says so.
     */
    void outcome(int id, CommitOutcomes.Token token, long voteTid, Map<Long, Long> written, long start) {
        var tracked = served.outcomes.lookup(token);
        if (tracked != null) {
            flow.enter();
            tracked.whenComplete((o, e) -> session.run(id, Op.OUTCOME, start, () -> o.write(new PayloadWriter(64))));
            return;
        }
        session.work(id, Op.OUTCOME, start, () -> {
            long last = served.storage.lastTid();
            CommitOutcome o;
            CommitOutcome byHistory;
            if (last != voteTid
                    && (byHistory = FirstCommitCheck.judge(served, token, voteTid, last, written)) != null) {
                o = byHistory;
            } else if (last == voteTid) {
                o = CommitOutcome.notCommitted("this server has no record of transaction token " + token
                        + " (restarted, or its record of the last "
                        + server.config.historySize + " transactions no longer reaches back), but storage '"
                        + served.name
                        + "' has no commit after the tid " + Tid.hex(voteTid)
                        + " it had at the vote, so it was not committed");
            } else {
                o = CommitOutcome.unknown("this server has no record of transaction token " + token
                        + " (restarted, or its record of the last "
                        + server.config.historySize + " transactions no longer reaches back), and storage '"
                        + served.name + "' has "
                        + (Long.compareUnsigned(last, voteTid) > 0
                                ? "commits after the tid " + Tid.hex(voteTid) + " it had at the vote (last tid "
                                        + Tid.hex(last) + "), any of which may be it"
                                : "a last tid " + Tid.hex(last) + " older than the tid " + Tid.hex(voteTid)
                                        + " it had at the vote (a different or reset storage)"));
            }
            return o.write(new PayloadWriter(256));
        });
    }

    private void queued(ServerTxn t, Runnable r) {
        flow.enter();
        t.serial.execute(() -> {
            try {
                r.run();
            } finally {
                flow.exit();
            }
        });
    }

    private void workOn(SerialExecutor serial, int id, Op op, long start, Supplier<PayloadWriter> task) {
        flow.enter();
        serial.execute(() -> session.run(id, op, start, task));
    }
}
