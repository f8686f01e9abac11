package org.cairndb.client.btree;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Removals that empty a whole inner node: the emptied bucket's upper bound must pass to the
 * rightmost bucket of the subtree on its left, which now takes its keys. (It passed only to a
 * left sibling bucket, so after an inner node went, a later put beyond the old bound left a
 * bucket holding keys above its bound: a broken invariant, and merges refused as conflicts.)
 */
class BTreeRemovalTest {
    @Test
    void emptyingInnerNodes_keepsBucketBoundsCoveringTheirKeys() {
        for (int seed = 0; seed < 300; seed++) {
            Random random = new Random(seed);
            BTreeMap<Integer, Integer> tree = new BTreeMap<>(2, 3);
            TreeMap<Integer, Integer> model = new TreeMap<>();
            for (int step = 0; step < 200; step++) {
                int key = random.nextInt(40);
                if (random.nextInt(3) == 0) {
                    tree.put(key, step);
                    model.put(key, step);
                } else if (random.nextBoolean()) {
                    tree.remove(key);
                    model.remove(key);
                } else {
                    tree.put(40 + step, step); // appends beyond every bound
                    model.put(40 + step, step);
                    for (Integer k : model.headMap(40 + step).keySet().toArray(new Integer[0])) {
                        if (random.nextInt(4) == 0) {
                            tree.remove(k);
                            model.remove(k);
                        }
                    }
                }
                int s = seed, st = step;
                assertThat(tree).as("seed %d step %d", s, st).isEqualTo(model);
                try {
                    tree.checkInvariants();
                } catch (IllegalStateException broken) {
                    throw new AssertionError("seed " + seed + " step " + step + ": " + broken.getMessage(), broken);
                }
            }
        }
    }
}
