package org.cairndb.storage.spi;

import java.util.Map;
import org.cairndb.storage.Storage;

/**
 * A section that a library on the server's class path adds to {@code cairn status} and the
 * server's Prometheus metrics, about the storages it serves (the task queue's depths and
 * latencies, for one). Found with {@link java.util.ServiceLoader}. Sections only read; one
 * that fails is reported as one line and never breaks the status.
 */
public interface StatusSection {
    /** Lines for {@code cairn status} about the storage served as {@code name} (each starting with two spaces), or "". */
    String text(String name, Storage storage);

    /** Prometheus text exposition about every served storage (name → storage), each metric family once, or "". */
    String prometheus(Map<String, Storage> storages);
}
