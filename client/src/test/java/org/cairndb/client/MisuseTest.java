package org.cairndb.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.cairndb.client.model.Item;
import org.cairndb.storage.RecordHeader;
import org.cairndb.storage.Storage;
import org.cairndb.storage.StorageTransaction;
import org.cairndb.storage.Tid;
import org.cairndb.storage.TransactionMetadata;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class MisuseTest {
    Database db;
    TransactionManager tm;
    Connection c;

    @BeforeEach
    void open() {
        db = Database.open("temp:");
        tm = db.transactionManager();
        c = db.open();
    }

    @AfterEach
    void close() {
        tm.abort();
        if (!c.isClosed()) c.close();
        db.close();
    }

    private long rawStore(byte[] data) {
        Storage s = db.storage();
        long oid = s.newOids(1)[0];
        StorageTransaction t = s.begin(TransactionMetadata.EMPTY);
        t.store(oid, Tid.ZERO, data);
        t.vote();
        t.finish();
        return oid;
    }

    @Test
    void commit_unserializableField_namesObjectAndFieldPath() {
        Item a = c.add(new Item("a", 1));
        a.extra(new Thread());
        assertThatThrownBy(tm::commit)
                .isInstanceOf(UnserializableException.class)
                .hasMessageContaining("Item oid 0x")
                .hasMessageContaining("Item.extra")
                .hasMessageContaining("java.lang.Thread");
    }

    @Test
    void object_usedAfterConnectionClosed_refused() {
        Item a = c.add(new Item("a", 1));
        c.root().put("a", a);
        tm.commit();
        c.close();
        assertThatThrownBy(a::name)
                .isInstanceOf(ConnectionMisuseException.class)
                .hasMessageContaining(Item.class.getName())
                .hasMessageContaining("closed");
    }

    @Test
    void ghost_touchedAfterConnectionClosed_refused() {
        c.root().put("a", c.add(new Item("a", 1)));
        tm.commit();
        tm.begin();
        Connection c2 = db.open();
        Item ghost = (Item) c2.root().get("a");
        assertThat(ghost.persistentState()).isEqualTo(PersistentState.GHOST);
        tm.abort();
        c2.close();
        assertThatThrownBy(ghost::name)
                .isInstanceOf(ConnectionMisuseException.class)
                .hasMessageContaining("ghost")
                .hasMessageContaining("closed")
                .hasMessageContaining("oid 0x");
    }

    @Test
    void connection_closedConnectionUsed_refused() {
        c.close();
        assertThatThrownBy(c::root)
                .isInstanceOf(ConnectionMisuseException.class)
                .hasMessageContaining("is closed");
    }

    @Test
    void object_ofAnotherConnection_refusedWithFieldName() {
        Item a = c.add(new Item("a", 1));
        c.root().put("a", a);
        tm.commit();
        CompletionException e = org.junit.jupiter.api.Assertions.assertThrows(
                CompletionException.class,
                () -> CompletableFuture.runAsync(() -> {
                            try (Connection c2 = db.open()) {
                                try {
                                    Item b = c2.add(new Item("b", 2));
                                    b.parent(a); // a belongs to the first connection
                                    tm.commit();
                                } finally {
                                    tm.abort();
                                }
                            }
                        })
                        .join());
        assertThat(e.getCause()).isInstanceOf(ConnectionMisuseException.class);
        assertThat(e.getCause().getMessage()).contains("Item.parent").contains("another connection");
    }

    @Test
    void connection_usedFromOtherThread_refused() {
        CompletionException e = org.junit.jupiter.api.Assertions.assertThrows(
                CompletionException.class,
                () -> CompletableFuture.runAsync(() -> c.root()).join());
        assertThat(e.getCause()).isInstanceOf(ConnectionMisuseException.class).hasMessageContaining("thread");
    }

    @Test
    void load_missingClass_namesClassAndOid() {
        byte[] record = new RecordHeader("com.example.RemovedClass", new long[0]).encode(new byte[] {1});
        long oid = rawStore(record);
        tm.begin();
        assertThatThrownBy(() -> c.get(oid))
                .isInstanceOf(MissingClassException.class)
                .hasMessageContaining("com.example.RemovedClass")
                .hasMessageContaining("0x" + Long.toHexString(oid));
    }

    @Test
    void load_foreignRecord_refusedClearly() {
        long oid = rawStore(new byte[] {(byte) 0x80, 0x03, 'c', 'p', 'e', 'r', 's', 'o', 'n'});
        tm.begin();
        assertThatThrownBy(() -> c.get(oid))
                .isInstanceOf(ForeignRecordException.class)
                .hasMessageContaining("oid 0x" + Long.toHexString(oid)
                        + " holds a foreign record (not written by Cairn's object layer)");
    }

    @Test
    void load_danglingReference_namesReferringObjectAndField() {
        Item a = c.add(new Item("a", 1));
        Item b = new Item("b", 2);
        a.parent(b);
        c.root().put("a", a);
        tm.commit();
        long bOid = b.oid();
        Storage s = db.storage();
        StorageTransaction t = s.begin(TransactionMetadata.EMPTY);
        t.delete(bOid, b.serial());
        t.vote();
        t.finish();
        CompletionException e = org.junit.jupiter.api.Assertions.assertThrows(
                CompletionException.class,
                () -> CompletableFuture.runAsync(() -> {
                            try (Connection c2 = db.open()) {
                                try {
                                    Item a2 = (Item) c2.root().get("a");
                                    a2.parent().name();
                                } finally {
                                    tm.abort();
                                }
                            }
                        })
                        .join());
        assertThat(e.getCause()).isInstanceOf(DanglingReferenceException.class);
        assertThat(e.getCause().getMessage())
                .contains("Item oid 0x" + Long.toHexString(a.oid()))
                .contains("field Item.parent")
                .contains("0x" + Long.toHexString(bOid));
    }

    @Test
    void mount_unknownName_listsMounts() {
        assertThatThrownBy(() -> c.root("nope"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("[main]");
    }
}
