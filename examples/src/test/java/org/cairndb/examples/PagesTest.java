package org.cairndb.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDate;
import org.cairndb.client.Connection;
import org.cairndb.client.Database;
import org.cairndb.client.TransactionManager;
import org.junit.jupiter.api.Test;

/** The README's fragment cache example: a review changes the book page and its author's, not the other books'. */
class PagesTest {

    @Test
    void reviewForgetsItsBooksPages_only() {
        try (Database db = Database.open("temp:")) {
            TransactionManager tm = db.transactionManager();
            Pages site = new Pages(db);
            try (Connection conn = db.open()) {
                Library lib = Library.in(conn);
                Author a = lib.addAuthor("herbert", "Frank Herbert", 1920);
                lib.addBook("dune", "Dune", a, LocalDate.of(1965, 8, 1));
                lib.addBook("other", "Other", lib.addAuthor("x", "X", 1950), LocalDate.of(1970, 1, 1));
                User ada = lib.addUser("ada", "ada@example.org", Instant.EPOCH);
                tm.commit();

                String dune = site.bookPage(lib, "dune", ada);
                String other = site.bookPage(lib, "other", ada);
                site.authorPage(lib, "herbert", ada);
                assertThat(site.bookPage(lib, "dune", ada)).isEqualTo(dune);
                long rendered = site.report().rendered();

                lib.review(ada, lib.book("dune"), 5, "Spice.", Instant.now());
                tm.commit();

                assertThat(site.bookPage(lib, "dune", ada)).contains("Spice.").contains("1 reviews");
                assertThat(site.bookPage(lib, "other", ada))
                        .isNotEqualTo(other)
                        .contains("1 reviews"); // the header changed, the page not
                assertThat(site.authorPage(lib, "herbert", ada)).contains("5.0 stars");
                // dune's page, ada's header, herbert's page rendered again; "other" came from the cache
                assertThat(site.report().rendered()).isEqualTo(rendered + 3);
                tm.abort();
            }
        }
    }
}
