package org.cairndb.storage.uri;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Locale;
import java.util.Set;
import org.junit.jupiter.api.Test;

class StorageUriTest {

    @Test
    void parse_forms() {
        StorageUri mem = StorageUri.parse("mem:");
        assertThat(mem.scheme()).isEqualTo("mem");
        assertThat(mem.path()).isEmpty();
        assertThat(mem.authority()).isNull();
        StorageUri file = StorageUri.parse("MEM:/var/cairn/main.cairn?entries=10");
        assertThat(file.scheme()).isEqualTo("mem");
        assertThat(file.path()).isEqualTo("/var/cairn/main.cairn");
        assertThat(file.params()).containsExactly(java.util.Map.entry("entries", "10"));
        StorageUri pg = StorageUri.parse("postgres://user:secret@db.example:5432/cairn?history=free&ssl=");
        assertThat(pg.authority()).isEqualTo("user:secret@db.example:5432");
        assertThat(pg.path()).isEqualTo("/cairn");
        assertThat(pg.param("history", "x")).isEqualTo("free");
        assertThat(pg.param("ssl", "x")).isEmpty();
        assertThat(pg.param("missing", "dflt")).isEqualTo("dflt");
        StorageUri cairn = StorageUri.parse("cairn://host:8100");
        assertThat(cairn.authority()).isEqualTo("host:8100");
        assertThat(cairn.path()).isEmpty();
    }

    @Test
    void parse_upperCaseScheme_foundWhateverTheDefaultLocale() {
        Locale before = Locale.getDefault();
        Locale.setDefault(Locale.forLanguageTag("tr")); // "I" lowercases to a dotless i there
        try {
            assertThat(StorageUri.parse("CAIRN://localhost:8419/main").scheme()).isEqualTo("cairn");
            assertThat(StorageUri.parse("MIN:").scheme()).isEqualTo("min");
        } finally {
            Locale.setDefault(before);
        }
    }

    @Test
    void parse_percentDecodedParams_keepOrder() {
        StorageUri u = StorageUri.parse("x:?b=2&a=hello%20world&c=%2F");
        assertThat(u.params().keySet()).containsExactly("b", "a", "c");
        assertThat(u.param("a", null)).isEqualTo("hello world");
        assertThat(u.param("c", null)).isEqualTo("/");
    }

    @Test
    void parse_duplicateParam_refusedNamingIt() {
        assertThatThrownBy(() -> StorageUri.parse("mem:?entries=1&entries=2"))
                .isInstanceOf(InvalidStorageUriException.class)
                .hasMessageContaining("'entries'")
                .hasMessageContaining("twice")
                .hasMessageContaining("mem:?entries=1&entries=2");
    }

    @Test
    void parse_emptyOrNoScheme_refusedWithExamples() {
        assertThatThrownBy(() -> StorageUri.parse(""))
                .isInstanceOf(InvalidStorageUriException.class)
                .hasMessageContaining("mem:");
        assertThatThrownBy(() -> StorageUri.parse(null)).isInstanceOf(InvalidStorageUriException.class);
        assertThatThrownBy(() -> StorageUri.parse("/just/a/path"))
                .isInstanceOf(InvalidStorageUriException.class)
                .hasMessageContaining("no scheme")
                .hasMessageContaining("/just/a/path");
        assertThatThrownBy(() -> StorageUri.parse("1x:foo")).isInstanceOf(InvalidStorageUriException.class);
    }

    @Test
    void redacted_hidesPasswordEverywhere() {
        StorageUri pg = StorageUri.parse("postgres://alice:s3cret@h:5432/db");
        assertThat(pg.redacted()).isEqualTo("postgres://alice:***@h:5432/db").doesNotContain("s3cret");
        assertThat(pg.toString()).doesNotContain("s3cret");
        assertThat(StorageUri.parse("postgres://alice@h/db").redacted()).isEqualTo("postgres://alice@h/db");
        assertThat(StorageUri.parse("mem:").redacted()).isEqualTo("mem:");
        StorageUri withParam = StorageUri.parse("postgres://alice:s3cret@h/db?bogus=1");
        assertThatThrownBy(() -> withParam.requireOnlyParams(Set.of("history")))
                .isInstanceOf(InvalidStorageUriException.class)
                .hasMessageNotContaining("s3cret")
                .hasMessageContaining("'bogus'")
                .hasMessageContaining("[history]");
    }

    @Test
    void redacted_passwordEqualToAnotherPart_onlyAuthorityChanged() {
        StorageUri u = StorageUri.parse("postgres://db:db@db/db");
        assertThat(u.redacted()).isEqualTo("postgres://db:***@db/db");
        // the authority's text repeated in the path is not the password
        assertThat(StorageUri.parse("postgres://u:p@h/u:p@h").redacted()).isEqualTo("postgres://u:***@h/u:p@h");
    }

    @Test
    void requireOnlyParams_noneAllowed_saysSo() {
        assertThatThrownBy(() -> StorageUri.parse("temp:?x=1").requireOnlyParams(Set.of()))
                .isInstanceOf(InvalidStorageUriException.class)
                .hasMessageContaining("takes no parameters");
        assertThat(StorageUri.parse("temp:").requireOnlyParams(Set.of()).scheme())
                .isEqualTo("temp");
    }
}
