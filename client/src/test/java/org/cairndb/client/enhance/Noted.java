package org.cairndb.client.enhance;

/** What the enhancement tests see of classes compiled while they run (see {@link UnenhancedSources}). */
public interface Noted {
    String text();

    void text(String t);

    Object ref();

    void ref(Object o);
}
