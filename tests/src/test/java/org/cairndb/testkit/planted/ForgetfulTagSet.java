package org.cairndb.testkit.planted;

import java.util.TreeSet;
import org.cairndb.client.Persistent;
import org.cairndb.client.conflict.Resolvable;

/** The guide's TagSet with a planted bug (docs/testing.md shows its failure): resolve keeps only this side's tags. */
public class ForgetfulTagSet extends Persistent implements Resolvable<ForgetfulTagSet> {
    private TreeSet<String> tags = new TreeSet<>();

    public TreeSet<String> tags() {
        activate();
        return new TreeSet<>(tags);
    }

    public void add(String tag) {
        changing();
        tags.add(tag);
    }

    @Override
    public ForgetfulTagSet resolve(ForgetfulTagSet ancestor, ForgetfulTagSet committed, ForgetfulTagSet mine) {
        return mine; // BUG: the committed side's tags are lost
    }
}
