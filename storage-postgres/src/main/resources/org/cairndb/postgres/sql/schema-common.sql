-- Cairn PostgreSQL schema, part shared by both layouts. {s} is the quoted schema name.
-- Run by PgSchema under a session advisory lock, so two processes opening a new database
-- at once do not race; every statement is idempotent (IF NOT EXISTS).

CREATE SCHEMA IF NOT EXISTS {s};

-- Key/value facts about this schema: schema_version (an integer; a Cairn that finds a
-- newer one refuses to open) and history (free | preserving; fixed at creation).
CREATE TABLE IF NOT EXISTS {s}.cairn_meta (
    key   text PRIMARY KEY,
    value text NOT NULL
);

-- The transaction log: one row per committed transaction. Rows do NOT become visible in tid
-- order: a writer chooses its tid under a short lock (cairn_alloc_tid) and COMMITs after
-- releasing it, so that the flushes of concurrent commits can be batched (group commit). A
-- reader of "tid > last seen" therefore takes its snapshot only at a safe horizon
-- (cairn_inflight, PgHorizon): never a tid above one still in flight.
-- oids are the objects the transaction wrote, in the order written (iteration keeps it).
-- username/description are bytea because ZODB's are bytes and may hold any byte.
CREATE TABLE IF NOT EXISTS {s}.transaction_log (
    tid         bigint PRIMARY KEY,
    packed      boolean NOT NULL DEFAULT false,
    username    bytea NOT NULL,
    description bytea NOT NULL,
    extension   bytea NOT NULL,
    oids        bigint[] NOT NULL
);

-- Oids are handed out in blocks of PgOidAllocator.BLOCK: value b of this sequence stands
-- for oids (b-1)*BLOCK .. b*BLOCK-1. nextval never returns a value twice, whichever
-- process asks, and is not rolled back, so oids never repeat across processes.
CREATE SEQUENCE IF NOT EXISTS {s}.oid_block_seq START 1;

-- ---- Tid allocation and the readers' safe horizon (PgHorizon) ------------------------------
-- The high-water mark of allocated tids. A sequence because setval is not transactional: the
-- mark is visible to readers at once, before the allocating transaction commits, and a
-- rollback does not take it back. Crash safety: setval writes its WAL record before the
-- allocating transaction's commit record, so a durable commit implies a durable mark; a mark
-- lost with a transaction that never committed only lets its tid be chosen again. The
-- allocation also takes max(tid) of the log + 1, so the mark can never lead to a used tid.
CREATE SEQUENCE IF NOT EXISTS {s}.tid_high START 1;

-- Chooses the tid of the calling transaction: greatest(clock, mark + 1, last logged + 1), under
-- a SESSION advisory lock (p_lock) released before returning, i.e. long before COMMIT. While
-- it holds that lock it takes the in-flight marker, a transaction-level advisory lock keyed
-- by tid # p_lock (released by COMMIT or ROLLBACK, or by the backend's death), and only then
-- publishes the mark: whoever reads a mark >= tid finds the marker if the transaction has
-- not ended. The inner block unlocks the session lock on any error, so no pooled connection
-- keeps it.
CREATE OR REPLACE FUNCTION {s}.cairn_alloc_tid(p_lock bigint, p_candidate bigint)
RETURNS bigint LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    t bigint;
BEGIN
    PERFORM pg_advisory_lock(p_lock);
    BEGIN
        t := greatest(p_candidate, coalesce(pg_sequence_last_value('{s}.tid_high'::regclass), 0) + 1,
                      (SELECT coalesce(max(tid), 0) FROM {s}.transaction_log) + 1);
        PERFORM pg_advisory_xact_lock(t # p_lock);
        PERFORM setval('{s}.tid_high'::regclass, t);
    EXCEPTION WHEN OTHERS OR query_canceled THEN
        PERFORM pg_advisory_unlock(p_lock);
        RAISE;
    END;
    PERFORM pg_advisory_unlock(p_lock);
    RETURN t;
END $$;

-- What a reader asks BEFORE it takes its snapshot: the mark (high), then the tids in flight
-- (granted in-flight markers of this schema, decoded from pg_locks: a bigint advisory key
-- shows as classid = high half, objid = low half, objsubid = 1) in (p_after, high]. Both are
-- read outside MVCC (the sequence's page, the lock table), so the order is the order of the
-- statements here. p_after < 0: no known lower bound; then a window of 2^40 tid units (about
-- four hours) below the mark keeps decoded keys of foreign advisory locks out.
CREATE OR REPLACE FUNCTION {s}.cairn_inflight(p_lock bigint, p_after bigint, OUT high bigint, OUT tids bigint[])
LANGUAGE plpgsql VOLATILE AS $$
BEGIN
    high := coalesce(pg_sequence_last_value('{s}.tid_high'::regclass), 0);
    IF p_after >= 0 AND high <= p_after THEN
        tids := '{}'; -- no tid chosen since the reader's last one: nothing to look up (the filter below would keep none)
        RETURN;
    END IF;
    SELECT coalesce(array_agg(m.f ORDER BY m.f), '{}') INTO tids FROM (
        SELECT ((l.classid::bigint << 32) | l.objid::bigint) # p_lock AS f FROM pg_locks l
         WHERE l.locktype = 'advisory' AND l.objsubid = 1 AND l.granted AND l.mode = 'ExclusiveLock'
           AND l.database = (SELECT d.oid FROM pg_database d WHERE d.datname = current_database())) m
     WHERE m.f > (CASE WHEN p_after < 0 THEN high - (1::bigint << 40) ELSE p_after END) AND m.f <= high;
END $$;

-- Waits until each given transaction has ended (COMMIT or ROLLBACK releases its marker): a
-- shared lock on the marker, taken and released at once. No timer.
CREATE OR REPLACE FUNCTION {s}.cairn_await(p_lock bigint, p_tids bigint[])
RETURNS void LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    t bigint;
BEGIN
    FOREACH t IN ARRAY p_tids LOOP
        PERFORM pg_advisory_lock_shared(t # p_lock);
        PERFORM pg_advisory_unlock_shared(t # p_lock);
    END LOOP;
END $$;

-- The readers' way out of starvation: takes the allocation lock (session; the CALLER releases
-- it with pg_advisory_unlock after taking its snapshot), so no tid is chosen meanwhile, and
-- waits for every transaction in flight to end. A snapshot taken then holds every tid up to
-- the returned mark that will ever commit.
CREATE OR REPLACE FUNCTION {s}.cairn_drain(p_lock bigint, p_after bigint)
RETURNS bigint LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    h bigint;
    f bigint[];
BEGIN
    PERFORM pg_advisory_lock(p_lock);
    BEGIN
        SELECT i.high, i.tids INTO h, f FROM {s}.cairn_inflight(p_lock, p_after) i;
        PERFORM {s}.cairn_await(p_lock, f);
    EXCEPTION WHEN OTHERS OR query_canceled THEN
        PERFORM pg_advisory_unlock(p_lock);
        RAISE;
    END;
    RETURN h;
END $$;

-- A restore batch (PgBulkLoader) of tids p_first..p_last: holds the allocation lock until its
-- COMMIT (no tid is chosen meanwhile), waits for the writers whose tids were chosen before it
-- took the lock, refuses tids not above every logged (committed) tid (returns that last one,
-- the caller reports it), marks p_last in flight and publishes it. The check reads the log,
-- not the mark: the mark is not transactional, so a batch or a commit that rolled back after
-- choosing its tid (a killed copy) leaves it ahead of anything committed; it never moves back.
CREATE OR REPLACE FUNCTION {s}.cairn_restore_begin(p_lock bigint, p_first bigint, p_last bigint)
RETURNS bigint LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    last bigint;
BEGIN
    PERFORM pg_advisory_xact_lock(p_lock);
    PERFORM {s}.cairn_await(p_lock, (SELECT i.tids FROM {s}.cairn_inflight(p_lock, -1) i));
    last := (SELECT coalesce(max(tid), 0) FROM {s}.transaction_log);
    IF p_first <= last THEN
        RETURN last;
    END IF;
    PERFORM pg_advisory_xact_lock(p_last # p_lock);
    IF p_last > coalesce(pg_sequence_last_value('{s}.tid_high'::regclass), 0) THEN
        PERFORM setval('{s}.tid_high'::regclass, p_last);
    END IF;
    RETURN last;
END $$;

-- Schema version 2 over a version 1 database: the mark starts at the last logged tid.
SELECT setval('{s}.tid_high'::regclass, m) FROM (SELECT max(tid) AS m FROM {s}.transaction_log) x
 WHERE m IS NOT NULL AND m > coalesce(pg_sequence_last_value('{s}.tid_high'::regclass), 0);

-- The NOTIFY of a commit, sent in a transaction of its own right after the commit's COMMIT
-- (same round trip), with synchronous_commit off for that little transaction only. Why not
-- in the committing transaction: PostgreSQL serialises every transaction that NOTIFYs with
-- a database-wide lock held from just before its commit record until after it is flushed
-- (so that notifications are queued in commit order), which put every commit's fdatasync
-- behind the previous one's again and undid group commit (pgbench: 4 clients 1.0x one with
-- the NOTIFY inside, 3.6x without). The notification is only a wake-up: listeners read the
-- log, so a notification lost in a crash (asynchronous commit) loses nothing, and it is
-- sent only after the commit it announces is durable and visible. Payload: the tid that
-- cairn_finish chose in this session.
CREATE OR REPLACE FUNCTION {s}.cairn_notify(p_channel text)
RETURNS void LANGUAGE plpgsql VOLATILE AS $$
BEGIN
    PERFORM set_config('synchronous_commit', 'off', true);
    PERFORM pg_notify(p_channel, coalesce(current_setting('cairn.tid', true), ''));
END $$;
