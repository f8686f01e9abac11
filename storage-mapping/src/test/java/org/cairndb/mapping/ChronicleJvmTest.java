package org.cairndb.mapping;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.cairndb.storage.spi.ChronicleJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a user's JVM needs for {@code mem:}, proved in child JVMs started with exactly the options
 * under test (not the test JVM's, which has more) and with no test framework on their class path: {@link ChronicleJvm#REQUIRED_OPTIONS} are
 * enough, without them the first use fails with the one message that names them and where to put
 * them, and Chronicle's analytics stay off although no {@code chronicle.*} property is given
 * (user.home points at an empty directory that must stay free of {@code .chronicle.analytics.*}).
 */
class ChronicleJvmTest {
    @TempDir
    Path home;

    @TempDir
    Path data;

    @Test
    void theRequiredOptionsAloneAreEnoughAndNoAnalyticsAreWritten() throws Exception {
        Result r = runChild(ChronicleJvm.REQUIRED_OPTIONS);
        assertThat(r.exit).as("child output:%n%s", r.output).isZero();
        assertThat(r.output).contains("OK");
        assertThat(analyticsFiles()).as("files Chronicle wrote into user.home").isEmpty();
    }

    @Test
    void withoutTheOptionsTheFirstUseSaysWhichAndWhere() throws Exception {
        Result r = runChild(List.of());
        assertThat(r.exit).as("child output:%n%s", r.output).isEqualTo(3);
        String error =
                r.output.lines().filter(l -> l.startsWith("ERROR ")).findFirst().orElse("");
        assertThat(error)
                .contains(
                        "cannot open mem:",
                        "started without the JVM options",
                        String.join(" ", ChronicleJvm.REQUIRED_OPTIONS),
                        "JAVA_TOOL_OPTIONS",
                        "<argLine>",
                        "exec:exec",
                        "Add-Exports: java.base/sun.nio.ch jdk.compiler/com.sun.tools.javac.file",
                        "Add-Opens: java.base/java.lang java.base/java.lang.reflect");
        assertThat(r.output).doesNotContain("ExceptionInInitializerError");
        assertThat(analyticsFiles()).isEmpty();
    }

    @Test
    void oneMissingOptionIsNamed() throws Exception {
        List<String> three = new ArrayList<>(ChronicleJvm.REQUIRED_OPTIONS);
        String dropped = three.remove(0);
        Result r = runChild(three);
        assertThat(r.exit).as("child output:%n%s", r.output).isEqualTo(3);
        assertThat(r.output).contains("this JVM lacks " + dropped + " of the options");
    }

    private List<Path> analyticsFiles() throws IOException {
        try (Stream<Path> files = Files.list(home)) {
            return files.filter(f -> f.getFileName().toString().startsWith(".chronicle.analytics"))
                    .toList();
        }
    }

    /**
     * The test class path without the test frameworks: Chronicle keeps its analytics off by itself
     * when it sees JUnit, and a user's application has no JUnit.
     */
    private static String applicationClassPath() {
        String all = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        String cp = Stream.of(all.split(File.pathSeparator))
                .filter(e -> !e.matches(".*(junit|jqwik|opentest4j|apiguardian|assertj|surefire).*"))
                .collect(Collectors.joining(File.pathSeparator));
        assertThat(cp).as("class path for the child").doesNotContain("junit").contains("chronicle-map");
        return cp;
    }

    private record Result(int exit, String output) {}

    private Result runChild(List<String> options) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(options);
        cmd.add("-Xmx256m");
        cmd.add("-Duser.home=" + home);
        cmd.add("-cp");
        cmd.add(applicationClassPath());
        cmd.add(ChronicleChild.class.getName());
        cmd.add(data.toString());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Result(p.waitFor(), out);
    }
}
