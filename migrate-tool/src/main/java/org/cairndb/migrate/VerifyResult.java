package org.cairndb.migrate;

/**
 * The outcome of {@link Verifier}: equal with a digest of what was compared, or the first
 * difference found.
 *
 * @param equal        true when no difference was found
 * @param digest       SHA-256 (hex) over everything compared, in order; the same for both sides when equal
 * @param difference   the first difference, described for a person; null when equal
 * @param transactions transactions compared (0 in current-state mode)
 * @param records      records (full mode) or objects (current-state mode) compared
 */
public record VerifyResult(boolean equal, String digest, String difference, long transactions, long records) {
    @Override
    public String toString() {
        return equal
                ? "equal: "
                        + (transactions > 0
                                ? transactions + " transactions, " + records + " records"
                                : records + " objects")
                        + ", sha256 " + digest
                : "different: " + difference;
    }
}
