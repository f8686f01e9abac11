package org.cairndb.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.cairndb.storage.uri.InvalidStorageUriException;
import org.cairndb.storage.uri.StorageUri;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The PostgreSQL password need not be written in the URI: it may come from a file or an environment variable. */
class PgConfigSecretTest {
    @TempDir
    Path dir;

    @Test
    void passwordFromAFile_strippedOfItsNewline_andNeverInTheUriText() throws Exception {
        Path f = dir.resolve("pgpass");
        Files.writeString(f, "s3cret\n");
        PgConfig c = PgConfig.parse(StorageUri.parse("postgres://app@db1:5432/main?password-file=" + f));
        assertThat(c.password()).isEqualTo("s3cret");
        assertThat(c.user()).isEqualTo("app");
        assertThat(c.name()).doesNotContain("s3cret");
    }

    @Test
    void passwordFromTheEnvironment() {
        String path = System.getenv("PATH"); // a variable every test JVM has
        PgConfig c = PgConfig.parse(StorageUri.parse("postgres://app@db1/main?password-env=PATH"));
        assertThat(c.password()).isEqualTo(path.strip());
    }

    @Test
    void emptyFile_missingVariable_orTwoSources_refusedWithWhatToDo() throws Exception {
        Path f = dir.resolve("empty");
        Files.writeString(f, "  \n");
        assertThatThrownBy(() -> PgConfig.parse(StorageUri.parse("postgres://app@db1/main?password-file=" + f)))
                .isInstanceOf(InvalidStorageUriException.class)
                .hasMessageContaining("is empty");
        assertThatThrownBy(() -> PgConfig.parse(
                        StorageUri.parse("postgres://app@db1/main?password-env=CAIRN_NO_SUCH_VARIABLE_42")))
                .isInstanceOf(InvalidStorageUriException.class)
                .hasMessageContaining("CAIRN_NO_SUCH_VARIABLE_42 is not set");
        assertThatThrownBy(() -> PgConfig.parse(StorageUri.parse("postgres://app:pw@db1/main?password-env=PATH")))
                .isInstanceOf(InvalidStorageUriException.class)
                .hasMessageContaining("more than once");
    }
}
