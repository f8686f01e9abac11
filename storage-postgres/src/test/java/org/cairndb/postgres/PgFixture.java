package org.cairndb.postgres;

import java.util.concurrent.atomic.AtomicInteger;
import org.cairndb.postgres.testing.TestPostgres;
import org.cairndb.storage.Storage;
import org.cairndb.storage.conformance.StorageFixture;
import org.cairndb.storage.uri.Storages;

/**
 * The conformance kit's fixture for PostgreSQL: one database per test class, a fresh schema
 * (schema=kN) for every storage the kit opens, so each is empty and cheap to make.
 */
final class PgFixture implements StorageFixture {
    private static final AtomicInteger SCHEMAS = new AtomicInteger();
    private final String database;
    private final String history;

    PgFixture(String database, String history) {
        this.database = database;
        this.history = history;
    }

    static String database(Class<?> testClass) {
        return TestPostgres.get().newDatabase(testClass.getSimpleName());
    }

    String uri(String schema) {
        return TestPostgres.get().uri(database, "history=" + history + "&schema=" + schema + "&pool=4");
    }

    private static String schemaOf(Storage s) {
        return ((PostgresStorage) s).config().schema();
    }

    @Override
    public Storage open() {
        return Storages.open(uri("k" + SCHEMAS.incrementAndGet()));
    }

    @Override
    public boolean persistent() {
        return true;
    }

    @Override
    public Storage reopen(Storage storage) {
        storage.close();
        return Storages.open(uri(schemaOf(storage)));
    }

    @Override
    public boolean canOpenPeer() {
        return true;
    }

    @Override
    public Storage openPeer(Storage storage) {
        return Storages.open(uri(schemaOf(storage)));
    }

    @Override
    public String toString() {
        return "postgres history=" + history;
    }
}
