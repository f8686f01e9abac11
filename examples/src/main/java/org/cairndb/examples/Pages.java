package org.cairndb.examples;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.cairndb.client.Connection;
import org.cairndb.client.Database;
import org.cairndb.client.FragmentCache;
import org.cairndb.client.FragmentKey;
import org.cairndb.client.TransactionManager;

/**
 * The lovely-books web pages, rendered through a fragment cache: a book page, an author page,
 * and on every page a header personalised for the user reading it. Each fragment remembers the
 * objects it read, so a new review forgets the page of its book (and of the book's author, whose
 * page shows ratings) without the application saying so, and nothing else.
 *
 * <pre>{@code
 * FragmentCache pages = db.fragmentCache("pages");
 * String html = pages.get(FragmentKey.of("book", id), () -> renderBook(lib.book(id)));
 * String header = pages.get(FragmentKey.forUser(user.name(), "header"), () -> renderHeader(user));
 * }</pre>
 */
public final class Pages {
    private final FragmentCache pages;
    private final AtomicLong renders = new AtomicLong();
    private final AtomicLong renderNanos = new AtomicLong();

    public Pages(Database db) {
        this.pages = db.fragmentCache("pages");
    }

    /** A book page for {@code user}: the personalised header, then the book's own fragment. */
    public String bookPage(Library lib, String bookId, User user) {
        return header(user)
                + pages.get(FragmentKey.of("book", bookId), () -> timed(() -> renderBook(lib.book(bookId))));
    }

    public String authorPage(Library lib, String authorId, User user) {
        return header(user)
                + pages.get(FragmentKey.of("author", authorId), () -> timed(() -> renderAuthor(lib.author(authorId))));
    }

    private String header(User user) {
        return pages.get(
                FragmentKey.forUser(user.name(), "header"),
                () -> timed(() ->
                        "<header>Hello " + user.name() + " (" + user.reviews().size() + " reviews)</header>"));
    }

    static String renderBook(Book b) {
        StringBuilder html = new StringBuilder("<article><h1>")
                .append(b.title())
                .append("</h1><p>by ")
                .append(b.author().name())
                .append(", ")
                .append(b.published())
                .append(String.format(", %.1f stars</p><ul>", b.rating()));
        for (Review r : b.reviews())
            html.append("<li>")
                    .append(r.stars())
                    .append("* ")
                    .append(r.text())
                    .append(" (")
                    .append(r.user().name())
                    .append(")</li>");
        return html.append("</ul></article>").toString();
    }

    static String renderAuthor(Author a) {
        StringBuilder html = new StringBuilder("<article><h1>")
                .append(a.name())
                .append("</h1><p>born ")
                .append(a.born())
                .append("</p><ul>");
        for (Book b : a.books())
            html.append("<li>").append(b.title()).append(String.format(" %.1f stars</li>", b.rating()));
        return html.append("</ul></article>").toString();
    }

    private String timed(java.util.function.Supplier<String> render) {
        long t0 = System.nanoTime();
        try {
            return render.get();
        } finally {
            renders.incrementAndGet();
            renderNanos.addAndGet(System.nanoTime() - t0);
        }
    }

    /** What serving pages cost and saved: fragments asked for, rendered, and the render time the hits avoided (estimated at the mean). */
    public record Report(long fragments, long rendered, double hitRate, double renderMillis, double savedMillis) {}

    public Report report() {
        FragmentCache.Stats s = pages.stats();
        long asked = s.hits() + s.misses();
        double mean = renders.get() == 0 ? 0 : renderNanos.get() / 1e6 / renders.get();
        return new Report(asked, renders.get(), s.hitRate(), renderNanos.get() / 1e6, (asked - renders.get()) * mean);
    }

    /**
     * Serves {@code requests} random book and author pages to random users, one transaction each;
     * every {@code reviewEvery}-th request writes a review instead (which changes a book: its pages go).
     */
    public static Report serve(Database db, int requests, int reviewEvery) {
        Pages site = new Pages(db);
        TransactionManager tm = db.transactionManager();
        Random rnd = new Random(42);
        try (Connection conn = db.open()) {
            Library lib = Library.in(conn);
            List<String> bookIds = new ArrayList<>();
            for (String id : lib.bookIds()) bookIds.add(id);
            List<User> users = new ArrayList<>();
            tm.abort();
            for (int i = 0; i < requests; i++) {
                String bookId = bookIds.get(
                        (int) Math.min(bookIds.size() - 1, Math.abs(rnd.nextGaussian()) * bookIds.size() / 8));
                String userName = "reader" + rnd.nextInt(3) + "-0"; // a few regulars (every run adds its own)
                tm.begin();
                User user = lib.user(userName);
                if (user == null) user = lib.user("reader0-0");
                if (user == null) {
                    tm.abort();
                    continue;
                }
                if (reviewEvery > 0 && i % reviewEvery == reviewEvery - 1) {
                    lib.review(user, lib.book(bookId), 1 + rnd.nextInt(5), "Read it again.", Instant.now());
                    tm.commit();
                    continue;
                }
                if (rnd.nextInt(4) == 0)
                    site.authorPage(lib, lib.book(bookId).author().id(), user);
                else site.bookPage(lib, bookId, user);
                tm.abort();
            }
        }
        return site.report();
    }
}
