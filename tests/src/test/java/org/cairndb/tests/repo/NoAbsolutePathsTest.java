package org.cairndb.tests.repo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The repository is self-contained: no source, pom, script or document reads or cites a path
 * outside it (a machine's work, root or home directory, or a sibling shared directory: see
 * {@link #FORBIDDEN}). Such a path works on one machine and breaks a build, a test or a
 * reader everywhere else; what a build or test needs goes into the repository (test
 * resources), what a reader needs into docs/.
 */
class NoAbsolutePathsTest {
    /** Spelled in pieces so that this file does not match itself. */
    private static final List<String> FORBIDDEN =
            List.of("/" + "work/", "/" + "root/", "/" + "home/", ".." + "/shared");

    private static final Set<String> SKIPPED_DIRS = Set.of(".git", "target", "node_modules", "cairn-data", ".idea");
    private static final List<String> CHECKED_SUFFIXES = List.of(
            ".java",
            ".xml",
            ".md",
            ".properties",
            ".sh",
            ".txt",
            ".json",
            ".yml",
            ".yaml",
            ".sql",
            ".py",
            ".cmd",
            ".conf");

    @Test
    void noSourcePomScriptOrDocumentNamesAPathOutsideTheRepository() throws IOException {
        Path root = repositoryRoot();
        List<String> hits = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root)) {
            files.filter(f -> Files.isRegularFile(f) && checked(root, f)).forEach(f -> scan(root, f, hits));
        }
        assertThat(hits)
                .as("absolute or outside paths in %s (use a path inside the repository)", root)
                .isEmpty();
    }

    @Test
    void theScanSeesTheRepository() throws IOException {
        Path root = repositoryRoot();
        // the scan must reach every kind of file it promises to check, or it could pass on nothing
        for (String f : List.of(
                "README.md",
                "pom.xml",
                "bin/cairn",
                ".ci/run",
                "docs/architecture.md",
                "storage-api/src/main/java/org/cairndb/storage/Storage.java")) {
            assertThat(checked(root, root.resolve(f))).as(f).isTrue();
            assertThat(root.resolve(f)).exists();
        }
        List<String> hits = new ArrayList<>();
        Path planted = Files.createTempFile(root.resolve("tests/target"), "planted", ".md");
        try {
            Files.writeString(planted, "see " + FORBIDDEN.get(0) + "shared/x\n");
            scan(root, planted, hits);
        } finally {
            Files.delete(planted);
        }
        assertThat(hits).hasSize(1);
    }

    private static boolean checked(Path root, Path file) {
        Path rel = root.relativize(file);
        for (Path part : rel) if (SKIPPED_DIRS.contains(part.toString())) return false;
        String name = file.getFileName().toString();
        if (rel.startsWith("bin") || rel.startsWith(".ci") || name.equals("mvnw")) return true;
        return CHECKED_SUFFIXES.stream().anyMatch(name::endsWith);
    }

    private static void scan(Path root, Path file, List<String> hits) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return; // not UTF-8 text (a binary fixture): nothing a reader or build resolves as a path
        }
        for (int i = 0; i < lines.size(); i++) {
            for (String bad : FORBIDDEN) {
                if (lines.get(i).contains(bad))
                    hits.add(root.relativize(file) + ":" + (i + 1) + ": "
                            + lines.get(i).strip());
            }
        }
    }

    private static Path repositoryRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !(Files.exists(dir.resolve("mvnw")) && Files.isDirectory(dir.resolve("storage-api"))))
            dir = dir.getParent();
        assertThat(dir)
                .as("repository root above %s", Path.of("").toAbsolutePath())
                .isNotNull();
        return dir;
    }
}
