package org.cairndb.examples;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.cairndb.client.Connection;
import org.cairndb.client.Persistent;
import org.cairndb.client.btree.BTreeMap;
import org.cairndb.client.btree.BTreeSet;
import org.cairndb.client.collections.Counter;
import org.cairndb.client.collections.TimeBucketedCounter;

/**
 * The lovely-books site's root object: users, authors, books, reviews, tags and view
 * counts. Large collections are BTrees (a bucket per record, loaded lazily); the review
 * count is a Counter and views a TimeBucketedCounter, so many writers can add reviews and count
 * views at once without conflicts.
 */
public class Library extends Persistent {
    public static final String ROOT_KEY = "lovely-books";

    private BTreeMap<String, User> users = new BTreeMap<>();
    private BTreeMap<String, Author> authors = new BTreeMap<>();
    private BTreeMap<String, Book> books = new BTreeMap<>();
    private BTreeMap<String, BTreeSet<String>> booksByTag = new BTreeMap<>();
    /** Reviews in time order: key is "time-in-nanos:sequence", so concurrent writers append. */
    private BTreeMap<String, Review> recentReviews = new BTreeMap<>();

    private Counter reviewCount = new Counter();
    private TimeBucketedCounter<String> views = new TimeBucketedCounter<>();

    /** The library stored under the connection's root, created there if missing. */
    public static Library in(Connection conn) {
        return conn.root(ROOT_KEY, Library.class, Library::new);
    }

    public User addUser(String name, String email, Instant joined) {
        User u = new User(name, email, joined);
        if (users.putIfAbsent(name, u) != null)
            throw new IllegalArgumentException("user '" + name + "' exists already");
        return u;
    }

    public Author addAuthor(String id, String name, int born) {
        Author a = new Author(id, name, born);
        if (authors.putIfAbsent(id, a) != null)
            throw new IllegalArgumentException("author '" + id + "' exists already");
        return a;
    }

    public Book addBook(String id, String title, Author author, LocalDate published, String... tags) {
        Book b = new Book(id, title, author, published);
        if (books.putIfAbsent(id, b) != null) throw new IllegalArgumentException("book '" + id + "' exists already");
        author.addBook(b);
        for (String t : tags) tag(b, t);
        return b;
    }

    public void tag(Book book, String tag) {
        if (!book.addTag(tag)) return;
        BTreeSet<String> ids = booksByTag.get(tag);
        if (ids == null) {
            ids = new BTreeSet<>();
            booksByTag.put(tag, ids);
        }
        ids.add(book.id());
    }

    public Review review(User user, Book book, int stars, String text, Instant time) {
        Review r = new Review(user, book, stars, text, time);
        book.addReview(r);
        user.reviews().add(r);
        long seq = reviewCount.get() + 1;
        reviewCount.increment();
        recentReviews.put(
                String.format("%020d:%s:%d", time.getEpochSecond() * 1_000_000_000L + time.getNano(), user.name(), seq),
                r);
        return r;
    }

    /** Counts one view of a book now: never conflicts with other viewers. */
    public void view(Book book) {
        views.count(book.id());
    }

    public void view(String bookId, Instant when, long n) {
        views.count(bookId, when, n);
    }

    public User user(String name) {
        return users.get(name);
    }

    public Author author(String id) {
        return authors.get(id);
    }

    public Book book(String id) {
        return books.get(id);
    }

    public List<Book> booksTagged(String tag) {
        List<Book> out = new ArrayList<>();
        BTreeSet<String> ids = booksByTag.get(tag);
        if (ids != null) for (String id : ids) out.add(books.get(id));
        return out;
    }

    /** Reviews written in [from, to), oldest first. */
    public List<Review> reviewsBetween(Instant from, Instant to) {
        List<Review> out = new ArrayList<>();
        String lo = String.format("%020d", from.getEpochSecond() * 1_000_000_000L + from.getNano());
        String hi = String.format("%020d", to.getEpochSecond() * 1_000_000_000L + to.getNano());
        for (Map.Entry<String, Review> e : recentReviews.range(lo, hi)) out.add(e.getValue());
        return out;
    }

    /** The most viewed books in [from, to), most first. */
    public List<Map.Entry<Book, Long>> mostViewed(Instant from, Instant to, int limit) {
        List<Map.Entry<Book, Long>> out = new ArrayList<>();
        for (Map.Entry<String, Long> e : views.mostCounted(from, to, limit))
            out.add(Map.entry(books.get(e.getKey()), e.getValue()));
        return out;
    }

    public long views(Book book) {
        return views.total(book.id());
    }

    public long bookCount() {
        return books.longSize();
    }

    public long userCount() {
        return users.longSize();
    }

    public long authorCount() {
        return authors.longSize();
    }

    public long reviewCount() {
        return reviewCount.get();
    }

    /** All views ever counted (and not dropped). */
    public long totalViews() {
        long n = 0;
        for (Map.Entry<Book, Long> e : mostViewed(Instant.EPOCH, Instant.MAX, Integer.MAX_VALUE)) n += e.getValue();
        return n;
    }

    public Iterable<Book> books() {
        return books.values();
    }

    public Iterable<String> bookIds() {
        return books.keySet();
    }
}
