package org.cairndb.tests.arch;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The architecture rules on every production class of Cairn this module sees. */
class ArchitectureTest {
    private static JavaClasses production;

    @BeforeAll
    static void importProduction() {
        production = new ClassFileImporter()
                .withImportOption(new ArchitectureRules.ProductionOnly())
                .importPackages("org.cairndb");
    }

    @Test
    void imported_storageApiAtLeast() {
        // guards against a rule passing because nothing was imported
        assertThat(production.containPackage("org.cairndb.storage")).isTrue();
        // the rules about cairn:// and the object layer check something only if both are on this module's class path
        assertThat(production.containPackage("org.cairndb.remote")).isTrue();
        assertThat(production.containPackage("org.cairndb.client")).isTrue();
        assertThat(production.containPackage("org.cairndb.protocol")).isTrue();
        assertThat(production.stream().noneMatch(c -> c.getPackageName().startsWith("org.cairndb.storage.conformance")))
                .isTrue();
    }

    @Test
    void storageApi_dependsOnNoOtherModule() {
        ArchitectureRules.STORAGE_API_DEPENDS_ON_NOTHING_OF_OURS.check(production);
    }

    @Test
    void storages_doNotDependOnClient() {
        ArchitectureRules.NO_STORAGE_DEPENDS_ON_CLIENT.check(production);
    }

    @Test
    void objectLayer_importsNoConcreteStorage() {
        ArchitectureRules.OBJECT_LAYER_IMPORTS_NO_CONCRETE_STORAGE.check(production);
    }

    @Test
    void storages_independentOfEachOther() {
        ArchitectureRules.STORAGES_INDEPENDENT.check(production);
        ArchitectureRules.TEMP_INDEPENDENT.check(production);
        ArchitectureRules.POSTGRES_INDEPENDENT.check(production);
        ArchitectureRules.REMOTE_INDEPENDENT.check(production);
    }

    @Test
    void protocol_namesNoTransport() {
        ArchitectureRules.PROTOCOL_HAS_NO_TRANSPORT.check(production);
    }

    @Test
    void mainCode_hasNoTimedSleepsOrWaits() {
        ArchitectureRules.NO_TIMED_SLEEPS_OR_WAITS.check(production);
    }
}
