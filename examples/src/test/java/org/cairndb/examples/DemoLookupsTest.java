package org.cairndb.examples;

import static org.assertj.core.api.Assertions.assertThat;

import org.cairndb.client.Connection;
import org.cairndb.client.Database;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The demo's external lookups: every book added by a run is filled in by the worker, once. */
class DemoLookupsTest {
    @Test
    void theDemoRunsItsLookups() {
        assertThat(new CommandLine(new DemoCommand())
                        .execute("--uri", "temp:", "--books", "6", "--views", "10", "--threads", "1"))
                .isZero();
    }

    @Test
    void theLookupHandlerWritesOntoTheBook() throws Exception {
        try (Database db = Database.open("temp:");
                Connection conn = db.open()) {
            var tm = conn.transactionManager();
            var q = org.cairndb.tasks.TaskQueue.of(db, "lookups");
            var h = tm.run(5, () -> {
                Library lib = Library.in(conn);
                DemoCommand.addBatch(lib, 0, 3);
                return q.submit(new BookLookup("b0-1"));
            });
            try (var w = q.worker(BookLookup.handler()).start()) {
                String info = h.await(java.time.Duration.ofMinutes(1));
                assertThat(info).startsWith("list price ");
            }
            tm.begin();
            assertThat(Library.in(conn).book("b0-1").externalInfo()).startsWith("list price ");
            assertThat(Library.in(conn).book("b0-2").externalInfo()).isNull();
            q.close();
        }
    }
}
