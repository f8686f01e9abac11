package org.cairndb.client.evolution;

import java.util.ArrayList;
import java.util.List;
import org.cairndb.client.Persistent;

/** A class as first written: its records are read by {@link BookV2} after a rename, a field rename and widened types. */
public class BookV1 extends Persistent {
    String name;
    int pages;
    float rating;
    int copies;
    Integer sold;
    short shelfNo;
    String code;
    List<String> tags = new ArrayList<>();
    Object shelf;
    BookV1 sequel;
}
