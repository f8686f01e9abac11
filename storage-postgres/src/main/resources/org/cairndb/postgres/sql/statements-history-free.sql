-- History-free statements: object_state holds one row per object and is the lock target.

-- :name load_current
SELECT tid, state FROM {s}.object_state WHERE oid = ?

-- :name lock_rows_update
-- Locks the rows of objects being written, in oid order (see statements-common.sql), and
-- returns their tids as committed by whoever held the lock before (READ COMMITTED re-reads
-- the newest version of a row after waiting for its lock).
SELECT oid, tid FROM {s}.object_state WHERE oid = ANY(?) ORDER BY oid FOR UPDATE

-- :name lock_rows_share
-- checkCurrent: a shared lock; many readers may hold it, a writer of the object waits.
SELECT oid, tid FROM {s}.object_state WHERE oid = ANY(?) ORDER BY oid FOR SHARE

-- :name insert_placeholders
-- New objects have no row to lock: insert one (tid 0, no state), which nobody else sees
-- until COMMIT and which makes a second inserter of the same oid wait for us.
INSERT INTO {s}.object_state (oid, tid) SELECT o, 0 FROM unnest(?::bigint[]) o ON CONFLICT (oid) DO NOTHING RETURNING oid

-- :name committed_state
SELECT state FROM {s}.object_state WHERE oid = ? AND tid = ?

-- :name write
INSERT INTO {s}.object_state (oid, tid, state, data_tid, refs) VALUES (?, ?, ?, ?, ?)
ON CONFLICT (oid) DO UPDATE SET tid = EXCLUDED.tid, state = EXCLUDED.state, data_tid = EXCLUDED.data_tid, refs = EXCLUDED.refs

-- :name object_count
SELECT count(*) FROM {s}.object_state WHERE state IS NOT NULL

-- :name gc_reach
-- Every oid reachable from the root (oid 0) or from a foreign record (state without a
-- Cairn header, refs NULL), through the references recorded at store time. UNION (not
-- UNION ALL) drops rows already found, so cycles end.
CREATE TEMP TABLE cairn_reach ON COMMIT DROP AS
WITH RECURSIVE r(oid) AS (
    SELECT 0::bigint
    UNION
    SELECT oid FROM {s}.object_state WHERE state IS NOT NULL AND refs IS NULL
    UNION
    SELECT unnest(s.refs) FROM {s}.object_state s JOIN r ON s.oid = r.oid
)
SELECT oid FROM r

-- :name gc_garbage
SELECT o.oid FROM {s}.object_state o WHERE o.tid < ? AND NOT EXISTS (SELECT 1 FROM cairn_reach r WHERE r.oid = o.oid)
 ORDER BY o.oid

-- :name gc_lock
SELECT oid FROM {s}.object_state WHERE oid = ANY(?) AND tid < ? ORDER BY oid FOR UPDATE

-- :name gc_delete
DELETE FROM {s}.object_state WHERE oid = ANY(?)
