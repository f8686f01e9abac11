package org.cairndb.client.evolution;

import org.cairndb.client.Persistent;

/** {@link BookV1} read with an incompatible field type: {@code code} was a String. */
public class BookV3 extends Persistent {
    String name;
    int code;
}
