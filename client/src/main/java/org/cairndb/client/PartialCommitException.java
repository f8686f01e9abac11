package org.cairndb.client;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.cairndb.storage.StorageException;

/**
 * A commit across several mounted storages failed after at least one of them may have
 * committed its part: some mounts hold the transaction, others do not (or nobody can tell).
 * Never retryable: running the work again would apply it twice where it committed. The
 * databases involved are marked unusable ({@link DatabaseHosedException}, as ZODB's "hosed"
 * state) until they are closed and opened again, after the application has repaired or
 * checked the data of the mounts listed.
 */
public final class PartialCommitException extends StorageException {
    /** What became of one mount's part of the transaction. */
    public enum Outcome {
        COMMITTED,
        NOT_COMMITTED,
        UNKNOWN
    }

    private final Map<String, Outcome> outcomes;

    PartialCommitException(String message, Map<String, Outcome> outcomes, Throwable cause) {
        super(message, cause);
        this.outcomes = Collections.unmodifiableMap(new LinkedHashMap<>(outcomes));
    }

    /** Mount name → what became of its part, in the order the parts were finished. */
    public Map<String, Outcome> outcomes() {
        return outcomes;
    }
}
