package org.cairndb.mapping;

import java.nio.file.Path;
import org.cairndb.storage.StorageTransaction;
import org.cairndb.storage.Tid;
import org.cairndb.storage.TransactionMetadata;
import org.cairndb.storage.conformance.Records;

/**
 * The child JVM of {@link MappingCrashTest}: opens {@code mem:/file}, then commits forever
 * transactions that each write the same counter value into oids 1..N, printing
 * {@code FINISHED v} after finish returned. It never stops by itself: the parent kills it
 * with SIGKILL.
 *
 * <p>Args: file, N, first value.
 */
public final class CrashChild {
    private CrashChild() {}

    public static void main(String[] args) {
        Path file = Path.of(args[0]);
        int n = Integer.parseInt(args[1]);
        long value = Long.parseLong(args[2]);
        MappingStorage s = MappingStorage.persisted("crash-child", file, 10_000, 64);
        System.out.println("READY " + s.lastTid());
        System.out.flush();
        var h = s.history(1, 1);
        long readTid = h.isEmpty() ? Tid.ZERO : h.get(0).tid(); // every record carries the same tid
        while (true) {
            StorageTransaction t = s.begin(TransactionMetadata.of("child", "value " + value));
            for (long oid = 1; oid <= n; oid++) t.store(oid, readTid, Records.counter(value));
            t.vote();
            readTid = t.finish();
            System.out.println("FINISHED " + value);
            System.out.flush();
            value++;
        }
    }
}
