package org.cairndb.storage;

/** What a pack removed. */
public record PackResult(long removedRevisions, long removedObjects, long keptObjects) {}
