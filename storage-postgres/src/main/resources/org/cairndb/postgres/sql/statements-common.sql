-- Statements both layouts use. Each starts at a ":name" line; {s} is the quoted schema.
--
-- Lock order (why there are no deadlocks between writers):
--   1. object rows, in ascending oid order (lock_or_insert_rows / lock_rows_update / lock_rows_share runs, at vote;
--      new objects get their placeholder row in the same order, see PgLocker);
--   2. at finish, the allocation lock (a session advisory lock, cairn_alloc_tid), held only
--      while the tid is chosen and the in-flight marker taken, released before COMMIT.
-- Every writer takes locks in this one order, so no cycle of waits can form. A transaction
-- holding its in-flight marker waits for nothing but its own COMMIT. Readers wait for markers
-- (PgHorizon) while holding no lock a writer needs. Pack deletes rows of unreachable objects
-- after locking them in oid order too.

-- :name max_tid
-- The last logged tid, NOT a safe horizon (a smaller tid may still be in flight): readers use
-- PgHorizon. Used where only "above every tid logged" matters.
SELECT coalesce(max(tid), 0) FROM {s}.transaction_log

-- :name insert_txn
INSERT INTO {s}.transaction_log (tid, packed, username, description, extension, oids) VALUES (?, ?, ?, ?, ?, ?)

-- :name txn_exists
SELECT 1 FROM {s}.transaction_log WHERE tid = ?

-- :name notify
-- Delivered to listeners when (and only if) the transaction commits, in commit order (not
-- tid order: the poller reads the log at a safe horizon).
SELECT pg_notify(?, ?)

-- :name poll
-- What a view runs first in its new snapshot at sync: the transactions since its tid.
-- (Taken at a safe horizon, see PgHorizon.)
SELECT tid, oids FROM {s}.transaction_log WHERE tid > ? ORDER BY tid

-- :name new_oid_blocks
SELECT nextval(?::regclass) FROM generate_series(1, ?)

-- :name bump_oid_blocks
-- After a restore: the sequence moves past the blocks holding restored oids. nextval first
-- (atomic), then setval to at least the target, so the sequence never goes back.
SELECT setval(?::regclass, greatest(nextval(?::regclass), ?))

-- :name txn_page
SELECT tid, packed, username, description, extension, oids FROM {s}.transaction_log
 WHERE tid >= ? AND tid <= ? ORDER BY tid LIMIT ?

-- :name revisions_in_range
SELECT oid, tid, state, data_tid FROM {s}.object_state WHERE tid >= ? AND tid <= ?

-- :name txn_oids
SELECT oids FROM {s}.transaction_log WHERE tid = ?

-- :name load_serial
SELECT state FROM {s}.object_state WHERE oid = ? AND tid = ?

-- :name history
SELECT s.tid, octet_length(s.state), t.username, t.description, t.extension
  FROM {s}.object_state s LEFT JOIN {s}.transaction_log t ON t.tid = s.tid
 WHERE s.oid = ? ORDER BY s.tid DESC LIMIT ?

-- :name mark_packed
UPDATE {s}.transaction_log SET packed = true WHERE tid = ANY(?)

-- :name size
SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE n.nspname = ? AND c.relkind IN ('r', 'S')

-- :name finish
-- See cairn_finish in the layout's schema file: tid allocation, log row, revisions, NOTIFY.
SELECT {s}.cairn_finish(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)

-- :name written_before
-- Undo: did an earlier transaction write the object (whose revision pack may have removed)?
SELECT 1 FROM {s}.transaction_log WHERE tid < ? AND ? = ANY(oids) LIMIT 1

-- :name next_writer
-- The first transaction in (after, upTo] that wrote the object, from the log (history-free
-- loadBefore answered from an open view's snapshot needs the tid that replaced it).
SELECT coalesce(min(tid), 0) FROM {s}.transaction_log WHERE tid > ? AND tid <= ? AND ? = ANY(oids)

-- :name xid
-- At vote: the database transaction's id (assigned now). If the connection breaks during
-- the finish round trip, the log row's xmin tells whether that transaction committed.
SELECT txid_current()

-- :name txn_by_xid
-- After a lost COMMIT: our log row, if it committed. Its tid is at least the one proposed,
-- so only the newest rows are scanned; xmin is the inserting transaction's 32-bit id.
SELECT tid FROM {s}.transaction_log WHERE tid >= ? AND xmin::text::bigint = ? ORDER BY tid LIMIT 1

-- :name committed_among
-- In a reader's snapshot: which of these tids (in flight when the reader looked) committed.
SELECT tid FROM {s}.transaction_log WHERE tid = ANY(?)
