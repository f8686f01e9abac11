package org.cairndb.client.enhance;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.cairndb.client.Connection;
import org.cairndb.client.Database;
import org.cairndb.client.Enhanced;
import org.cairndb.client.Persistent;
import org.cairndb.client.PersistentState;
import org.cairndb.client.TransactionManager;
import org.cairndb.client.model.Item;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Plain persistent classes enhanced at build time (byte-buddy-maven-plugin on this module's test
 * classes): one test per way of touching a field. Each change is made on a ghost, with no read
 * before it, and checked after the cache was emptied, so the value comes back from the storage:
 * without enhancement the ghost's load would overwrite the change or the change would never be
 * registered, and every one of these tests fails.
 */
class EnhancedAccessTest {
    Database db;
    TransactionManager tm;
    Connection conn;

    @BeforeEach
    void open() {
        db = Database.open("temp:");
        tm = db.transactionManager();
        conn = db.open();
    }

    @AfterEach
    void close() {
        conn.close();
        db.close();
    }

    /** Stores {@code p} under the root, commits, and turns it into a ghost. */
    private <T extends Persistent> T stored(T p) {
        conn.root().put("it", p);
        return ghostAfterCommit(p);
    }

    private <T extends Persistent> T ghostAfterCommit(T p) {
        tm.commit();
        conn.cacheMinimize();
        assertThat(p.persistentState()).isEqualTo(PersistentState.GHOST);
        return p;
    }

    @Test
    void classesAreMarkedEnhanced() {
        assertThat(Shelf.class.isAnnotationPresent(Enhanced.class)).isTrue();
        assertThat(Shelf.Editor.class.isAnnotationPresent(Enhanced.class)).isTrue();
        assertThat(ShelfTools.class.isAnnotationPresent(Enhanced.class)).isTrue();
        assertThat(Tagged.class.isAnnotationPresent(Enhanced.class)).isTrue();
        assertThat(org.cairndb.client.collections.PersistentMap.class.isAnnotationPresent(Enhanced.class))
                .isTrue();
        assertThat(org.cairndb.client.btree.BTreeMap.class.isAnnotationPresent(Enhanced.class))
                .isTrue();
    }

    @Test
    void getter_activatesGhost() {
        Shelf s = stored(new Shelf("poetry"));
        assertThat(s.name()).isEqualTo("poetry");
        assertThat(s.persistentState()).isEqualTo(PersistentState.UP_TO_DATE);
    }

    @Test
    void setter_onGhost_isStored() {
        Shelf s = stored(new Shelf("poetry"));
        s.name("prose");
        assertThat(s.persistentState()).isEqualTo(PersistentState.CHANGED);
        ghostAfterCommit(s);
        assertThat(s.name()).isEqualTo("prose");
    }

    @Test
    void compoundAssignment_ofLongAndInt_isStored() {
        Shelf s = stored(new Shelf("x"));
        s.add(40);
        ghostAfterCommit(s);
        s.add(2);
        ghostAfterCommit(s);
        assertThat(s.total()).isEqualTo(42);
        assertThat(s.count()).isEqualTo(2);
    }

    @Test
    void doubleField_isStored() {
        Shelf s = stored(new Shelf("x"));
        s.ratio(0.25);
        ghostAfterCommit(s);
        assertThat(s.ratio()).isEqualTo(0.25);
    }

    @Test
    void fieldsOfAnotherInstance_fromTheClassItself() {
        Shelf a = new Shelf("a");
        Shelf b = new Shelf("b");
        conn.root().put("b", b);
        stored(a);
        conn.cacheMinimize();
        a.swapNames(b);
        ghostAfterCommit(a);
        ghostAfterCommit(b);
        assertThat(a.name()).isEqualTo("b");
        assertThat(b.name()).isEqualTo("a");
    }

    @Test
    void fieldsFromAnotherClassOfThePackage() {
        Shelf s = stored(new Shelf("a"));
        assertThat(ShelfTools.nameOf(s)).isEqualTo("a");
        conn.cacheMinimize();
        ShelfTools.rename(s, "b");
        ShelfTools.bump(s);
        ghostAfterCommit(s);
        assertThat(ShelfTools.nameOf(s)).isEqualTo("b");
        assertThat(s.count()).isEqualTo(1);
    }

    @Test
    void innerClass_lambda_anonymousClass() {
        Shelf s = stored(new Shelf("a"));
        assertThat(s.editor().current()).isEqualTo("a");
        conn.cacheMinimize();
        s.editor().rename("inner");
        ghostAfterCommit(s);
        assertThat(s.reader().get()).isEqualTo("inner");
        conn.cacheMinimize();
        s.renamer("lambda").run();
        ghostAfterCommit(s);
        assertThat(s.name()).isEqualTo("lambda");
    }

    @Test
    void inheritedProtectedField_fromASubclassInAnotherPackage() {
        Tagged t = stored(new Tagged("old"));
        assertThat(t.label()).isEqualTo("old");
        conn.cacheMinimize();
        t.relabel("new");
        ghostAfterCommit(t);
        assertThat(t.label()).isEqualTo("new");
    }

    @Test
    void arrayField_replaced_isStored() {
        Shelf s = stored(new Shelf("a"));
        s.slots(new int[] {1, 2, 3});
        ghostAfterCommit(s);
        assertThat(s.slots()).containsExactly(1, 2, 3);
    }

    @Test
    void collectionFields_replacedPlain_andPersistentInPlace() {
        Shelf s = stored(new Shelf("a"));
        s.tags(List.of("x", "y"));
        ghostAfterCommit(s);
        assertThat(s.tags()).containsExactly("x", "y");
        conn.cacheMinimize();
        s.log().add("entry"); // a persistent collection registers its own change
        ghostAfterCommit(s);
        assertThat(s.log()).containsExactly("entry");
    }

    @Test
    void inPlaceChangeOfAPlainList_stillNeedsChanged() {
        Shelf s = stored(new Shelf("a"));
        s.tags().add("kept");
        s.changed();
        ghostAfterCommit(s);
        assertThat(s.tags()).containsExactly("kept");
    }

    @Test
    void recordsAndImmutableValues_needNoCeremony() {
        Shelf s = stored(new Shelf("a"));
        s.favorite(new Shelf.Pick("Dune", 5));
        s.other(java.time.LocalDate.of(2026, 12, 7));
        ghostAfterCommit(s);
        assertThat(s.favorite()).isEqualTo(new Shelf.Pick("Dune", 5));
        assertThat(s.other()).isEqualTo(java.time.LocalDate.of(2026, 12, 7));
    }

    @Test
    void transientField_isNotHooked() {
        Shelf s = stored(new Shelf("a"));
        s.scratch("temp");
        assertThat(s.scratch()).isEqualTo("temp");
        assertThat(s.persistentState()).isEqualTo(PersistentState.GHOST);
    }

    @Test
    void constructors_newObjectsStayTransient_andACopyReadsTheGhost() {
        Shelf original = new Shelf("orig");
        assertThat(original.persistentState()).isEqualTo(PersistentState.TRANSIENT);
        stored(original);
        Shelf copy = new Shelf(original);
        assertThat(copy.name()).isEqualTo("orig (copy)");
        assertThat(copy.persistentState()).isEqualTo(PersistentState.TRANSIENT);
    }

    @Test
    void handWrittenAccessorsStillWork_andMixWithPlainClasses() {
        // Item calls activate()/changing() itself and is enhanced too: the hooks add idempotent calls
        Item item = new Item("hand", 1);
        Shelf s = new Shelf("plain");
        s.other(item);
        item.extra(s);
        conn.root().put("item", item);
        stored(s);
        conn.cacheMinimize();
        item.qty(7);
        ((Shelf) item.extra()).name("plain, changed");
        tm.commit();
        conn.cacheMinimize();
        assertThat(((Item) s.other()).qty()).isEqualTo(7);
        assertThat(s.name()).isEqualTo("plain, changed");
    }

    @Test
    void notEnhanced_leavesAClassToItsHandWrittenCalls() {
        Forgetful f = stored(new Forgetful("set"));
        assertThat(Forgetful.class.isAnnotationPresent(Enhanced.class)).isFalse();
        assertThat(f.value()).as("the planted missing activate() is kept").isNull();
        assertThat(f.persistentState()).isEqualTo(PersistentState.GHOST);
    }
}
