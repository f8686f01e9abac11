package org.cairndb.postgres.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import org.junit.jupiter.api.Test;

class TestPostgresTest {
    @Test
    void freshDatabase_isEmptyAndReachable() throws Exception {
        TestPostgres pg = TestPostgres.get();
        String db = pg.newDatabase("fixture");
        try (Connection c = pg.connect(db);
                ResultSet rs = c.createStatement()
                        .executeQuery(
                                "SELECT current_database(), count(*) FROM pg_tables WHERE schemaname = 'public'")) {
            rs.next();
            assertThat(rs.getString(1)).isEqualTo(db);
            assertThat(rs.getInt(2)).isZero();
        }
        assertThat(pg.uri(db, "history=free")).startsWith("postgres://").endsWith("/" + db + "?history=free");
    }
}
