package org.cairndb.migrate;

import java.nio.file.Path;
import org.cairndb.migrate.format.ExportReader;
import org.cairndb.migrate.zodb.FileStorageReader;
import org.cairndb.storage.Storage;
import org.cairndb.storage.StorageMisuseException;
import org.cairndb.storage.Tid;

/**
 * Reads an export file or a ZODB FileStorage into a storage, in batches through
 * {@link org.cairndb.storage.BulkRestore} (COPY on PostgreSQL) when the storage has it.
 *
 * <p>Every transaction is checked whole (checksums, layout) before it is written, so a
 * damaged or truncated file leaves the destination with only whole transactions: the
 * intact ones before the damage. The error names the byte offset and what was expected.
 * What ZODB itself reads with a logged warning (a pack's prev = 0 pointers) is imported, and
 * the result's {@link TransferResult#warnings()} say what and where.
 * With {@code incremental}, transactions the destination already holds (tid &lt;= its last
 * tid) are read and skipped, so an interrupted import can be run again.
 */
public final class Importer {
    private Importer() {}

    public static TransferResult importFile(Path in, FileFormat format, Storage to, TransferOptions options) {
        long destLast = to.lastTid();
        if (destLast != Tid.ZERO && !options.incremental()) {
            throw new StorageMisuseException("destination " + to.name() + " is not empty (last tid " + Tid.describe(destLast)
                    + "); import into an empty storage, or pass --incremental to continue an earlier import of this file");
        }
        StorageSink sink = new StorageSink(to, options.batchRecords());
        switch (format) {
            case CAIRN -> {
                long size = in.toFile().length();
                try (ExportReader r = ExportReader.open(in)) {
                    return Transfer.run(r, sink, options, destLast, tid -> size <= 0 ? -1 : (double) r.position() / size);
                }
            }
            case ZODB_FILESTORAGE -> {
                try (FileStorageReader r = FileStorageReader.open(in)) {
                    return Transfer.run(r, sink, options, destLast, tid -> (double) r.position() / r.size(), r::warnings);
                }
            }
            default -> throw new IllegalArgumentException("unknown format " + format);
        }
    }
}
