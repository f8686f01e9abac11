package org.cairndb.storage.uri;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;
import org.junit.jupiter.api.Test;

class SecretsTest {
    @Test
    void mask_userinfoPassword_isHidden() {
        assertThat(Secrets.mask("cannot open storage postgres://postgres:WRONGPW@db:5432/cairn: refused"))
                .isEqualTo("cannot open storage postgres://postgres:***@db:5432/cairn: refused");
        assertThat(Secrets.mask("postgres://u:p@ss:w@rd@db/x")).isEqualTo("postgres://u:***@db/x");
        assertThat(Secrets.mask("postgres://cairn@db/x")).isEqualTo("postgres://cairn@db/x");
    }

    @Test
    void mask_parametersNamedLikeSecrets_areHidden() {
        assertThat(Secrets.mask("cairn://h:8100/main?secret=TOPSECRET123&tls-password=TLSPW&x=1"))
                .isEqualTo("cairn://h:8100/main?secret=***&tls-password=***&x=1");
        assertThat(Secrets.mask("cannot open storage cairn://h:1/main?secret=TOPSECRET123: connection refused"))
                .isEqualTo("cannot open storage cairn://h:1/main?secret=***: connection refused");
        assertThat(Secrets.mask("--tls-password hunter2 --port 1")).isEqualTo("--tls-password *** --port 1");
        assertThat(Secrets.mask("password=abc token=def")).isEqualTo("password=*** token=***");
        assertThat(Secrets.mask("--secret-file /etc/cairn/secret")).isEqualTo("--secret-file /etc/cairn/secret");
    }

    @Test
    void storageUri_redactedAndErrors_maskEverySecret() {
        StorageUri u = StorageUri.parse("cairn://h:8100/main?secret=TOPSECRET123");
        assertThat(u.redacted()).doesNotContain("TOPSECRET123");
        assertThatThrownBy(() -> u.requireOnlyParams(Set.of("x"))).hasMessageNotContaining("TOPSECRET123");
    }

    @Test
    void create_isAcceptedByEveryScheme_andFalseMeansOpenOnly() {
        StorageUri u = StorageUri.parse("temp:?create=false").requireOnlyParams(Set.of());
        assertThat(u.mayCreate()).isFalse();
        assertThat(StorageUri.parse("temp:").mayCreate()).isTrue();
        assertThat(StorageUri.parse("mem:/x")
                        .withParam(StorageUri.CREATE, "false")
                        .mayCreate())
                .isFalse();
        assertThatThrownBy(() -> StorageUri.parse("temp:?create=maybe").requireOnlyParams(Set.of()))
                .isInstanceOf(InvalidStorageUriException.class)
                .hasMessageContaining("create='maybe' must be true or false");
    }
}
