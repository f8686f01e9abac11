package org.cairndb.client.evolution;

/** Inline values, before ({@link Old}) and after ({@link New}) a rename. */
public final class Shelf {
    private Shelf() {}

    public static final class Old {
        String label;

        public Old(String label) {
            this.label = label;
        }
    }

    @org.cairndb.client.FormerName("org.cairndb.client.evolution.Shelf$Old")
    public static final class New {
        @org.cairndb.client.FormerName("label")
        String name;
    }
}
