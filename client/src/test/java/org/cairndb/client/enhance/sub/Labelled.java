package org.cairndb.client.enhance.sub;

import org.cairndb.client.Persistent;

/** A persistent base class with a protected field, used by a subclass in another package. */
public abstract class Labelled extends Persistent {
    protected String label;
}
