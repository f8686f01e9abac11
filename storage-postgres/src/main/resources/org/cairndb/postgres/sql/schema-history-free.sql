-- History-free layout: one row per object, its current revision. The row is also what a
-- writer locks (SELECT ... FOR UPDATE) from vote to COMMIT.
-- state NULL: a revision without data (a deletion, an undone creation); such rows stay
-- until pack finds them unreachable.
-- refs: the oids the record header names, NULL for a foreign record (no Cairn header),
-- which pack treats as a root of reachability.
-- data_tid: for a revision restored as a backpointer, the transaction whose data it reuses.
CREATE TABLE IF NOT EXISTS {s}.object_state (
    oid      bigint PRIMARY KEY,
    tid      bigint NOT NULL,
    state    bytea,
    data_tid bigint NOT NULL DEFAULT 0,
    refs     bigint[]
);
-- Iteration (copy/export) reads revisions by tid range.
CREATE INDEX IF NOT EXISTS object_state_tid ON {s}.object_state (tid);

-- Finish of a voted transaction, sent with its COMMIT in one round trip:
-- 1. the tid, chosen by cairn_alloc_tid (schema-common.sql) under a short session lock that
--    is released before this function returns: greatest(the caller's clock tid, the
--    high-water mark + 1), ZODB's TimeStamp.laterThan; the transaction now holds its
--    in-flight marker until COMMIT/ROLLBACK, and its COMMIT (and WAL flush) runs outside
--    every global lock, so PostgreSQL's group commit can batch concurrent flushes;
-- 2. the log row and the revisions. The NOTIFY is NOT sent in this transaction but by
--    cairn_notify after its COMMIT (schema-common.sql says why); p_channel is unused.
-- Returns the tid.
-- The rows were locked at vote (placeholders inserted for new objects), so this upsert
-- never waits on another writer.
CREATE OR REPLACE FUNCTION {s}.cairn_finish(p_lock bigint, p_candidate bigint, p_user bytea, p_desc bytea, p_ext bytea,
        p_oids bigint[], p_states bytea[], p_data_tids bigint[], p_refs text[], p_channel text)
RETURNS bigint LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    new_tid bigint;
BEGIN
    new_tid := {s}.cairn_alloc_tid(p_lock, p_candidate);
    INSERT INTO {s}.transaction_log (tid, packed, username, description, extension, oids)
        VALUES (new_tid, false, p_user, p_desc, p_ext, p_oids);
    INSERT INTO {s}.object_state (oid, tid, state, data_tid, refs)
        SELECT o, new_tid, st, dt, r::bigint[] FROM unnest(p_oids, p_states, p_data_tids, p_refs) AS u(o, st, dt, r)
    ON CONFLICT (oid) DO UPDATE SET tid = EXCLUDED.tid, state = EXCLUDED.state, data_tid = EXCLUDED.data_tid, refs = EXCLUDED.refs;
    PERFORM set_config('cairn.tid', lpad(to_hex(new_tid), 16, '0'), false); -- for cairn_notify, after COMMIT
    RETURN new_tid;
END $$;
