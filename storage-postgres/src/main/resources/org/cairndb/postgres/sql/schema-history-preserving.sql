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

-- Finish of a voted transaction (then COMMIT, in the same round trip); see
-- schema-history-free.sql for the steps and cairn_alloc_tid for how the tid is chosen.
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
        SELECT o, new_tid, st, dt, r::bigint[] FROM unnest(p_oids, p_states, p_data_tids, p_refs) AS u(o, st, dt, r);
    INSERT INTO {s}.current_object (oid, tid) SELECT o, new_tid FROM unnest(p_oids) AS o
    ON CONFLICT (oid) DO UPDATE SET tid = EXCLUDED.tid;
    PERFORM set_config('cairn.tid', lpad(to_hex(new_tid), 16, '0'), false); -- for cairn_notify, after COMMIT
    RETURN new_tid;
END $$;
