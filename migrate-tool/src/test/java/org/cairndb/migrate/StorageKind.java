package org.cairndb.migrate;

import java.util.ArrayList;
import java.util.List;
import org.cairndb.postgres.testing.TestPostgres;
import org.cairndb.storage.Capability;
import org.cairndb.storage.Storage;
import org.cairndb.storage.uri.Storages;

/**
 * The real storages the migrate tests run against, each opened fresh and empty. A kind whose
 * module is not on the class path (its scheme has no provider) is left out of
 * {@link #available()}, so the matrix grows as storages land.
 */
public enum StorageKind {
    MEM("mem:", null),
    TEMP("temp:", null),
    PG_PRESERVING("postgres", "history=preserving"),
    PG_FREE("postgres", "history=free"),
    /** A Cairn server on a loopback port serving a fresh history-preserving PostgreSQL storage. */
    CAIRN("cairn", "history=preserving");

    private final String uriOrScheme;
    private final String query;

    StorageKind(String uriOrScheme, String query) {
        this.uriOrScheme = uriOrScheme;
        this.query = query;
    }

    public static List<StorageKind> available() {
        List<StorageKind> out = new ArrayList<>();
        var schemes = Storages.providers().keySet();
        for (StorageKind k : values()) {
            String scheme = k.uriOrScheme.endsWith(":")
                    ? k.uriOrScheme.substring(0, k.uriOrScheme.length() - 1)
                    : k.uriOrScheme;
            if (schemes.contains(scheme)) out.add(k);
        }
        return out;
    }

    private static String database;
    private static final List<org.cairndb.server.CairnServer> SERVERS =
            new java.util.concurrent.CopyOnWriteArrayList<>();
    private static final java.util.concurrent.atomic.AtomicInteger SCHEMAS =
            new java.util.concurrent.atomic.AtomicInteger();

    /** A URI of a fresh, empty storage of this kind (for PostgreSQL: a new schema in this JVM's test database, cheaper than a database each). */
    public String freshUri() {
        if (query == null) return uriOrScheme;
        synchronized (StorageKind.class) {
            if (database == null) database = TestPostgres.get().newDatabase("migrate");
        }
        String pg = TestPostgres.get().uri(database, query + "&schema=m" + SCHEMAS.incrementAndGet());
        if (this != CAIRN) return pg;
        org.cairndb.server.CairnServer server = org.cairndb.server.CairnServer.start(
                new org.cairndb.server.ServerConfig().port(0).storage("main", pg));
        SERVERS.add(server); // live for the test JVM: every client of this URI reaches the same storage
        return "cairn://127.0.0.1:" + server.port() + "/main";
    }

    public Storage open() {
        return Storages.open(freshUri());
    }

    /** Whether iteration gives back every transaction and revision (otherwise only the current state). */
    public static boolean keepsHistory(Storage s) {
        // a cairn:// client reports the capabilities of the storage it serves
        return s.supports(Capability.HISTORY);
    }
}
