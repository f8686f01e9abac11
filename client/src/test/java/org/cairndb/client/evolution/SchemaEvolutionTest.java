package org.cairndb.client.evolution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.cairndb.client.Connection;
import org.cairndb.client.Database;
import org.cairndb.client.MissingClassException;
import org.cairndb.client.SchemaMismatchException;
import org.cairndb.storage.Oid;
import org.cairndb.storage.RecordHeader;
import org.cairndb.storage.Storage;
import org.cairndb.storage.StorageTransaction;
import org.cairndb.storage.Tid;
import org.cairndb.storage.TransactionMetadata;
import org.cairndb.storage.uri.Storages;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Records written by one shape of a class ({@link BookV1}), read by a database whose class
 * is another ({@link BookV2}: renamed, a field renamed, types widened; {@link BookV3}: a
 * type changed incompatibly).
 */
class SchemaEvolutionTest {
    Storage storage;
    long oid;
    long sequelOid;

    @BeforeEach
    void writeOldShape() {
        storage = Storages.open("temp:");
        try (Database db = Database.open(storage);
                Connection c = db.open()) {
            BookV1 b = new BookV1();
            b.name = "Dune";
            b.pages = 412;
            b.rating = 4.5f;
            b.copies = 3;
            b.sold = 1_000;
            b.shelfNo = 7;
            b.code = "D-1";
            b.tags.add("sf");
            b.shelf = new Shelf.Old("top");
            BookV1 sequel = new BookV1();
            sequel.name = "Dune Messiah";
            b.sequel = sequel;
            c.root().put("book", b);
            db.transactionManager().commit();
            oid = b.oid();
            sequelOid = sequel.oid();
        }
    }

    @AfterEach
    void close() {
        storage.close();
    }

    @Test
    void renamedClass_renamedField_widenedTypes_readFromOldRecords() {
        try (Database db = Database.builder()
                        .mount("main", storage)
                        .persistentClasses(BookV2.class, Shelf.New.class)
                        .open();
                Connection c = db.open()) {
            BookV2 b = c.get(oid);
            assertThat(b.title()).isEqualTo("Dune");
            assertThat(b.pages).isEqualTo(412L);
            assertThat(b.rating).isEqualTo(4.5d);
            assertThat(b.copies).isEqualTo(3);
            assertThat(b.sold).isEqualTo(1_000L);
            assertThat(b.shelfNo).isEqualTo(7);
            assertThat(b.code).isEqualTo("D-1");
            assertThat(b.tags).containsExactly("sf");
            assertThat(b.shelf).isInstanceOf(Shelf.New.class);
            assertThat(((Shelf.New) b.shelf).name).isEqualTo("top");
            assertThat(b.sequel.title()).isEqualTo("Dune Messiah"); // a reference to a renamed class
            db.transactionManager().abort();
        }
    }

    @Test
    void formerNamesOfAClassAreLearnedWhenTheDatabaseFirstUsesIt_forLaterConnections() {
        try (Database db = Database.builder().mount("main", storage).open();
                Connection c = db.open()) {
            BookV2 fresh = new BookV2(); // the database serializes a BookV2: it learns its former names
            fresh.title("new");
            c.root().put("fresh", fresh);
            db.transactionManager().commit();
            try (Connection later = db.open()) { // connections opened after that read BookV1's records as BookV2
                assertThat((Object) later.get(oid)).isInstanceOf(BookV2.class);
                db.transactionManager().abort();
            }
        }
    }

    @Test
    void registryOnTheBuilder_mapsNamesWithoutAnnotations() {
        try (Database db = Database.builder()
                        .mount("main", storage)
                        .renamedClass(BookV1.class.getName(), BookV4.class)
                        .renamedField(BookV4.class, "name", "title")
                        .open();
                Connection c = db.open()) {
            BookV4 b = c.get(oid);
            assertThat(b.title).isEqualTo("Dune");
            assertThat(b.pages).isEqualTo(412L);
            db.transactionManager().abort();
        }
    }

    @Test
    void oldRecordIsRewrittenInTheNewFormOnTheNextStore() {
        try (Database db = Database.builder()
                        .mount("main", storage)
                        .persistentClasses(BookV2.class, Shelf.New.class)
                        .open();
                Connection c = db.open()) {
            BookV2 b = c.get(oid);
            b.title("Dune (1965)");
            db.transactionManager().commit();
        }
        byte[] record = storage.load(oid).data();
        assertThat(RecordHeader.classNameOf(record)).isEqualTo(BookV2.class.getName());
        // now readable without any rename known: the record holds the new names
        try (Database db = Database.open(storage);
                Connection c = db.open()) {
            BookV2 b = c.get(oid);
            assertThat(b.title()).isEqualTo("Dune (1965)");
            assertThat(b.pages).isEqualTo(412L);
            assertThat(b.rating).isEqualTo(4.5d);
            assertThat(((Shelf.New) b.shelf).name).isEqualTo("top");
            db.transactionManager().abort();
        }
    }

    @Test
    void valueThatCannotBeMapped_failsNamingClassOidAndField() {
        try (Database db = Database.builder()
                        .mount("main", storage)
                        .renamedClass(BookV1.class.getName(), BookV3.class)
                        .open();
                Connection c = db.open()) {
            assertThatThrownBy(() -> c.get(oid))
                    .isInstanceOf(SchemaMismatchException.class)
                    .hasMessageContaining(BookV3.class.getName() + " oid " + Oid.describe(oid))
                    .hasMessageContaining("field BookV3.code holds a java.lang.String")
                    .hasMessageContaining("int")
                    .hasMessageNotContaining("\n");
            db.transactionManager().abort();
        }
    }

    @Test
    void recordUnderAFormerNameOfAClassNotMadeKnown_failsSayingHow_andLoadsOnceKnown() {
        // a record stored under a class name that exists no more (BookV0, a former name of BookV2)
        byte[] v1 = storage.load(sequelOid).data();
        RecordHeader.Parsed h = RecordHeader.parse(v1);
        byte[] v0 = new RecordHeader(
                        "org.cairndb.client.evolution.BookV0", h.header().references())
                .encode(java.util.Arrays.copyOfRange(v1, h.bodyOffset(), v1.length));
        long v0Oid = storage.newOids(1)[0];
        StorageTransaction txn = storage.begin(TransactionMetadata.of("", "hand-made record"));
        txn.store(v0Oid, Tid.ZERO, v0);
        txn.vote();
        txn.finish();
        try (Database db = Database.open(storage);
                Connection c = db.open()) {
            assertThatThrownBy(() -> c.get(v0Oid))
                    .isInstanceOf(MissingClassException.class)
                    .hasMessageContaining("org.cairndb.client.evolution.BookV0")
                    .hasMessageContaining("@FormerName(\"org.cairndb.client.evolution.BookV0\")");
            db.transactionManager().abort();
        }
        try (Database db = Database.builder()
                        .mount("main", storage)
                        .persistentClasses(BookV2.class)
                        .open();
                Connection c = db.open()) {
            BookV2 b = c.get(v0Oid);
            assertThat(b.title()).isEqualTo("Dune Messiah");
            db.transactionManager().abort();
        }
    }
}
