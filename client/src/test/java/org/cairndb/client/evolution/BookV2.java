package org.cairndb.client.evolution;

import java.util.ArrayList;
import java.util.List;
import org.cairndb.client.FormerName;
import org.cairndb.client.Persistent;

/** {@link BookV1} renamed, with a renamed field and widened types. */
@FormerName("org.cairndb.client.evolution.BookV1")
@FormerName("org.cairndb.client.evolution.BookV0")
public class BookV2 extends Persistent {
    @FormerName("name")
    String title;

    long pages;
    double rating;
    Integer copies;
    long sold;
    int shelfNo;
    String code;
    List<String> tags = new ArrayList<>();
    Object shelf;
    BookV2 sequel;

    public String title() {
        activate();
        return title;
    }

    public void title(String t) {
        changing();
        title = t;
    }
}
