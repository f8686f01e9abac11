package org.cairndb.migrate;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.cairndb.migrate.format.ExportWriter;
import org.cairndb.migrate.zodb.FileStorageWriter;
import org.cairndb.storage.CloseableIterator;
import org.cairndb.storage.Oid;
import org.cairndb.storage.RecordHeader;
import org.cairndb.storage.Revision;
import org.cairndb.storage.Storage;
import org.cairndb.storage.StorageException;
import org.cairndb.storage.StorageMisuseException;
import org.cairndb.storage.Tid;
import org.cairndb.storage.TransactionRecord;

/**
 * Writes every transaction of a storage, as of its last tid when the export starts, to a
 * file: Cairn's export format or a ZODB FileStorage. Memory stays flat (one block or one
 * transaction at a time). A FileStorage export first checks every transaction fits the
 * format (each metadata field at most 65,535 bytes) and refuses before creating the file if
 * one does not. From a storage that keeps only the current state every transaction is
 * written packed ({@link CurrentStateAsPacked}). A stopped export still ends with a valid file that holds every
 * transaction up to the last one written, which the result names. An export that fails
 * removes its partial file, so no file that looks like an export but is not one is left.
 * A ZODB FileStorage is for Python ZODB, which reads pickles: a record of Cairn's object
 * layer is refused unless the caller allows foreign records.
 */
public final class Exporter {
    private Exporter() {}

    public static TransferResult export(Storage from, Path out, FileFormat format, TransferOptions options) {
        return export(from, out, format, options, false);
    }

    /**
     * @param allowForeignRecords for a ZODB FileStorage: write records of Cairn's object layer
     *        (Kryo, not pickles) too, although Python ZODB cannot load them. Without it such a
     *        record stops the export with an error saying why, and no file is left.
     */
    public static TransferResult export(
            Storage from, Path out, FileFormat format, TransferOptions options, boolean allowForeignRecords) {
        long endTid = from.lastTid();
        if (format == FileFormat.ZODB_FILESTORAGE) checkWritableAsFileStorage(from, endTid, options);
        boolean created = false;
        CloseableIterator<TransactionRecord> source = CurrentStateAsPacked.of(from, from.iterator(Tid.ZERO, endTid));
        if (format == FileFormat.ZODB_FILESTORAGE && !allowForeignRecords) source = picklesOnly(source, from.name());
        try (CloseableIterator<TransactionRecord> it = source) {
            switch (format) {
                case CAIRN -> {
                    try (ExportWriter w =
                            ExportWriter.create(out, org.cairndb.storage.uri.Secrets.mask(from.name()), endTid, true)) {
                        created = true;
                        TransferResult r = Transfer.run(it, sink(w::write), options, Tid.ZERO, Transfer.byTid(endTid));
                        w.finish();
                        return r;
                    }
                }
                case ZODB_FILESTORAGE -> {
                    try (FileStorageWriter w = FileStorageWriter.create(out, false)) {
                        created = true;
                        return Transfer.run(it, sink(w::write), options, Tid.ZERO, Transfer.byTid(endTid));
                    }
                }
                default -> throw new IllegalArgumentException("unknown format " + format);
            }
        } catch (RuntimeException e) {
            if (created) {
                try {
                    Files.deleteIfExists(out);
                } catch (IOException cannot) {
                    e.addSuppressed(cannot);
                }
                throw new StorageException(
                        "export of " + from.name() + " to " + out + " failed; the partial file was removed: "
                                + e.getMessage(),
                        e);
            }
            throw e;
        }
    }

    /**
     * Refuses, before the file is created, a storage holding a transaction FileStorage cannot
     * store (a user, description or extension over 65,535 bytes, which a Cairn-native database
     * may have): one pass over the transactions, naming the first such transaction and field.
     */
    private static void checkWritableAsFileStorage(Storage from, long endTid, TransferOptions options) {
        try (CloseableIterator<TransactionRecord> it = from.iterator(Tid.ZERO, endTid)) {
            while (it.hasNext() && !options.stop().isStopRequested()) {
                try {
                    FileStorageWriter.checkWritable(it.next());
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(
                            "cannot export " + from.name() + " as a ZODB FileStorage, nothing was written: "
                                    + e.getMessage(),
                            e);
                }
            }
        }
    }

    /** Refuses, at the first one, a record of Cairn's object layer on its way into a ZODB FileStorage. */
    private static CloseableIterator<TransactionRecord> picklesOnly(
            CloseableIterator<TransactionRecord> it, String name) {
        return new CloseableIterator<>() {
            public boolean hasNext() {
                return it.hasNext();
            }

            public TransactionRecord next() {
                TransactionRecord t = it.next();
                for (Revision r : t.revisions()) {
                    if (RecordHeader.isCairnRecord(r.data())) {
                        throw new StorageMisuseException(
                                "object " + Oid.describe(r.oid()) + " (class " + RecordHeader.classNameOf(r.data())
                                        + ", transaction " + Tid.describe(t.tid()) + ") of " + name
                                        + " was written by Cairn's object layer (Kryo, not a"
                                        + " Python pickle): Python ZODB cannot load it from a Data.fs. Export with --format cairn, or pass"
                                        + " --allow-foreign-records to write such records anyway");
                    }
                }
                return t;
            }

            public void close() {
                it.close();
            }
        };
    }

    private static TransactionSink sink(java.util.function.Consumer<TransactionRecord> write) {
        return new TransactionSink() {
            public void accept(TransactionRecord t) {
                write.accept(t);
            }

            public void flush() {}
        };
    }
}
