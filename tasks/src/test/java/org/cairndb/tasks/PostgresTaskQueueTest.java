package org.cairndb.tasks;

import org.cairndb.postgres.testing.TestPostgres;

/** The queue on postgres:// (a fresh database per test): commits of other connections reach the workers through LISTEN. */
class PostgresTaskQueueTest extends TaskQueueTest {
    @Override
    String uri() {
        return TestPostgres.get().freshUri(PostgresTaskQueueTest.class, "history=free");
    }
}
