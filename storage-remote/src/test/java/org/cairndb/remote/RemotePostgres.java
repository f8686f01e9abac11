package org.cairndb.remote;

import java.util.concurrent.atomic.AtomicInteger;
import org.cairndb.postgres.testing.TestPostgres;
import org.cairndb.storage.conformance.StorageFixture;

/**
 * cairn:// over postgres:// for the conformance kit: the one embedded PostgreSQL of this test
 * JVM (or {@code CAIRN_PG_URL}), one database per layout, and a new schema for every server
 * the fixture starts, so each storage the kit opens is empty and costs a CREATE SCHEMA, not a
 * CREATE DATABASE.
 */
final class RemotePostgres {
    private static final AtomicInteger SCHEMAS = new AtomicInteger();

    private RemotePostgres() {}

    /** A database of its own for {@code testClass}. */
    static String database(Class<?> testClass) {
        return TestPostgres.get().newDatabase(testClass.getSimpleName());
    }

    static StorageFixture fixture(String database, String history) {
        return new RemoteFixture(
                () -> TestPostgres.get()
                        .uri(database, "history=" + history + "&schema=r" + SCHEMAS.incrementAndGet() + "&pool=4"),
                "postgres:// history=" + history,
                "",
                true);
    }
}
