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

-- ---- The pruned transaction log (PgLogPruner) ----------------------------------------------
-- History-free keeps no revision a log row could describe, so old log rows are pruned
-- (cairn_meta 'log_horizon' = the greatest tid pruned; every log row at or below it is gone).
-- Readers never need them: what changed in a pruned range is exactly the set of objects whose
-- current row has a tid in that range (an object changed there and again later appears in a
-- later, kept log row; one removed by pack is unreachable). So the two statements that read the
-- log fill a pruned range from object_state, grouped by tid, through its tid index. Their
-- parameters repeat in a cycle (see Sql.bindCycling): poll (from), txn_page (lo, hi, limit).

-- :name poll
-- A view's sync and the listeners' poller: the transactions since a tid, in tid order; below the
-- horizon, one row per tid of the objects whose current revision it wrote.
SELECT tid, oids FROM {s}.transaction_log WHERE tid > ?
UNION ALL
SELECT o.tid, array_agg(o.oid ORDER BY o.oid) FROM {s}.object_state o
 WHERE o.tid > ? AND o.tid <= (SELECT coalesce(max(m.value::bigint), 0) FROM {s}.cairn_meta m WHERE m.key = 'log_horizon')
 GROUP BY o.tid
ORDER BY 1

-- :name txn_page
-- Iteration: log rows, and below the horizon a record per tid of the current revisions it wrote
-- (marked packed, without metadata: what a copy of a history-free storage can still carry).
-- Each branch is limited on its own, so a page costs a page, not the whole pruned range; the
-- outer bounds repeat the inner ones only to keep the parameters a cycle of (lo, hi, limit).
SELECT tid, packed, username, description, extension, oids FROM (
  (SELECT tid, packed, username, description, extension, oids FROM {s}.transaction_log
    WHERE tid >= ? AND tid <= ? ORDER BY tid LIMIT ?)
  UNION ALL
  (SELECT o.tid, true, ''::bytea, ''::bytea, ''::bytea, array_agg(o.oid ORDER BY o.oid) FROM {s}.object_state o
    WHERE o.tid >= ? AND o.tid <= ? AND o.tid > 0
      AND o.tid <= (SELECT coalesce(max(m.value::bigint), 0) FROM {s}.cairn_meta m WHERE m.key = 'log_horizon')
    GROUP BY o.tid ORDER BY o.tid LIMIT ?)
) t WHERE t.tid >= ? AND t.tid <= ? ORDER BY tid LIMIT ?

-- :name prune_log_batch
-- Deletes up to a batch of the oldest log rows below a tid, always keeping the newest rows (the
-- last tid, recent rows a lost COMMIT is looked up by). Returns the greatest tid deleted (0 if none).
-- Writers only insert rows above every kept one, so this never waits on them.
WITH gone AS (
  DELETE FROM {s}.transaction_log WHERE tid IN (
    SELECT tid FROM {s}.transaction_log
     WHERE tid < ? AND tid < (SELECT tid FROM {s}.transaction_log ORDER BY tid DESC OFFSET ? LIMIT 1)
     ORDER BY tid LIMIT ?)
  RETURNING tid)
SELECT coalesce(max(tid), 0), count(*) FROM gone

-- :name set_log_horizon
-- In the pruning batch's transaction: readers see rows gone and the horizon moved together.
INSERT INTO {s}.cairn_meta (key, value) VALUES ('log_horizon', ?::text)
ON CONFLICT (key) DO UPDATE SET value = greatest({s}.cairn_meta.value::bigint, EXCLUDED.value::bigint)::text

-- :name log_horizon
SELECT coalesce(max(value::bigint), 0) FROM {s}.cairn_meta WHERE key = 'log_horizon'
