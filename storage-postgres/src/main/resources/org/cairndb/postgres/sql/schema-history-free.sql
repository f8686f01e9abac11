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
