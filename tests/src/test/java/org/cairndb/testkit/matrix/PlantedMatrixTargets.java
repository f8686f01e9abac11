package org.cairndb.testkit.matrix;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.cairndb.storage.Storage;
import org.cairndb.storage.matrix.OnStorages;
import org.cairndb.storage.matrix.StorageKind;
import org.junit.jupiter.api.Test;

/**
 * Not run by the build (no Test suffix): {@link StorageMatrixCanFailTest} runs it through the
 * JUnit Platform. Each test records the storage it got and fails on temp: only.
 */
@OnStorages({StorageKind.MEM, StorageKind.TEMP})
class PlantedMatrixTargets {
    static final List<String> SEEN = Collections.synchronizedList(new ArrayList<>());

    @Test
    void jupiterTest(StorageKind kind, Storage storage) {
        SEEN.add("jupiter " + kind + " " + storage.lastTid());
        if (kind == StorageKind.TEMP) throw new AssertionError("planted failure");
    }

    @Property(tries = 3)
    void jqwikProperty(StorageKind kind, Storage storage, @ForAll int n) {
        SEEN.add("jqwik " + kind + " " + storage.lastTid());
        if (kind == StorageKind.TEMP) throw new AssertionError("planted failure");
    }
}
