package org.cairndb.examples;

import java.time.LocalDate;
import java.util.Set;
import java.util.TreeSet;
import org.cairndb.client.Persistent;
import org.cairndb.client.collections.PersistentList;

/** A book: written by an {@link Author}, tagged, reviewed. */
public class Book extends Persistent {
    private String id;
    private String title;
    private Author author;
    private LocalDate published;
    private TreeSet<String> tags = new TreeSet<>();
    private PersistentList<Review> reviews = new PersistentList<>();
    private long starsTotal;
    /** What the external lookup found (null until its job ran). */
    private String externalInfo;

    public Book(String id, String title, Author author, LocalDate published) {
        this.id = id;
        this.title = title;
        this.author = author;
        this.published = published;
    }

    public String id() {
        return id;
    }

    public String title() {
        return title;
    }

    public void title(String t) {
        title = t;
    }

    public Author author() {
        return author;
    }

    public LocalDate published() {
        return published;
    }

    public Set<String> tags() {
        return Set.copyOf(tags);
    }

    public PersistentList<Review> reviews() {
        return reviews;
    }

    public String externalInfo() {
        return externalInfo;
    }

    public void externalInfo(String info) {
        externalInfo = info;
    }

    /** Average stars, or 0 without reviews. */
    public double rating() {
        int n = reviews.size();
        return n == 0 ? 0 : (double) starsTotal / n;
    }

    boolean addTag(String tag) {
        if (tags.contains(tag)) return false;
        TreeSet<String> more = new TreeSet<>(tags); // replaced, not changed in place: the write registers it
        more.add(tag);
        tags = more;
        return true;
    }

    void addReview(Review r) {
        starsTotal += r.stars();
        reviews.add(r);
    }

    @Override
    public String toString() {
        return title() + " (" + author().name() + ")";
    }
}
