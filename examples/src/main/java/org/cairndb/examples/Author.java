package org.cairndb.examples;

import java.util.ArrayList;
import java.util.List;
import org.cairndb.client.Persistent;

/** A writer of books. Its book list is a plain list changed in place, so it calls {@code changed()}. */
public class Author extends Persistent {
    private String id;
    private String name;
    private int born;
    private List<Book> books = new ArrayList<>();

    public Author(String id, String name, int born) {
        this.id = id;
        this.name = name;
        this.born = born;
    }

    public String id() { activate(); return id; }
    public String name() { activate(); return name; }
    public int born() { activate(); return born; }
    public List<Book> books() { activate(); return List.copyOf(books); }

    void addBook(Book b) {
        activate();
        books.add(b);
        changed(); // in-place change of a plain list: say so
    }

    @Override
    public String toString() { return name(); }
}
