package org.cairndb.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.Statement;
import org.cairndb.postgres.testing.TestPostgres;
import org.cairndb.storage.Storage;
import org.cairndb.storage.StorageException;
import org.cairndb.storage.uri.InvalidStorageUriException;
import org.cairndb.storage.uri.Storages;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Each way of opening the storage wrongly is refused with a message that says what to fix. */
class PostgresMisuseTest {
    private static TestPostgres pg;
    private static String db;

    @BeforeAll
    static void database() {
        pg = TestPostgres.get();
        db = pg.newDatabase("misuse");
    }

    @Test
    void open_unknownParameter_refusedNamingItAndTheKnownOnes() {
        assertThatThrownBy(() -> Storages.open(pg.uri(db, "history=free&histroy=x")))
                .isInstanceOf(InvalidStorageUriException.class)
                .hasMessageContaining("unknown parameter 'histroy'")
                .hasMessageContaining("[cache-mb, history, password-env, password-file, pool, schema]");
    }

    @Test
    void open_badCacheSize_refusedSayingWhatFits() {
        assertThatThrownBy(() -> Storages.open(pg.uri(db, "history=free&cache-mb=-1")))
                .isInstanceOf(InvalidStorageUriException.class)
                .hasMessageContaining("cache-mb='-1'")
                .hasMessageContaining("0 turns the record cache off");
    }

    @Test
    void open_badHistoryValue_refusedWithTheChoices() {
        assertThatThrownBy(() -> Storages.open(pg.uri(db, "history=some")))
                .isInstanceOf(InvalidStorageUriException.class)
                .hasMessageContaining("history='some'")
                .hasMessageContaining("history=free or history=preserving");
    }

    @Test
    void open_wrongPassword_saysCheckUserAndPassword() {
        pg.createPasswordRole("cairn_pw_user", "right-password", db);
        String uri = pg.uri("cairn_pw_user", "wrong-password", db, "history=free");
        Throwable t = org.assertj.core.api.Assertions.catchThrowable(
                () -> Storages.open(uri).close());
        Assumptions.assumeTrue(
                t != null, "the PostgreSQL of CAIRN_PG_URL trusts every login; cannot show a wrong password");
        assertThat(t)
                .isInstanceOf(StorageException.class)
                .hasMessageContaining("refused the login of user 'cairn_pw_user'")
                .hasMessageContaining("check the user name and password in the URI")
                .hasMessageNotContaining("wrong-password");
        try (Storage s = Storages.open(pg.uri("cairn_pw_user", "right-password", db, "history=free&schema=pw"))) {
            assertThat(s.lastTid()).isZero();
        }
    }

    @Test
    void open_missingDatabase_saysCreateIt() {
        assertThatThrownBy(() -> Storages.open(pg.uri("no_such_db_here", "history=free")))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining("database 'no_such_db_here' does not exist")
                .hasMessageContaining("CREATE DATABASE no_such_db_here");
    }

    @Test
    void open_nobodyListening_saysIsItRunning() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        assertThatThrownBy(() -> Storages.open("postgres://postgres@localhost:" + port + "/x"))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining("cannot reach PostgreSQL at localhost:" + port)
                .hasMessageContaining("is it running");
    }

    @Test
    void open_newerSchemaVersion_refusedSayingUpgradeCairn() throws Exception {
        Storages.open(pg.uri(db, "schema=newer")).close();
        try (Connection c = pg.connect(db);
                Statement st = c.createStatement()) {
            st.executeUpdate("UPDATE newer.cairn_meta SET value = '99' WHERE key = 'schema_version'");
        }
        assertThatThrownBy(() -> Storages.open(pg.uri(db, "schema=newer")))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining("schema version 99")
                .hasMessageContaining("versions up to " + PgSchema.CURRENT_VERSION)
                .hasMessageContaining("Upgrade Cairn");
    }

    @Test
    void open_otherHistoryMode_refusedSayingWhichOneItIs() {
        Storages.open(pg.uri(db, "schema=hf&history=free")).close();
        assertThatThrownBy(() -> Storages.open(pg.uri(db, "schema=hf&history=preserving")))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining("was created history-free")
                .hasMessageContaining("open it with history=free");
        try (Storage s = Storages.open(pg.uri(db, "schema=hf"))) {
            assertThat(((PostgresStorage) s).keepsHistory()).isFalse();
        }
    }

    @Test
    void open_badSchemaName_refused() {
        assertThatThrownBy(() -> Storages.open(pg.uri(db, "schema=Robert');DROP")))
                .isInstanceOf(InvalidStorageUriException.class)
                .hasMessageContaining("not a plain lower-case SQL name");
    }
}
