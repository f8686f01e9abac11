package org.cairndb.storage.uri;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.Callable;
import org.cairndb.storage.Storage;
import org.cairndb.storage.kitcheck.ReferenceStorage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Storages finds providers with ServiceLoader on the context class loader; these tests give it
 * a class loader with a services file of their own, so the storage-api test-jar registers no
 * provider that would show up in other modules' tests.
 */
class StoragesTest {

    /** A provider for the test: scheme "kit", opens the kit's reference object. */
    public static final class KitProvider implements StorageProvider {
        @Override
        public Set<String> schemes() {
            return Set.of("kit", "kit2");
        }

        @Override
        public String usage() {
            return "kit: the conformance kit's reference object";
        }

        @Override
        public Storage open(StorageUri uri) {
            uri.requireOnlyParams(Set.of("name"));
            return ReferenceStorage.full(uri.param("name", "kit"));
        }
    }

    private static <T> T withProviders(Path dir, String providerLines, Callable<T> body) throws Exception {
        Path services = dir.resolve("META-INF/services");
        Files.createDirectories(services);
        Files.writeString(services.resolve(StorageProvider.class.getName()), providerLines);
        Thread t = Thread.currentThread();
        ClassLoader old = t.getContextClassLoader();
        try (URLClassLoader cl =
                new URLClassLoader(new URL[] {dir.toUri().toURL()}, StoragesTest.class.getClassLoader())) {
            t.setContextClassLoader(cl);
            return body.call();
        } finally {
            t.setContextClassLoader(old);
        }
    }

    @Test
    void open_knownScheme_throughProvider(@TempDir Path dir) throws Exception {
        String name = withProviders(dir, KitProvider.class.getName() + "\n", () -> {
            try (Storage s = Storages.open("kit:?name=hello")) {
                return s.name();
            }
        });
        assertThat(name).isEqualTo("hello");
    }

    @Test
    void open_unknownScheme_namesUriAndListsKnownSchemes(@TempDir Path dir) throws Exception {
        withProviders(dir, KitProvider.class.getName() + "\n", () -> {
            assertThatThrownBy(() -> Storages.open("nosuch://alice:pw@h/db"))
                    .isInstanceOf(InvalidStorageUriException.class)
                    .hasMessageContaining("'nosuch'")
                    .hasMessageContaining("nosuch://alice:***@h/db")
                    .hasMessageNotContaining(":pw@")
                    .hasMessageContaining("kit: (kit: the conformance kit's reference object)")
                    .hasMessageContaining("kit2:");
            return null;
        });
    }

    /** cairn:// lives in its own artifact (as every storage does): an application missing it is told which to add. */
    @Test
    void open_cairnSchemeWithoutItsModule_namesTheArtifactToAdd(@TempDir Path dir) throws Exception {
        withProviders(dir, KitProvider.class.getName() + "\n", () -> {
            assertThatThrownBy(() -> Storages.open("cairn://h:8100/main?secret=s3cret"))
                    .isInstanceOf(InvalidStorageUriException.class)
                    .hasMessageContaining("org.cairndb:cairn-storage-remote")
                    .hasMessageContaining("not on the class path")
                    .hasMessageContaining("kit:")
                    .hasMessageNotContaining("s3cret");
            assertThatThrownBy(() -> Storages.open("postgresql://h/db"))
                    .hasMessageContaining("org.cairndb:cairn-storage-postgres");
            return null;
        });
    }

    @Test
    void open_badParameter_refusedByProvider(@TempDir Path dir) throws Exception {
        withProviders(dir, KitProvider.class.getName() + "\n", () -> {
            assertThatThrownBy(() -> Storages.open("kit:?colour=red"))
                    .isInstanceOf(InvalidStorageUriException.class)
                    .hasMessageContaining("'colour'")
                    .hasMessageContaining("[name]");
            return null;
        });
    }

    @Test
    void describeKnown_noProviders_saysSo(@TempDir Path dir) throws Exception {
        String known = withProviders(dir, "# none\n", Storages::describeKnown);
        assertThat(known).contains("no storage module");
        withProviders(dir, "", () -> {
            assertThatThrownBy(() -> Storages.open("mem:"))
                    .hasMessageContaining("no storage module is on the class path");
            return null;
        });
    }

    @Test
    void providers_bySchemeSorted(@TempDir Path dir) throws Exception {
        Set<String> schemes = withProviders(
                dir,
                KitProvider.class.getName() + "\n",
                () -> Storages.providers().keySet());
        assertThat(schemes).containsExactly("kit", "kit2");
    }

    @SuppressWarnings("unused")
    private static void unused() throws IOException {}
}
