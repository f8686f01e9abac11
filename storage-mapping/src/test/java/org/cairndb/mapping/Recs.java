package org.cairndb.mapping;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.cairndb.storage.RecordHeader;
import org.cairndb.storage.Storage;
import org.cairndb.storage.StorageTransaction;
import org.cairndb.storage.TransactionMetadata;
import org.cairndb.storage.conflict.ConflictResolver;

/** Records and steps for this module's own tests. */
final class Recs {
    static final String OBJ = "org.cairndb.mapping.test.Obj";
    static final String COUNTER = "org.cairndb.mapping.test.Counter";

    private Recs() {}

    static byte[] obj(String text, long... refs) {
        return new RecordHeader(OBJ, refs).encode(text.getBytes(StandardCharsets.UTF_8));
    }

    static String text(byte[] rec) {
        return new String(RecordHeader.body(rec), StandardCharsets.UTF_8);
    }

    static byte[] counter(long v) {
        return new RecordHeader(COUNTER, new long[0]).encode(ByteBuffer.allocate(8).putLong(v).array());
    }

    static long value(byte[] rec) {
        return ByteBuffer.wrap(RecordHeader.body(rec)).getLong();
    }

    /** committed + mine - ancestor; declines without an ancestor. */
    static final ConflictResolver COUNTER_RESOLVER = new ConflictResolver() {
        @Override
        public boolean handles(String className) {
            return COUNTER.equals(className);
        }

        @Override
        public byte[] resolve(long oid, String className, byte[] ancestor, byte[] committed, byte[] mine) {
            if (ancestor == null) return null;
            return counter(value(committed) + value(mine) - value(ancestor));
        }
    };

    static long commit(Storage s, long oid, long readTid, byte[] data) {
        StorageTransaction t = s.begin(TransactionMetadata.of("test", "store " + oid));
        t.store(oid, readTid, data);
        t.vote();
        return t.finish();
    }
}
