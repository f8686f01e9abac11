package org.cairndb.testkit.guide;

import java.util.TreeSet;
import org.cairndb.client.Persistent;
import org.cairndb.client.conflict.Resolvable;

public class TagSet extends Persistent implements Resolvable<TagSet> {
    private TreeSet<String> tags = new TreeSet<>();
    private int clears; // counts clear()s: a merge across a clear would bring cleared tags back

    public TreeSet<String> tags() {
        activate();
        return new TreeSet<>(tags);
    }

    public void add(String tag) {
        changing();
        tags.add(tag);
    }

    public void clear() {
        changing();
        tags.clear();
        clears++;
    }

    @Override
    public TagSet resolve(TagSet ancestor, TagSet committed, TagSet mine) {
        if (ancestor == null) return null; // cannot tell what changed
        if (committed.clears != ancestor.clears || mine.clears != ancestor.clears) return null;
        committed.tags.addAll(mine.tags); // both sides only added: union
        return committed;
    }
}
