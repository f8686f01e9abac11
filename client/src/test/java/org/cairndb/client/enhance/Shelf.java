package org.cairndb.client.enhance;

import java.util.ArrayList;
import java.util.List;
import org.cairndb.client.Persistent;
import org.cairndb.client.collections.PersistentList;

/**
 * A plain persistent class, enhanced at build time: no activate(), changing() or changed() for
 * its own fields. Its members cover the access patterns of the enhancement tests.
 */
public class Shelf extends Persistent {
    String name;
    int count;
    long total;
    double ratio;
    int[] slots = new int[0];
    List<String> tags = new ArrayList<>();
    PersistentList<String> log = new PersistentList<>();
    Pick favorite;
    Object other;
    transient String scratch;
    static int instancesMade;

    /** A record as a field value: immutable, replaced whole, no ceremony. */
    public record Pick(String title, int stars) {}

    public Shelf() {}

    public Shelf(String name) {
        this.name = name;
        instancesMade++;
    }

    /** A copy constructor: reads another (perhaps ghost) shelf's fields after super(). */
    public Shelf(Shelf from) {
        this.name = from.name + " (copy)";
        this.count = from.count;
    }

    public String name() {
        return name;
    }

    public void name(String n) {
        name = n;
    }

    public int count() {
        return count;
    }

    public void add(long amount) {
        total += amount;
        count++;
    }

    public long total() {
        return total;
    }

    public double ratio() {
        return ratio;
    }

    public void ratio(double r) {
        ratio = r;
    }

    public int[] slots() {
        return slots;
    }

    public void slots(int[] s) {
        slots = s;
    }

    public List<String> tags() {
        return tags;
    }

    public void tags(List<String> t) {
        tags = new ArrayList<>(t);
    }

    public PersistentList<String> log() {
        return log;
    }

    public Pick favorite() {
        return favorite;
    }

    public void favorite(Pick p) {
        favorite = p;
    }

    public Object other() {
        return other;
    }

    public void other(Object o) {
        other = o;
    }

    public String scratch() {
        return scratch;
    }

    public void scratch(String s) {
        scratch = s;
    }

    /** Direct access to another instance's fields from the class itself. */
    public void swapNames(Shelf with) {
        String mine = name;
        name = with.name;
        with.name = mine;
    }

    /** An inner class writing and reading the outer object's fields. */
    public Editor editor() {
        return new Editor();
    }

    public final class Editor {
        public void rename(String n) {
            name = n;
        }

        public String current() {
            return name;
        }
    }

    /** A lambda writing a field (compiled to a private method of this class). */
    public Runnable renamer(String n) {
        return () -> name = n;
    }

    /** An anonymous class reading a field. */
    public java.util.function.Supplier<String> reader() {
        return new java.util.function.Supplier<>() {
            @Override
            public String get() {
                return name;
            }
        };
    }
}
