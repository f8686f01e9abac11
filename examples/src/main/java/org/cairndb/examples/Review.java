package org.cairndb.examples;

import java.time.Instant;
import org.cairndb.client.Persistent;

/** One user's review of one book. Immutable once written. */
public class Review extends Persistent {
    private User user;
    private Book book;
    private int stars;
    private String text;
    private Instant time;

    public Review(User user, Book book, int stars, String text, Instant time) {
        if (stars < 1 || stars > 5) throw new IllegalArgumentException("stars must be 1..5, was " + stars);
        this.user = user;
        this.book = book;
        this.stars = stars;
        this.text = text;
        this.time = time;
    }

    public User user() {
        return user;
    }

    public Book book() {
        return book;
    }

    public int stars() {
        return stars;
    }

    public String text() {
        return text;
    }

    public Instant time() {
        return time;
    }
}
