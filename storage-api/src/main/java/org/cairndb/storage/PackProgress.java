package org.cairndb.storage;

/** Called by a long pack from time to time: {@code done} of {@code total} units (total -1 when unknown). */
@FunctionalInterface
public interface PackProgress {
    PackProgress NONE = (phase, done, total) -> {};

    void progress(String phase, long done, long total);
}
