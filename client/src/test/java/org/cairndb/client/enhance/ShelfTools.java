package org.cairndb.client.enhance;

/** Another class of the package, using Shelf's package-private fields directly. */
final class ShelfTools {
    private ShelfTools() {}

    static String nameOf(Shelf s) {
        return s.name;
    }

    static void rename(Shelf s, String n) {
        s.name = n;
    }

    static void bump(Shelf s) {
        s.count += 1;
    }
}
