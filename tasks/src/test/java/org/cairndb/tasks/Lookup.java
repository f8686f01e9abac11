package org.cairndb.tasks;

/** A test payload: an "external lookup" of a book by ISBN. */
public final class Lookup {
    String isbn;

    public Lookup() {}

    public Lookup(String isbn) {
        this.isbn = isbn;
    }

    public String isbn() {
        return isbn;
    }

    @Override
    public String toString() {
        return "Lookup[" + isbn + "]";
    }
}
