package org.cairndb.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.cairndb.client.Connection;
import org.cairndb.client.Database;
import org.cairndb.client.PersistentState;
import org.cairndb.client.Savepoint;
import org.cairndb.client.TransactionManager;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The lovely-books model through the whole object API, on each embedded storage. */
class LovelyBooksTest {
    static final Instant NOW = Instant.parse("2026-11-26T12:00:00Z");

    @TempDir
    Path dir;

    private String uri(String kind) {
        return kind.equals("mem-file") ? "mem:" + dir.resolve("books.cairn") : kind;
    }

    @ParameterizedTest
    @ValueSource(strings = {"mem:", "temp:"})
    void library_wholeApi(String kind) throws Exception {
        try (Database db = Database.open(uri(kind))) {
            TransactionManager tm = db.transactionManager();
            long duneOid;
            try (Connection conn = db.open()) {
                Library lib = Library.in(conn);
                Author herbert = lib.addAuthor("herbert", "Frank Herbert", 1920);
                Author austen = lib.addAuthor("austen", "Jane Austen", 1775);
                Book dune = lib.addBook("dune", "Dune", herbert, LocalDate.of(1965, 8, 1), "sci-fi", "classic");
                Book emma = lib.addBook("emma", "Emma", austen, LocalDate.of(1815, 12, 23), "classic", "romance");
                User ann = lib.addUser("ann", "ann@example.org", NOW);
                User bob = lib.addUser("bob", "bob@example.org", NOW);
                lib.review(ann, dune, 5, "Spice!", NOW);
                lib.review(bob, dune, 4, "Long.", NOW.plusSeconds(60));
                lib.review(bob, emma, 3, "Witty.", NOW.plusSeconds(120));
                lib.view("dune", NOW, 10);
                lib.view("emma", NOW, 3);
                tm.commit();
                duneOid = dune.oid();
                assertThat(dune.persistentState()).isEqualTo(PersistentState.UP_TO_DATE);

                // savepoint: a rolled back change leaves no trace
                Savepoint sp = tm.savepoint();
                dune.title("Dune (draft)");
                sp.rollback();
                assertThat(dune.title()).isEqualTo("Dune");
                tm.abort();
            }
            // another thread, another connection: everything loads lazily from storage
            CompletableFuture.runAsync(() -> {
                        try (Connection conn = db.open()) {
                            Library lib = Library.in(conn);
                            assertThat(lib.bookCount()).isEqualTo(2);
                            assertThat(lib.userCount()).isEqualTo(2);
                            assertThat(lib.reviewCount()).isEqualTo(3);
                            Book dune = lib.book("dune");
                            assertThat(dune.oid()).isEqualTo(duneOid);
                            assertThat(dune.author().name()).isEqualTo("Frank Herbert");
                            assertThat(dune.author().books()).containsExactly(dune);
                            assertThat(dune.rating()).isEqualTo(4.5);
                            assertThat(dune.reviews()).extracting(Review::text).containsExactly("Spice!", "Long.");
                            assertThat(dune.reviews().get(1).user()).isSameAs(lib.user("bob"));
                            assertThat(lib.user("bob").reviews()).hasSize(2);
                            assertThat(lib.booksTagged("classic"))
                                    .extracting(Book::title)
                                    .containsExactly("Dune", "Emma");
                            assertThat(lib.reviewsBetween(NOW.plusSeconds(30), NOW.plusSeconds(300)))
                                    .extracting(Review::text)
                                    .containsExactly("Long.", "Witty.");
                            List<Map.Entry<Book, Long>> top = lib.mostViewed(NOW, NOW.plusSeconds(3600), 1);
                            assertThat(top).hasSize(1);
                            assertThat(top.get(0).getKey()).isSameAs(dune);
                            assertThat(top.get(0).getValue()).isEqualTo(10);
                            // change and commit from here
                            lib.user("ann").email("ann@example.com");
                            lib.tag(lib.book("emma"), "favourite");
                            tm.commit();
                        }
                    })
                    .join();
            try (Connection conn = db.open()) {
                Library lib = Library.in(conn);
                assertThat(lib.user("ann").email()).isEqualTo("ann@example.com");
                assertThat(lib.booksTagged("favourite")).extracting(Book::id).containsExactly("emma");
                // concurrent views from several threads, no conflict reaches the app
                DemoCommand.countViews(db, 3, 300);
                tm.begin();
                assertThat(lib.totalViews()).isEqualTo(13 + 300);
                tm.abort();
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"mem-file"})
    void library_reopenedFromFile_countsGrow(String kind) throws Exception {
        for (int run = 0; run < 2; run++) {
            try (Database db = Database.open(uri(kind));
                    Connection conn = db.open()) {
                TransactionManager tm = db.transactionManager();
                Library lib = Library.in(conn);
                long before = lib.bookCount();
                DemoCommand.addBatch(lib, (int) before, 10);
                tm.commit();
                assertThat(lib.bookCount()).isEqualTo(before + 10);
                assertThat(lib.bookCount()).isEqualTo(10L * (run + 1));
                assertThat(lib.reviewCount()).isEqualTo(20L * (run + 1));
            }
        }
    }
}
