package org.cairndb.migrate;

import java.nio.file.Path;
import org.cairndb.migrate.format.ExportReader;
import org.cairndb.migrate.zodb.FileStorageReader;
import org.cairndb.storage.Storage;
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
 * tid) are read and skipped, so an interrupted import can be run again; a destination that
 * is not a prefix of the file is refused ({@link Resume}).
 */
public final class Importer {
    private Importer() {}

    public static TransferResult importFile(Path in, FileFormat format, Storage to, TransferOptions options) {
        Resume resume = Resume.of("import", to, options.incremental());
        long destLast = resume.skipThrough();
        StorageSink sink = new StorageSink(to, options.batchRecords());
        switch (format) {
            case CAIRN -> {
                long size = in.toFile().length();
                try (ExportReader r = ExportReader.open(in)) {
                    // by tid up to the last one the header names: the file is read a compressed block at a time, so its
                    // position is coarse
                    java.util.function.LongToDoubleFunction share = r.sourceLastTid() != Tid.ZERO
                            ? Transfer.byTid(r.sourceLastTid())
                            : tid -> size <= 0 ? -1 : (double) r.position() / size;
                    return Transfer.run(resume.check(r, in.toString(), true), sink, options, destLast, share);
                }
            }
            case ZODB_FILESTORAGE -> {
                try (FileStorageReader r = FileStorageReader.open(in)) {
                    return Transfer.run(
                            resume.check(r, in.toString(), true),
                            sink,
                            options,
                            destLast,
                            tid -> (double) r.position() / r.size(),
                            r::warnings);
                }
            }
            default -> throw new IllegalArgumentException("unknown format " + format);
        }
    }
}
