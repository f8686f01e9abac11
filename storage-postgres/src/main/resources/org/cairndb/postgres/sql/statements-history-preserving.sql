-- History-preserving statements: object_state keeps every revision (immutable once
-- committed); current_object names the current one and is the lock target.

-- :name load_current
SELECT c.tid, s.state FROM {s}.current_object c JOIN {s}.object_state s ON s.oid = c.oid AND s.tid = c.tid WHERE c.oid = ?

-- :name load_before
-- The newest revision older than the given tid, and the tid of the revision after it.
SELECT s.tid, s.state, (SELECT min(n.tid) FROM {s}.object_state n WHERE n.oid = s.oid AND n.tid > s.tid)
  FROM {s}.object_state s WHERE s.oid = ? AND s.tid < ? ORDER BY s.tid DESC LIMIT 1

-- :name load_before_revision
SELECT s.tid, s.state, s.data_tid FROM {s}.object_state s WHERE s.oid = ? AND s.tid < ? ORDER BY s.tid DESC LIMIT 1

-- :name lock_or_insert_rows
-- See statements-history-free.sql: placeholders (tid 0) for new objects, a lock without
-- change for existing ones, in one ascending oid order.
INSERT INTO {s}.current_object AS c (oid, tid) SELECT u.oid, 0 FROM unnest(?::bigint[]) AS u(oid) ORDER BY u.oid
ON CONFLICT (oid) DO UPDATE SET tid = c.tid WHERE false

-- :name row_tids
SELECT oid, tid FROM {s}.current_object WHERE oid = ANY(?)

-- :name lock_rows_update
SELECT oid, tid FROM {s}.current_object WHERE oid = ANY(?) ORDER BY oid FOR UPDATE

-- :name lock_rows_share
SELECT oid, tid FROM {s}.current_object WHERE oid = ANY(?) ORDER BY oid FOR SHARE

-- :name committed_state
SELECT state FROM {s}.object_state WHERE oid = ? AND tid = ?

-- :name write
INSERT INTO {s}.object_state (oid, tid, state, data_tid, refs) VALUES (?, ?, ?, ?, ?)

-- :name set_current
INSERT INTO {s}.current_object (oid, tid) VALUES (?, ?) ON CONFLICT (oid) DO UPDATE SET tid = EXCLUDED.tid

-- :name current_tid
SELECT tid FROM {s}.current_object WHERE oid = ?

-- :name object_count
SELECT count(*) FROM {s}.current_object c JOIN {s}.object_state s ON s.oid = c.oid AND s.tid = c.tid WHERE s.state IS NOT NULL

-- :name pack_oid_batch
SELECT oid FROM {s}.current_object WHERE oid > ? ORDER BY oid LIMIT ?

-- :name pack_revisions
-- Drops revisions older than the pack tid that a newer revision older than the pack tid
-- replaces: what stays is the revision current just before the pack tid, and every later one.
DELETE FROM {s}.object_state s WHERE s.oid = ANY(?) AND s.tid < ?
   AND EXISTS (SELECT 1 FROM {s}.object_state n WHERE n.oid = s.oid AND n.tid > s.tid AND n.tid < ?)
RETURNING s.tid

-- :name gc_reach
-- As history-free, over every revision kept: an object a kept revision refers to stays.
CREATE TEMP TABLE cairn_reach ON COMMIT DROP AS
WITH RECURSIVE r(oid) AS (
    SELECT 0::bigint
    UNION
    SELECT s.oid FROM {s}.object_state s WHERE s.state IS NOT NULL AND s.refs IS NULL
    UNION
    SELECT unnest(s.refs) FROM {s}.object_state s JOIN r ON s.oid = r.oid
)
SELECT oid FROM r

-- :name gc_garbage
SELECT c.oid FROM {s}.current_object c WHERE c.tid < ? AND NOT EXISTS (SELECT 1 FROM cairn_reach r WHERE r.oid = c.oid)
 ORDER BY c.oid

-- :name gc_lock
SELECT oid FROM {s}.current_object WHERE oid = ANY(?) AND tid < ? ORDER BY oid FOR UPDATE

-- :name gc_delete_revisions
DELETE FROM {s}.object_state WHERE oid = ANY(?)

-- :name gc_delete
DELETE FROM {s}.current_object WHERE oid = ANY(?)
