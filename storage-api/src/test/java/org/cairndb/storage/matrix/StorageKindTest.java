package org.cairndb.storage.matrix;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/**
 * storage-api's own tests register no {@link StorageKindFixtures}: asking for a kind must fail
 * with one line naming the kind and what to register, not with a null fixture.
 */
class StorageKindTest {
    @Test
    void aKindNoProviderOffersFailsNamingItAndTheRegistration() {
        assertThatThrownBy(() -> StorageKind.CAIRN_POSTGRES.fixture(StorageKindTest.class))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("CAIRN_POSTGRES")
                .hasMessageContaining("META-INF/services/" + StorageKindFixtures.class.getName())
                .hasMessageNotContaining("\n");
    }
}
