package org.cairndb.mapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.cairndb.storage.StorageException;
import org.cairndb.storage.StorageTransaction;
import org.cairndb.storage.TransactionMetadata;
import org.cairndb.storage.conformance.Records;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A persisted mem: file reopened after damage or a partial restore (issue 13, item 3): the
 * journal is checked against the map, nothing is "recovered" into wrong data, and no existing
 * file is ever recreated.
 */
class JournalCheckTest {
    @TempDir
    Path dir;

    /** Commits {@code text} to oid 1 (and the root, oid 0, pointing at it); returns the tid. */
    static long commit(MappingStorage s, String text) {
        long oid1 = 1;
        StorageTransaction t = s.begin(TransactionMetadata.of("ann", text));
        long prev0 = 0, prev1 = 0;
        try {
            prev0 = s.load(0).tid();
            prev1 = s.load(oid1).tid();
        } catch (org.cairndb.storage.PosKeyException first) {
            // first commit
        }
        t.store(0, prev0, Records.object("root " + text, oid1));
        t.store(oid1, prev1, Records.object(text));
        t.vote();
        return t.finish();
    }

    @Test
    void newestSlotEmptied_theOlderSlotIsNotRedoneOverTheNewerMap() throws Exception {
        Path f = dir.resolve("a.cairn");
        long last;
        try (MappingStorage s = MappingStorage.persisted("a", f, 1000, 64)) {
            commit(s, "one");
            commit(s, "two");
            last = commit(s, "three"); // seq 3: journal-b
        }
        Files.write(Path.of(f + ".journal-b"), new byte[0]);
        try (MappingStorage s = MappingStorage.persisted("a", f, 1000, 64)) {
            assertThat(s.lastTid()).isEqualTo(last);
            assertThat(Records.text(s.load(1).data())).isEqualTo("three");
            assertThat(Records.text(s.load(0).data())).isEqualTo("root three");
            assertThat(commit(s, "four")).isGreaterThan(last);
        }
    }

    @Test
    void mapOlderThanItsJournal_isRefusedAndLeftAsItIs() throws Exception {
        Path f = dir.resolve("b.cairn");
        Path backup = dir.resolve("b.backup");
        try (MappingStorage s = MappingStorage.persisted("b", f, 1000, 64)) {
            commit(s, "one");
        }
        Files.copy(f, backup);
        try (MappingStorage s = MappingStorage.persisted("b", f, 1000, 64)) {
            commit(s, "two");
            commit(s, "three");
        }
        Files.copy(backup, f, StandardCopyOption.REPLACE_EXISTING);
        assertThatThrownBy(() -> MappingStorage.persisted("b", f, 1000, 64))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining("older than its journal")
                .hasMessageContaining("move the two journal files aside");
        assertThat(Files.mismatch(f, backup)).isEqualTo(-1L);
        // the way out the message gives: the map as it is, without the journal
        Files.move(Path.of(f + ".journal-a"), dir.resolve("aside-a"));
        Files.move(Path.of(f + ".journal-b"), dir.resolve("aside-b"));
        try (MappingStorage s = MappingStorage.persisted("b", f, 1000, 64)) {
            assertThat(Records.text(s.load(1).data())).isEqualTo("one");
        }
    }

    @Test
    void zeroByteMap_orMissingMapBesideItsJournal_isRefusedNotRecreated() throws Exception {
        Path f = dir.resolve("c.cairn");
        try (MappingStorage s = MappingStorage.persisted("c", f, 1000, 64)) {
            commit(s, "one");
            commit(s, "two");
        }
        Files.write(f, new byte[0]);
        assertThatThrownBy(() -> MappingStorage.persisted("c", f, 1000, 64))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining("exists but is empty (0 bytes)");
        assertThat(Files.size(f)).isZero();
        Files.delete(f);
        assertThatThrownBy(() -> MappingStorage.persisted("c", f, 1000, 64))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining("is missing but its commit journal");
        assertThat(f).doesNotExist();
    }

    @Test
    void openWithoutCreate_missingFile_createsNothing() {
        Path f = dir.resolve("sub").resolve("typo.cairn");
        assertThatThrownBy(() -> MappingStorage.persisted("t", f, 1000, 64, false))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining(f + " does not exist");
        assertThat(f.getParent()).doesNotExist();
    }
}
