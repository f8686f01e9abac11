package org.cairndb.migrate.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.cairndb.migrate.TestHistories;
import org.cairndb.storage.CorruptDataException;
import org.cairndb.storage.TransactionRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ExportFormatTest {

    static byte[] export(List<TransactionRecord> txns, boolean compress, int blockBytes) {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (ExportWriter w = new ExportWriter(bos, "test", "mem:", 42, compress, blockBytes)) {
            txns.forEach(w::write);
            w.finish();
        }
        return bos.toByteArray();
    }

    /** Reads as far as possible: the transactions read, and the error that ended it (or null). */
    static List<TransactionRecord> readAll(byte[] file, CorruptDataException[] error) {
        List<TransactionRecord> out = new ArrayList<>();
        try (ExportReader r = new ExportReader(new ByteArrayInputStream(file), "test")) {
            while (r.hasNext()) out.add(r.next());
        } catch (CorruptDataException e) {
            error[0] = e;
        }
        return out;
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void writeThenRead_randomHistory_isEqual(boolean compress) {
        List<TransactionRecord> txns = TestHistories.random(7, 300, 20);
        byte[] file = export(txns, compress, 4096);
        CorruptDataException[] err = {null};
        assertThat(readAll(file, err)).isEqualTo(txns);
        assertThat(err[0]).isNull();
    }

    @Test
    void header_recordsSource() {
        byte[] file = export(TestHistories.random(1, 3, 2), true, 4096);
        try (ExportReader r = new ExportReader(new ByteArrayInputStream(file), "test")) {
            assertThat(r.sourceName()).isEqualTo("mem:");
            assertThat(r.sourceLastTid()).isEqualTo(42);
            assertThat(r.version()).isEqualTo(1);
        }
    }

    @Test
    void compression_shrinksRepetitiveRecords() {
        List<TransactionRecord> txns = TestHistories.random(3, 500, 10);
        assertThat(export(txns, true, 1 << 20).length).isLessThan(export(txns, false, 1 << 20).length * 4 / 5);
    }

    @Test
    void truncated_atManyOffsets_reportsOffsetAndKeepsOnlyWholePrefix() {
        List<TransactionRecord> txns = TestHistories.random(11, 25, 5);
        byte[] file = export(txns, true, 1024);
        for (int cut = 0; cut < file.length; cut += 1 + cut % 9) {
            CorruptDataException[] err = {null};
            List<TransactionRecord> got = readAll(Arrays.copyOf(file, cut), err);
            assertThat(err[0]).as("cut at %d of %d", cut, file.length).isNotNull();
            assertThat(err[0].getMessage()).contains("byte offset").contains("expected");
            assertThat(got).isEqualTo(txns.subList(0, got.size()));
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void flippedByte_atManyOffsets_isDetected(boolean compress) {
        List<TransactionRecord> txns = TestHistories.random(5, 20, 4);
        byte[] file = export(txns, compress, 1024);
        Random rnd = new Random(1);
        for (int at = 0; at < file.length; at += 1 + at % 4) {
            byte[] bad = file.clone();
            bad[at] ^= (byte) (1 << rnd.nextInt(8));
            CorruptDataException[] err = {null};
            List<TransactionRecord> got = readAll(bad, err);
            assertThat(err[0]).as("flip at %d of %d", at, file.length).isNotNull();
            assertThat(err[0].getMessage()).contains("byte offset");
            assertThat(got).isEqualTo(txns.subList(0, got.size()));
        }
    }

    @Test
    void flippedByte_insideFrame_namesFrameOffset() {
        List<TransactionRecord> txns = TestHistories.random(5, 5, 3);
        byte[] file = export(txns, false, 1 << 20);
        // uncompressed: header (22 + 4 name + 4 crc = 30), block header 17, then the first frame
        byte[] bad = file.clone();
        int firstFrameBody = 30 + 17 + 8;
        bad[firstFrameBody + 3] ^= 1;
        // the block checksum catches it first; fix the block checksum to reach the frame check
        int storedLength = ExportFormat.getInt(bad, 31);
        ExportFormat.putInt(bad, 30 + 13, ExportFormat.crc32c(bad, 30 + 17, storedLength));
        CorruptDataException[] err = {null};
        readAll(bad, err);
        assertThat(err[0].getMessage())
                .contains("in the block at byte offset 30")
                .contains("offset 4 of its uncompressed data")
                .contains("frame checksum");
    }

    @Test
    void wrongMagic_isRefusedAtOffsetZero() {
        byte[] file = export(TestHistories.random(1, 2, 2), true, 4096);
        file[0] = 'X';
        assertThatThrownBy(() -> new ExportReader(new ByteArrayInputStream(file), "f.export"))
                .isInstanceOf(CorruptDataException.class)
                .hasMessageContaining("at byte offset 0")
                .hasMessageContaining("CAIRNEXP");
    }

    @Test
    void newerVersion_isRefusedWithAdvice() {
        byte[] file = export(TestHistories.random(1, 2, 2), true, 4096);
        file[9] = 2;
        assertThatThrownBy(() -> new ExportReader(new ByteArrayInputStream(file), "f.export"))
                .hasMessageContaining("version 2")
                .hasMessageContaining("Cairn release that wrote");
    }
}
