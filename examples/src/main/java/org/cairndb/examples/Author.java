package org.cairndb.examples;

import java.util.ArrayList;
import java.util.List;
import org.cairndb.client.Persistent;

/**
 * A writer of books. A plain class: the build enhances it (README, "Transparent persistence"), so
 * reading a field loads a ghost and assigning one registers the change. Its book list is a plain
 * list, replaced rather than changed in place: {@code books.add(b)} alone would not be a field
 * write, and would need {@code changed()}.
 */
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

    public String id() {
        return id;
    }

    public String name() {
        return name;
    }

    public int born() {
        return born;
    }

    public List<Book> books() {
        return List.copyOf(books);
    }

    void addBook(Book b) {
        List<Book> more = new ArrayList<>(books);
        more.add(b);
        books = more;
    }

    @Override
    public String toString() {
        return name();
    }
}
