-- History-free statements: object_state holds one row per object and is the lock target.

-- :name load_current
SELECT tid, state FROM {s}.object_state WHERE oid = ?

-- :name lock_or_insert_rows
-- Vote, objects being written, one run of them: in ascending oid order (the ORDER BY feeds
-- the INSERT row by row), insert a placeholder row (tid 0, no state) for an object that has
-- none, which nobody else sees until COMMIT and which makes a second creator of the same oid
-- wait for us; or lock the existing row: DO UPDATE locks the conflicting row even though
-- WHERE false keeps it unchanged. After waiting for another writer's lock, READ COMMITTED
-- locks the newest version of the row. One order for new and existing rows: see PgLocker.
INSERT INTO {s}.object_state AS o (oid, tid) SELECT u.oid, 0 FROM unnest(?::bigint[]) AS u(oid) ORDER BY u.oid
ON CONFLICT (oid) DO UPDATE SET tid = o.tid WHERE false

-- :name row_tids
-- Right after lock_or_insert_rows, a statement of its own: its fresh snapshot sees the
-- committed tid of every row we now hold (tid 0 for our own placeholders).
SELECT oid, tid FROM {s}.object_state WHERE oid = ANY(?)

-- :name lock_rows_update
-- Vote, objects being written that all exist (each stored over a committed revision): lock
-- their rows in oid order and return their tids as committed by whoever held the lock
-- before (READ COMMITTED re-reads the newest version of a row after waiting for its lock).
-- One statement instead of lock_or_insert_rows + row_tids; no placeholder is ever needed.
SELECT oid, tid FROM {s}.object_state WHERE oid = ANY(?) ORDER BY oid FOR UPDATE

-- :name lock_rows_share
-- checkCurrent: a shared lock; many readers may hold it, a writer of the object waits.
SELECT oid, tid FROM {s}.object_state WHERE oid = ANY(?) ORDER BY oid FOR SHARE

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
