package org.cairndb.examples;

import java.time.LocalDate;
import java.util.TreeSet;
import java.util.Set;
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

    public String id() { activate(); return id; }
    public String title() { activate(); return title; }
    public void title(String t) { changing(); title = t; }
    public Author author() { activate(); return author; }
    public LocalDate published() { activate(); return published; }
    public Set<String> tags() { activate(); return Set.copyOf(tags); }
    public PersistentList<Review> reviews() { activate(); return reviews; }
    public String externalInfo() { activate(); return externalInfo; }
    public void externalInfo(String info) { changing(); externalInfo = info; }

    /** Average stars, or 0 without reviews. */
    public double rating() {
        activate();
        int n = reviews.size();
        return n == 0 ? 0 : (double) starsTotal / n;
    }

    boolean addTag(String tag) {
        activate();
        boolean added = tags.add(tag);
        if (added) changed();
        return added;
    }

    void addReview(Review r) {
        changing();
        starsTotal += r.stars();
        reviews.add(r);
    }

    @Override
    public String toString() { return title() + " (" + author().name() + ")"; }
}
