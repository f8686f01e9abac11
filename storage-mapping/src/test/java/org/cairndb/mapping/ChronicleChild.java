package org.cairndb.mapping;

import java.nio.file.Path;
import org.cairndb.storage.Storage;
import org.cairndb.storage.StorageException;
import org.cairndb.storage.StorageTransaction;
import org.cairndb.storage.Tid;
import org.cairndb.storage.TransactionMetadata;
import org.cairndb.storage.conformance.Records;
import org.cairndb.storage.uri.Storages;

/**
 * The child JVM of {@link ChronicleJvmTest}: opens {@code mem:} and {@code mem:DIR/child.cairn}
 * through {@link Storages}, commits a record into each and reads it back, then prints
 * {@code OK}; a {@link StorageException} is printed as {@code ERROR message} (exit 3).
 *
 * <p>Args: a directory for the persisted file.
 */
public final class ChronicleChild {
    private ChronicleChild() {}

    public static void main(String[] args) {
        Path dir = Path.of(args[0]);
        try {
            for (String uri : new String[] {"mem:?entries=1000", "mem:" + dir.resolve("child.cairn")}) {
                try (Storage s = Storages.open(uri)) {
                    long oid = s.newOids(1)[0];
                    StorageTransaction t = s.begin(TransactionMetadata.of("child", "one record"));
                    t.store(oid, Tid.ZERO, Records.counter(42));
                    t.vote();
                    t.finish();
                    long value = Records.counterValue(s.load(oid).data());
                    if (value != 42) throw new IllegalStateException(uri + ": read back " + value);
                }
            }
            System.out.println("OK");
        } catch (StorageException e) {
            System.out.println("ERROR " + e.getMessage());
            System.exit(3);
        }
    }
}
