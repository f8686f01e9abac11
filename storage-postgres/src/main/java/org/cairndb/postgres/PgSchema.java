package org.cairndb.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.cairndb.storage.StorageException;

/**
 * The schema installer: creates the tables of a layout in a PostgreSQL schema, records the
 * schema version and the layout in {@code cairn_meta}, and upgrades an older schema step by
 * step. A schema of a newer version than this Cairn knows is refused (its meaning may have
 * changed); so is opening a schema with the other history mode than it was created with.
 *
 * <p>Concurrency: installation runs in one transaction under an advisory transaction lock
 * keyed by the schema, so processes opening a new database at the same moment install it
 * once and the others then find it complete.
 */
final class PgSchema {
    /** The version this code writes and reads. */
    static final int CURRENT_VERSION = 2;

    /*
     * Upgrades: every schema script is idempotent (IF NOT EXISTS, CREATE OR REPLACE), so
     * version n-1 becomes n by running them again. Version 2: the tid high-water mark and the
     * allocation functions (tids chosen under a short lock, commits out of tid order; see
     * PgHorizon); cairn_finish returns the tid. A version 1 Cairn (tid lock held through
     * COMMIT, readers trusting tid order) must not write beside a version 2 one: the version
     * check refuses it.
     */

    private PgSchema() {}

    /** @return true if the schema is (now) history-preserving */
    static boolean install(PgConnections cx, PgConfig cfg) {
        Sql sql = new Sql(cfg.schema(), "statements-history-free.sql");
        try (Connection c = cx.get()) {
            c.setAutoCommit(false);
            try (Statement st = c.createStatement()) {
                st.execute("SELECT pg_advisory_xact_lock(" + PgKeys.schemaLock(cfg.schema()) + ")");
                boolean exists;
                try (ResultSet rs =
                        st.executeQuery("SELECT to_regclass('" + sql.schema() + ".cairn_meta') IS NOT NULL")) {
                    rs.next();
                    exists = rs.getBoolean(1);
                }
                boolean history;
                if (!exists && !cfg.create()) {
                    throw new StorageException(
                            "storage '" + cfg.name() + "': schema '" + cfg.schema() + "' in " + cfg.where()
                                    + " holds no Cairn storage (nothing was created); check the database name and schema= in the URI");
                }
                if (!exists) {
                    history = cfg.history() == null || cfg.history();
                    st.execute(sql.script("schema-common.sql"));
                    st.execute(sql.script(history ? "schema-history-preserving.sql" : "schema-history-free.sql"));
                    try (PreparedStatement ps = c.prepareStatement(
                            "INSERT INTO " + sql.schema() + ".cairn_meta (key, value) VALUES (?, ?)")) {
                        ps.setString(1, "schema_version");
                        ps.setString(2, Integer.toString(CURRENT_VERSION));
                        ps.addBatch();
                        ps.setString(1, "history");
                        ps.setString(2, history ? "preserving" : "free");
                        ps.addBatch();
                        ps.executeBatch();
                    }
                } else {
                    int version = Integer.parseInt(meta(c, sql, "schema_version", cfg));
                    String mode = meta(c, sql, "history", cfg);
                    history = "preserving".equals(mode);
                    if (version > CURRENT_VERSION) {
                        throw new StorageException(
                                "storage '" + cfg.name() + "': schema '" + cfg.schema() + "' in " + cfg.where()
                                        + " has Cairn schema version " + version
                                        + ", but this Cairn knows versions up to " + CURRENT_VERSION
                                        + ": it was written by a newer Cairn. Upgrade Cairn to open it (or use another schema= for a new database).");
                    }
                    if (cfg.history() != null && cfg.history() != history) {
                        throw new StorageException("storage '" + cfg.name() + "': schema '" + cfg.schema() + "' in "
                                + cfg.where()
                                + " was created history-" + mode + ", but the URI asks for history="
                                + (cfg.history() ? "preserving" : "free")
                                + ": open it with history=" + mode + " (or leave history out), or use another schema=");
                    }
                    for (int v = version + 1; v <= CURRENT_VERSION; v++) {
                        st.execute(sql.script("schema-common.sql"));
                        st.execute(sql.script(history ? "schema-history-preserving.sql" : "schema-history-free.sql"));
                        try (PreparedStatement ps = c.prepareStatement(
                                "UPDATE " + sql.schema() + ".cairn_meta SET value = ? WHERE key = 'schema_version'")) {
                            ps.setString(1, Integer.toString(v));
                            ps.executeUpdate();
                        }
                    }
                }
                c.commit();
                return history;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            if ("42501".equals(e.getSQLState())) {
                throw new StorageException(
                        "storage '" + cfg.name() + "': user '" + cfg.user() + "' may not create schema '"
                                + cfg.schema() + "' in " + cfg.where() + " (" + e.getMessage()
                                + "): GRANT CREATE ON DATABASE "
                                + cfg.database() + " TO " + cfg.user() + ", or let an administrator open it once",
                        e);
            }
            throw PgErrors.translate(cfg.name(), "installing schema '" + cfg.schema() + "'", e);
        }
    }

    private static String meta(Connection c, Sql sql, String key, PgConfig cfg) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement("SELECT value FROM " + sql.schema() + ".cairn_meta WHERE key = ?")) {
            ps.setString(1, key);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new StorageException(
                            "storage '" + cfg.name() + "': schema '" + cfg.schema() + "' in " + cfg.where()
                                    + " has a cairn_meta table without '" + key + "': not a Cairn schema, or damaged;"
                                    + " use another schema= or repair it");
                }
                return rs.getString(1);
            }
        }
    }
}
