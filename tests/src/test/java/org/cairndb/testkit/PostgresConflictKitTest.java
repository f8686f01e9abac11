package org.cairndb.testkit;

import org.cairndb.postgres.testing.TestPostgres;
import org.cairndb.storage.Storage;
import org.cairndb.storage.uri.Storages;

/**
 * The conflict kit over Cairn's collections on {@code postgres://} (history-preserving
 * layout, so the log-replay check also compares every committed tid), on the test JVM's
 * PostgreSQL (embedded, or {@code CAIRN_PG_URL}).
 */
class PostgresConflictKitTest extends ObjectLayerConflictContract {
    @Override
    Storage openStorage() {
        return Storages.open(TestPostgres.get().freshUri(PostgresConflictKitTest.class, "history=preserving"));
    }
}
