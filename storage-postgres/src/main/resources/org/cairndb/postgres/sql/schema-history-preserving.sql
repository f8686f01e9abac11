-- History-preserving layout: every revision of every object, and a small table naming the
-- current one. Writers lock rows of current_object (never of object_state, whose rows are
-- immutable once committed), so readers of old revisions never meet a lock.
CREATE TABLE IF NOT EXISTS {s}.object_state (
    oid      bigint NOT NULL,
    tid      bigint NOT NULL,
    state    bytea,
    data_tid bigint NOT NULL DEFAULT 0,
    refs     bigint[],
    PRIMARY KEY (oid, tid)
);
CREATE INDEX IF NOT EXISTS object_state_tid ON {s}.object_state (tid);

-- oid -> tid of its current revision. tid 0 marks a row inserted by a voting transaction
-- for a new object (so it has a row to hold locked); it is never visible to others.
CREATE TABLE IF NOT EXISTS {s}.current_object (
    oid bigint PRIMARY KEY,
    tid bigint NOT NULL
);
