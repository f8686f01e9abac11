package com.example.books;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.time.LocalDate;
import org.cairndb.client.Connection;
import org.cairndb.client.Database;
import org.cairndb.client.TransactionManager;
import org.cairndb.examples.Book;
import org.cairndb.examples.Library;

/**
 * README.md's first example, verbatim between the markers (.ci/consumer-example checks that it
 * is), run twice on each storage URI given: on a new database, then on the one it left. The
 * URI {@code postgres-embedded} starts an embedded PostgreSQL and uses its database.
 * Prints {@code RESULT name=consumer uri=... runs=2 title=...} per URI, the title as a new
 * Database reads it back.
 */
public final class Main {
    private Main() {}

    public static void main(String[] args) throws Exception {
        for (String arg : String.join(" ", args).trim().split("\\s+")) {
            if (arg.equals("postgres-embedded")) {
                try (EmbeddedPostgres pg = EmbeddedPostgres.builder().start()) {
                    check("postgres://postgres@localhost:" + pg.getPort() + "/postgres");
                }
            } else {
                check(arg);
            }
        }
    }

    private static void check(String uri) {
        readmeExample(uri); // a new database
        readmeExample(uri); // the database it left (temp: is new at every open)
        try (Database db = Database.open(uri); Connection conn = db.open()) {
            Library lib = (Library) conn.root().get(Library.class.getName()); // where conn.root(Library.class, ...) keeps it
            String title = lib == null ? "none (a new temp: database)" : lib.book("dune").title();
            System.out.println("RESULT name=consumer uri=" + uri + " runs=2 title=" + title);
        }
    }

    static void readmeExample(String uri) {
        // README example begin
        try (Database db = Database.open(uri)) {                     // uri: "mem:/data/books.cairn", "temp:", "postgres://...", ...
            TransactionManager tm = db.transactionManager();
            try (Connection conn = db.open()) {                          // one connection per thread
                Book dune = tm.run(5, () -> {                            // retried on a conflict (nothing committed)
                    Library lib = conn.root(Library.class, Library::new);  // typed root, created on first use
                    Book book = lib.book("dune");
                    if (book == null) book = lib.addBook("dune", "Dune", lib.addAuthor("herbert", "Frank Herbert", 1920), LocalDate.of(1965, 8, 1));
                    book.title("Dune (50th anniversary)");
                    return book;
                });                                                      // committed here
                Book byOid = conn.get(dune.oid(), Book.class);           // typed: no cast
            }
        }
        // README example end
    }
}
