package org.cairndb.testkit.planted;

import java.util.Map;
import java.util.TreeMap;
import org.cairndb.client.Persistent;
import org.cairndb.client.conflict.Merge;
import org.cairndb.client.conflict.Resolvable;

/**
 * A sorted bucket of entries with a planted bug: its merge of concurrent changes to different
 * keys drops the smallest key the other transaction added.
 */
public class LossyBucket extends Persistent implements Resolvable<LossyBucket> {
    private TreeMap<Integer, Integer> entries = new TreeMap<>();

    public TreeMap<Integer, Integer> entries() {
        activate();
        return new TreeMap<>(entries);
    }

    public void put(int key, int value) {
        changing();
        entries.put(key, value);
    }

    public void remove(int key) {
        activate();
        if (entries.containsKey(key)) {
            changing();
            entries.remove(key);
        }
    }

    @Override
    public LossyBucket resolve(LossyBucket ancestor, LossyBucket committed, LossyBucket mine) {
        if (ancestor == null) return null;
        Map<Integer, Integer> merged = Merge.keyed(ancestor.entries, committed.entries, mine.entries, new TreeMap<>());
        if (merged == null) return null;
        for (Integer k : committed.entries.keySet()) {
            if (!ancestor.entries.containsKey(k)) {
                merged.remove(k); // BUG: a key the other transaction added is lost
                break;
            }
        }
        committed.entries = new TreeMap<>(merged);
        return committed;
    }
}
