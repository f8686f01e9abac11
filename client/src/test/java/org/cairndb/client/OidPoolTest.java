package org.cairndb.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.cairndb.storage.Oid;
import org.cairndb.storage.Storage;
import org.cairndb.storage.uri.Storages;
import org.junit.jupiter.api.Test;

/** The jar's oid pool on its own: batch sizes, order, and uniqueness over a real storage. */
class OidPoolTest {

    @Test
    void batches_start_at_64_and_double_up_to_1024() {
        List<Integer> asked = new ArrayList<>();
        long[] next = {1};
        OidPool pool = new OidPool(n -> {
            asked.add(n);
            long[] out = new long[n];
            for (int i = 0; i < n; i++) out[i] = next[0]++;
            return out;
        });
        int total = 64 + 128 + 256 + 512 + 1024 + 1024 + 1;
        for (int i = 0; i < total; i++) assertThat(pool.next()).isEqualTo(i + 1);
        assertThat(asked).containsExactly(64, 128, 256, 512, 1024, 1024, 1024);
    }

    @Test
    void asks_nothing_until_an_oid_is_needed_then_hands_out_the_batch_in_order() {
        List<Integer> asked = new ArrayList<>();
        OidPool pool = new OidPool(n -> {
            asked.add(n);
            return new long[] {70, 30, 50};
        });
        assertThat(asked).isEmpty();
        assertThat(pool.next()).isEqualTo(70);
        assertThat(pool.next()).isEqualTo(30);
        assertThat(pool.next()).isEqualTo(50);
        assertThat(asked).containsExactly(64);
        pool.next();
        assertThat(asked).containsExactly(64, 128);
    }

    @Test
    void over_a_real_storage_two_pools_never_share_an_oid_nor_hand_out_the_root() {
        try (Storage storage = Storages.open("temp:")) {
            OidPool a = new OidPool(storage::newOids);
            OidPool b = new OidPool(storage::newOids);
            Set<Long> seen = new HashSet<>();
            for (int i = 0; i < 3000; i++) {
                assertThat(seen.add(a.next())).isTrue();
                assertThat(seen.add(b.next())).isTrue();
            }
            assertThat(seen).doesNotContain(Oid.ROOT);
        }
    }
}
