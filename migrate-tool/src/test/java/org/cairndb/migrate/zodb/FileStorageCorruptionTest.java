package org.cairndb.migrate.zodb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.cairndb.migrate.Manifest;
import org.cairndb.storage.CorruptDataException;
import org.cairndb.storage.TransactionRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** small.fs: first txn at 4 (tlen 154, dlen 25, one data record at 52), second txn at 166. */
class FileStorageCorruptionTest {
    static byte[] original;
    static List<TransactionRecord> all;
    static List<Long> boundaries = new ArrayList<>();

    @TempDir
    Path dir;

    @BeforeAll
    static void load() throws Exception {
        original = Files.readAllBytes(Manifest.FIXTURES.resolve("small.fs"));
        all = new ArrayList<>();
        try (FileStorageReader r = FileStorageReader.open(Manifest.FIXTURES.resolve("small.fs"))) {
            boundaries.add(r.position());
            while (r.hasNext()) {
                all.add(r.next());
                boundaries.add(r.position());
            }
        }
    }

    List<TransactionRecord> read(byte[] content, CorruptDataException[] err) throws Exception {
        Path p = Files.createTempFile(dir, "c", ".fs");
        Files.write(p, content);
        List<TransactionRecord> out = new ArrayList<>();
        try (FileStorageReader r = FileStorageReader.open(p)) {
            while (r.hasNext()) out.add(r.next());
        } catch (CorruptDataException e) {
            err[0] = e;
        }
        return out;
    }

    @Test
    void truncated_atManyOffsets_isReportedUnlessAtTransactionBoundary() throws Exception {
        for (int cut = 0; cut < original.length; cut += 1 + (cut * 7919) % 797) {
            CorruptDataException[] err = {null};
            List<TransactionRecord> got = read(Arrays.copyOf(original, cut), err);
            assertThat(got).isEqualTo(all.subList(0, got.size()));
            if (boundaries.contains((long) cut)) {
                assertThat(err[0]).as("cut at boundary %d", cut).isNull();
            } else {
                assertThat(err[0]).as("cut at %d", cut).isNotNull();
                assertThat(err[0].getMessage()).contains("byte offset").contains("expected");
            }
        }
    }

    @Test
    void flippedHeaderBytes_ofEveryTransaction_areReportedWithOffset() throws Exception {
        // every header byte but the ones whose any value is valid (tid low bytes can still increase; ulen etc. are
        // checked by tlen)
        for (int i = 0; i < boundaries.size() - 1; i += 5) {
            long tpos = boundaries.get(i);
            for (int field : new int[] {8, 15, 16}) { // tlen high byte, tlen low byte, status
                byte[] bad = original.clone();
                bad[(int) tpos + field] ^= 0x40;
                CorruptDataException[] err = {null};
                List<TransactionRecord> got = read(bad, err);
                assertThat(err[0]).as("txn at %d field %d", tpos, field).isNotNull();
                assertThat(got).isEqualTo(all.subList(0, got.size()));
            }
        }
    }

    @Test
    void wrongMagic_saysWhatWasExpected() throws Exception {
        byte[] bad = original.clone();
        bad[2] = '4';
        CorruptDataException[] err = {null};
        read(bad, err);
        assertThat(err[0].getMessage())
                .contains("at byte offset 0")
                .contains("FS30")
                .contains("46533430");
    }

    @Test
    void trailerMismatch_namesTrailerOffset() throws Exception {
        byte[] bad = original.clone();
        bad[158 + 7] ^= 1; // first txn's redundant length at 4 + 154
        CorruptDataException[] err = {null};
        assertThat(read(bad, err)).isEmpty();
        assertThat(err[0].getMessage()).contains("at byte offset 158").contains("redundant transaction length 154");
    }

    @Test
    void dataRecordTloc_wrong_isReported() throws Exception {
        byte[] bad = original.clone();
        bad[52 + 24 + 7] ^= 1; // tloc of the first data record
        CorruptDataException[] err = {null};
        read(bad, err);
        assertThat(err[0].getMessage()).contains("at byte offset 76").contains("enclosing transaction's offset 4");
    }

    @Test
    void prevPointer_wrong_isReported() throws Exception {
        byte[] bad = original.clone();
        // first record of txn 2 (at 166 + 23 + user/desc/ext) is oid 0 whose prev must be 52
        long tpos = boundaries.get(1);
        int ulen = ((original[(int) tpos + 17] & 0xFF) << 8) | (original[(int) tpos + 18] & 0xFF);
        int dlen = ((original[(int) tpos + 19] & 0xFF) << 8) | (original[(int) tpos + 20] & 0xFF);
        int elen = ((original[(int) tpos + 21] & 0xFF) << 8) | (original[(int) tpos + 22] & 0xFF);
        int rpos = (int) tpos + 23 + ulen + dlen + elen;
        bad[rpos + 16 + 7] ^= 2;
        CorruptDataException[] err = {null};
        List<TransactionRecord> got = read(bad, err);
        assertThat(got).hasSize(1);
        assertThat(err[0].getMessage())
                .contains("at byte offset " + (rpos + 16))
                .contains("prev pointer 52");
    }

    @Test
    void prevPointer_zeroWhereTheOidHasAnEarlierRecord_isReadWithZodbsWarning() throws Exception {
        byte[] cut = original.clone();
        long tpos = boundaries.get(1);
        int rpos = (int) tpos
                + 23
                + ((original[(int) tpos + 17] & 0xFF) << 8 | (original[(int) tpos + 18] & 0xFF))
                + ((original[(int) tpos + 19] & 0xFF) << 8 | (original[(int) tpos + 20] & 0xFF))
                + ((original[(int) tpos + 21] & 0xFF) << 8 | (original[(int) tpos + 22] & 0xFF));
        Arrays.fill(cut, rpos + 16, rpos + 24, (byte) 0); // ZODB logs a warning here and reads on
        Path p = Files.createTempFile(dir, "cut", ".fs");
        Files.write(p, cut);
        try (FileStorageReader r = FileStorageReader.open(p)) {
            List<TransactionRecord> got = new ArrayList<>();
            r.forEachRemaining(got::add);
            assertThat(got).isEqualTo(all);
            assertThat(r.warnings())
                    .singleElement()
                    .asString()
                    .contains("1 data record with prev pointer 0")
                    .contains("offset " + rpos);
        }
    }

    @Test
    void checkpointTransactionAtEnd_isDroppedAsZodbDoes() throws Exception {
        byte[] bad = original.clone();
        long lastTxn = boundaries.get(boundaries.size() - 2);
        bad[(int) lastTxn + 16] = 'c';
        Path p = dir.resolve("ckpt.fs");
        Files.write(p, bad);
        try (FileStorageReader r = FileStorageReader.open(p)) {
            int n = 0;
            while (r.hasNext()) {
                r.next();
                n++;
            }
            assertThat(n).isEqualTo(all.size() - 1);
            assertThat(r.droppedCheckpointAt()).isEqualTo(lastTxn);
        }
        byte[] mid = original.clone();
        mid[(int) (long) boundaries.get(3) + 16] = 'c';
        CorruptDataException[] err = {null};
        assertThat(read(mid, err)).hasSize(3);
        assertThat(err[0].getMessage()).contains("checkpoint 'c' may only be the last");
    }

    @Test
    void writer_refusesNonIncreasingTidAndOversizedUser() {
        Path out = dir.resolve("w.fs");
        try (FileStorageWriter w = FileStorageWriter.create(out, false)) {
            w.write(all.get(1));
            assertThatThrownBy(() -> w.write(all.get(0))).hasMessageContaining("not after the last one written");
            TransactionRecord t = all.get(2);
            TransactionRecord big = new TransactionRecord(
                    t.tid(),
                    false,
                    new org.cairndb.storage.TransactionMetadata("u".repeat(70_000), "", new byte[0]),
                    t.revisions());
            assertThatThrownBy(() -> w.write(big)).hasMessageContaining("user takes 70000 bytes");
        }
        assertThatThrownBy(() -> FileStorageWriter.create(out, false)).hasMessageContaining("already exists");
    }
}
