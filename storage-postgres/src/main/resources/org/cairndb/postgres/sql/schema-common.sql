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

-- The transaction log: one row per committed transaction, in tid order. Other processes
-- learn of commits by reading it ("tid > last seen", one query at sync); that is safe only
-- because rows become visible in tid order: a writer chooses its tid and commits while it
-- holds the tid lock (an advisory transaction lock), so no row with a smaller tid can
-- appear after one with a greater tid is visible.
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
