package org.cairndb.client.evolution;

import org.cairndb.client.Persistent;

/** {@link BookV1} renamed with no annotations: the database's registry maps its names. */
public class BookV4 extends Persistent {
    String title;
    long pages;
}
