package org.cairndb.migrate;

/**
 * Told about the work of a copy, export, import or verify as it goes: after each whole
 * transaction, by the thread doing the work (so an implementation decides from the clock
 * at that moment whether to print, and needs no timer thread).
 */
public interface Progress {
    Progress NONE = new Progress() {
        public void update(long transactions, long records, double fraction) {}

        public void done(TransferResult result) {}
    };

    /**
     * @param transactions whole transactions done so far
     * @param records      records (revisions) done so far
     * @param fraction     estimated share of the work done, 0..1, or -1 when unknown
     */
    void update(long transactions, long records, double fraction);

    /** The work ended (completed or stopped). */
    void done(TransferResult result);
}
