package org.cairndb.mapping;

import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import org.cairndb.storage.CorruptDataException;
import org.cairndb.storage.Oid;
import org.cairndb.storage.Tid;
import org.cairndb.storage.conformance.Kit;
import org.cairndb.storage.conformance.Records;
import org.junit.jupiter.api.Test;

/**
 * A chunk of a spilled record gone from the file (damaged, or copied in part). Regression: a
 * load took the missing chunk for a concurrent replacement and read again, forever; served
 * over cairn:// with loads on the event loop, one LOAD froze the whole server.
 */
class MissingChunkTest {
    @Test
    void loadOfARecordWithAChunkGone_failsAsCorruptNamingTheOid_insteadOfSpinning() {
        try (MappingStorage s = MappingStorage.inMemory("chunks", 1000, 64)) {
            long oid = s.newOids(1)[0];
            Kit.commit(s, oid, Tid.ZERO, Records.object("x".repeat(200_000)));
            long[] range = RecordCodec.chunkRange(s.store().map.get(oid));
            s.store().chunks().remove(range[0] + 1);
            assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
                assertThatThrownBy(() -> s.load(oid))
                        .isInstanceOf(CorruptDataException.class)
                        .hasMessageContaining("oid " + Oid.describe(oid))
                        .hasMessageContaining("chunk is missing");
                assertThatThrownBy(() -> s.history(oid, 5)).isInstanceOf(CorruptDataException.class);
            });
        }
    }
}
