package org.cairndb.examples;

import java.time.Instant;
import org.cairndb.client.Persistent;
import org.cairndb.client.collections.PersistentList;

/** A reader of the site. */
public class User extends Persistent {
    private String name;
    private String email;
    private Instant joined;
    private PersistentList<Review> reviews = new PersistentList<>();

    public User(String name, String email, Instant joined) {
        this.name = name;
        this.email = email;
        this.joined = joined;
    }

    public String name() {
        return name;
    }

    public String email() {
        return email;
    }

    public void email(String e) {
        email = e;
    }

    public Instant joined() {
        return joined;
    }

    public PersistentList<Review> reviews() {
        return reviews;
    }
}
